using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Election;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>SPEC §9 properties 2 and 3: leader election and failover are the same on every node.</summary>
public sealed class LeaderScheduleProperties
{
    /// <summary>Property 2: same slot, seed and sequencer set ⇒ same leader (and same ranking), whatever order each node learnt the set in.</summary>
    [Property(MaxTest = 200)]
    public void Every_node_with_the_same_set_seed_and_slot_elects_the_same_leader(int seed, ulong slot)
    {
        var random = new Random(seed);
        var set = SequencerKeys.RandomSet(random);
        var epochSeed = SequencerKeys.RandomHash(random);
        var reference = new LeaderSchedule(set, epochSeed);
        var ranking = reference.Ranking(slot);

        for (var node = 0; node < 4; node++)
        {
            var shuffled = set.OrderBy(_ => random.Next()).ToList();
            var schedule = new LeaderSchedule(shuffled, epochSeed);
            Assert.Equal(reference.Leader(slot), schedule.Leader(slot));
            Assert.Equal(ranking, schedule.Ranking(slot));
        }
        // The ranking is a permutation of the set: everyone gets a place in the failover order, once.
        Assert.Equal(set.Select(s => s.Address).Order(), ranking.Order());
        Assert.Equal(ranking[0], reference.Leader(slot));
    }

    /// <summary>Property 3: after the leader fails, every node computes the same next leader, and it is someone else.</summary>
    [Property(MaxTest = 200)]
    public void After_a_leader_failure_every_node_computes_the_same_next_leader(int seed, ulong blockNumber)
    {
        var random = new Random(seed);
        var set = SequencerKeys.RandomSet(random);
        var epochSeed = SequencerKeys.RandomHash(random);
        var nodes = Enumerable.Range(0, 5).Select(_ => new LeaderSchedule(set.OrderBy(_ => random.Next()), epochSeed)).ToList();
        var slot = nodes[0].SlotOf(blockNumber);
        var failures = random.Next(0, set.Count + 2);

        var next = nodes.Select(n => n.Leader(slot, failures)).Distinct().ToList();

        var leader = Assert.Single(next);
        var previous = nodes[0].Leader(slot, failures == 0 ? 0 : failures - 1);
        if (set.Count > 1 && failures > 0)
            Assert.NotEqual(previous, leader);
        Assert.Equal(nodes[0].Ranking(slot)[failures % set.Count], leader);
    }

    [Fact]
    public void Leaders_rotate_every_ten_blocks_and_follow_the_seed()
    {
        var set = SequencerKeys.RandomSet(new Random(7), count: 6);
        var schedule = new LeaderSchedule(set, Hash256.Zero);
        Assert.Equal(schedule.Leader(0), schedule.Leader(schedule.SlotOf(9)));
        Assert.Equal(1UL, schedule.SlotOf(10));
        var leaders = Enumerable.Range(0, 40).Select(slot => schedule.Leader((ulong)slot)).Distinct().Count();
        Assert.True(leaders > 1, "forty slots of six sequencers all had one leader");
        var other = new LeaderSchedule(set, new Hash256(Enumerable.Repeat((byte)1, 32).ToArray()));
        Assert.NotEqual(Enumerable.Range(0, 40).Select(s => schedule.Leader((ulong)s)), Enumerable.Range(0, 40).Select(s => other.Leader((ulong)s)));
    }

    [Fact]
    public void Leadership_follows_weight_stake_times_score()
    {
        // Weights 1 : 2 : 3 (the third has the second's stake but 1.5× its score).
        var set = new List<SequencerWeight>
        {
            new(SequencerKeys.AddressOf(0), Amount.FromCas(100), 50),
            new(SequencerKeys.AddressOf(1), Amount.FromCas(200), 50),
            new(SequencerKeys.AddressOf(2), Amount.FromCas(200), 75),
        };
        var schedule = new LeaderSchedule(set, SequencerKeys.RandomHash(new Random(11)));
        const int Slots = 6_000;
        var counts = Enumerable.Range(0, Slots).Select(s => schedule.Leader((ulong)s)).GroupBy(a => a).ToDictionary(g => g.Key!.Value, g => g.Count());
        for (var i = 0; i < 3; i++)
        {
            var expected = Slots * (i + 1) / 6.0;
            var actual = counts.GetValueOrDefault(set[i].Address);
            Assert.InRange(actual, expected * 0.9, expected * 1.1);
        }
    }

    [Fact]
    public void Sequencers_without_weight_never_lead_and_an_empty_set_has_no_leader()
    {
        var zero = new SequencerWeight(SequencerKeys.AddressOf(0), Amount.Zero, 90);
        var scoreless = new SequencerWeight(SequencerKeys.AddressOf(1), Amount.FromCas(50), 0);
        var only = new SequencerWeight(SequencerKeys.AddressOf(2), Amount.FromCas(10), 50);
        var schedule = new LeaderSchedule([zero, scoreless, only, only], Hash256.Zero);
        Assert.Equal([only.Address], schedule.Ranking(3));
        Assert.Equal(only.Address, schedule.Leader(3, failures: 5));
        Assert.Null(new LeaderSchedule([zero], Hash256.Zero).Leader(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeaderSchedule([only], Hash256.Zero, blocksPerSlot: 0));
    }
}
