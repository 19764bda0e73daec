using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Election;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>A failed leader loses its turn: passed-over leaders rank last, and nobody else moves.</summary>
public sealed class LeaderDemotionTests
{
    private static readonly Address A = SequencerKeys.AddressOf(0), B = SequencerKeys.AddressOf(1), C = SequencerKeys.AddressOf(2), D = SequencerKeys.AddressOf(3);

    [Property(MaxTest = 200)]
    public void A_demoted_ranking_is_a_permutation_with_the_demoted_last_in_order_and_the_rest_in_drawn_order(int seed, ulong slot)
    {
        var random = new Random(seed);
        var set = SequencerKeys.RandomSet(random);
        var epochSeed = SequencerKeys.RandomHash(random);
        var drawn = new LeaderSchedule(set, epochSeed).Ranking(slot);
        // Demoted lists may name sequencers outside the set (the set changed with the anchor): they are ignored.
        var demoted = set.Select(s => s.Address).Append(SequencerKeys.AddressOf(99)).OrderBy(_ => random.Next()).Take(random.Next(0, set.Count + 2)).ToList();

        var ranking = new LeaderSchedule(set, epochSeed, demoted: demoted).Ranking(slot);

        Assert.Equal(drawn.Order(), ranking.Order());
        var kept = drawn.Where(a => !demoted.Contains(a)).ToList();
        Assert.Equal(kept, ranking.Take(kept.Count));
        Assert.Equal(demoted.Where(drawn.Contains), ranking.Skip(kept.Count));
    }

    [Property(MaxTest = 200)]
    public void Blocks_all_produced_by_the_leader_in_force_demote_no_one(int seed, ulong slot)
    {
        var random = new Random(seed);
        var set = SequencerKeys.RandomSet(random);
        var ranking = new LeaderSchedule(set, SequencerKeys.RandomHash(random)).Ranking(slot);
        var demoted = new List<Address>();

        var failed = LeaderDemotion.Judge(ranking, Enumerable.Repeat(ranking[0], 10), demoted);

        Assert.Empty(failed);
        Assert.Empty(demoted);
    }

    [Fact]
    public void Every_leader_passed_over_moves_to_the_end_in_the_order_it_failed()
    {
        var ranking = new[] { A, B, C, D };
        var demoted = new List<Address>();

        // A leads two blocks, then dies: C produces (B was silent too), then C keeps leading.
        var failed = LeaderDemotion.Judge(ranking, [A, A, C, C], demoted);

        Assert.Equal([A, B], failed);
        Assert.Equal([C, D, A, B], LeaderDemotion.Apply(ranking, demoted));

        // Next slot: C fails as well; D takes over, and C goes behind A and B.
        failed = LeaderDemotion.Judge(ranking, [D], demoted);
        Assert.Equal([C], failed);
        Assert.Equal([D, A, B, C], LeaderDemotion.Apply(ranking, demoted));

        // A producer outside the ranking (the set changed) passes over no one.
        Assert.Empty(LeaderDemotion.Judge(ranking, [SequencerKeys.AddressOf(42)], demoted));
    }
}
