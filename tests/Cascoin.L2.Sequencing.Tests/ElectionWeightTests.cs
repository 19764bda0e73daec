using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Election;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>A sequencer that missed its turns draws with less weight in the next elections; votes keep the full weight.</summary>
public sealed class ElectionWeightTests
{
    [Property(MaxTest = 200)]
    public void Missed_turns_divide_the_draw_weight_and_never_remove_a_sequencer(int seed)
    {
        var random = new Random(seed);
        var set = SequencerKeys.RandomSet(random);
        foreach (var sequencer in set)
        {
            var misses = random.Next(0, 5);
            var full = sequencer.Weight;
            var drawn = (sequencer with { Misses = misses }).Weight;
            Assert.Equal(misses == 0 ? full : UInt128.Max(UInt128.One, full / (UInt128)(1 + misses)), drawn);
            Assert.True(full == UInt128.Zero || drawn > UInt128.Zero);
        }
        // A penalized sequencer keeps its place in the failover order: everyone is still ranked.
        var penalized = set.Select((s, i) => s with { Misses = i % 3 }).ToList();
        var schedule = new LeaderSchedule(penalized, SequencerKeys.RandomHash(random));
        Assert.Equal(set.Select(s => s.Address).Order(), schedule.Ranking(7).Order());
    }

    [Fact]
    public void A_sequencer_with_one_miss_leads_about_half_as_often_as_before()
    {
        var set = Enumerable.Range(1, 4).Select(i => new SequencerWeight(SequencerKeys.AddressOf(i), Amount.FromCas(10), 90)).ToList();
        var missed = set[2].Address;
        var penalized = set.Select(s => s.Address == missed ? s with { Misses = 1 } : s).ToList();
        const int Slots = 4_000;
        int Leads(IReadOnlyList<SequencerWeight> sequencers)
        {
            var schedule = new LeaderSchedule(sequencers, new Hash256(new byte[32]));
            return Enumerable.Range(0, Slots).Count(slot => schedule.Leader((ulong)slot) == missed);
        }
        var before = Leads(set);
        var after = Leads(penalized);
        // Equal weights: a quarter of the slots. Half the weight among three full ones: 0.5 / 3.5 = 1/7 of them.
        Assert.InRange(before, Slots / 4 - 200, Slots / 4 + 200);
        Assert.InRange(after, Slots / 7 - 150, Slots / 7 + 150);
    }
}
