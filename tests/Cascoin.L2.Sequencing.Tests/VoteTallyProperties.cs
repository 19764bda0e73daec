using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus;
using Cascoin.L2.Sequencing.Election;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>SPEC §9 property 11 and the 2/3 rule: conflicting blocks never both finalize while equivocators hold less than a third.</summary>
public sealed class VoteTallyProperties
{
    private const ulong ChainId = 77;
    private const ulong Height = 12;

    /// <summary>
    /// Property 11: a Byzantine minority (less than 1/3 of the weight) signs both of two conflicting
    /// blocks, the honest sequencers each sign one of them, votes arrive in any order: at most one
    /// block reaches more than 2/3, and every equivocator leaves valid double-sign evidence.
    /// </summary>
    [Property(MaxTest = 150)]
    public void Two_conflicting_blocks_at_one_height_never_both_reach_two_thirds(int seed)
    {
        var random = new Random(seed);
        var set = SequencerKeys.RandomSet(random, random.Next(4, 11));
        var total = set.Aggregate(UInt128.Zero, (sum, s) => sum + s.Weight);
        var byzantine = new HashSet<int>();
        var byzantineWeight = UInt128.Zero;
        foreach (var i in Enumerable.Range(0, set.Count).OrderBy(_ => random.Next()))
        {
            if ((byzantineWeight + set[i].Weight) * 3 < total && random.Next(2) == 0)
            {
                byzantine.Add(i);
                byzantineWeight += set[i].Weight;
            }
        }
        var blockA = SequencerKeys.RandomHash(random);
        var blockB = SequencerKeys.RandomHash(random);
        var votes = new List<L2Vote>();
        for (var i = 0; i < set.Count; i++)
        {
            var key = SequencerKeys.Key(i);
            if (byzantine.Contains(i))
            {
                votes.Add(L2Vote.Sign(ChainId, Height, blockA, VoteKind.Accept, key));
                votes.Add(L2Vote.Sign(ChainId, Height, blockB, VoteKind.Accept, key));
            }
            else
            {
                votes.Add(L2Vote.Sign(ChainId, Height, random.Next(2) == 0 ? blockA : blockB, VoteKind.Accept, key));
            }
        }
        var tally = new VoteTally(ChainId, Height, set);

        foreach (var vote in votes.OrderBy(_ => random.Next()))
            Assert.Null(tally.Add(vote));

        Assert.False(VoteTally.IsSupermajority(tally.AcceptedWeight(blockA), total) && VoteTally.IsSupermajority(tally.AcceptedWeight(blockB), total));
        if (tally.Finalized is { } final)
            Assert.True(VoteTally.IsSupermajority(tally.AcceptedWeight(final), total));
        Assert.Equal(byzantine.Select(SequencerKeys.AddressOf).Order(), tally.Evidence.Select(e => e.Sequencer).Order());
        Assert.All(tally.Evidence, e => Assert.True(e.IsValid()));
    }

    /// <summary>The threshold is strict: exactly two thirds is not final, one unit more is.</summary>
    [Fact]
    public void Exactly_two_thirds_is_not_final_and_more_is()
    {
        var set = Enumerable.Range(0, 3).Select(i => new SequencerWeight(SequencerKeys.AddressOf(i), Amount.FromCas(100), 60)).ToList();
        var block = Hash256.Zero;
        var tally = new VoteTally(ChainId, Height, set);
        Assert.Null(tally.Add(L2Vote.Sign(ChainId, Height, block, VoteKind.Accept, SequencerKeys.Key(0))));
        Assert.Null(tally.Add(L2Vote.Sign(ChainId, Height, block, VoteKind.Accept, SequencerKeys.Key(1))));
        Assert.Null(tally.Finalized);
        Assert.Null(tally.Add(L2Vote.Sign(ChainId, Height, block, VoteKind.Accept, SequencerKeys.Key(2))));
        Assert.Equal(block, tally.Finalized);
        Assert.Equal(3, tally.AcceptsFor(block).Count);
        Assert.False(VoteTally.IsSupermajority(2, 3));
        Assert.True(VoteTally.IsSupermajority(201, 300));
        Assert.False(VoteTally.IsSupermajority(0, 0));
    }

    [Fact]
    public void Rejects_and_abstentions_count_for_nothing_and_bad_votes_are_refused()
    {
        var set = Enumerable.Range(0, 4).Select(i => new SequencerWeight(SequencerKeys.AddressOf(i), Amount.FromCas(10), 50)).ToList();
        var block = new Hash256(Enumerable.Repeat((byte)9, 32).ToArray());
        var tally = new VoteTally(ChainId, Height, set);
        Assert.Null(tally.Add(L2Vote.Sign(ChainId, Height, block, VoteKind.Reject, SequencerKeys.Key(0))));
        Assert.Null(tally.Add(L2Vote.Sign(ChainId, Height, block, VoteKind.Abstain, SequencerKeys.Key(1))));
        Assert.Equal(UInt128.Zero, tally.AcceptedWeight(block));

        Assert.Equal(VoteRejection.WrongChain, tally.Add(L2Vote.Sign(ChainId + 1, Height, block, VoteKind.Accept, SequencerKeys.Key(2))));
        Assert.Equal(VoteRejection.WrongHeight, tally.Add(L2Vote.Sign(ChainId, Height + 1, block, VoteKind.Accept, SequencerKeys.Key(2))));
        Assert.Equal(VoteRejection.NotASequencer, tally.Add(L2Vote.Sign(ChainId, Height, block, VoteKind.Accept, SequencerKeys.Key(50))));
        var vote = L2Vote.Sign(ChainId, Height, block, VoteKind.Accept, SequencerKeys.Key(2));
        Assert.Null(tally.Add(vote));
        Assert.Equal(VoteRejection.Duplicate, tally.Add(vote));
        var broken = vote with { Signature = [.. vote.Signature[..^1], (byte)(vote.Signature[^1] ^ 1)] };
        Assert.NotEqual(SequencerKeys.AddressOf(2), broken.RecoverVoter());
        var garbage = vote with { Signature = new byte[65] };
        Assert.Equal(VoteRejection.BadSignature, tally.Add(garbage));
        Assert.Equal(set[2].Weight, tally.AcceptedWeight(block));
        Assert.Empty(tally.Evidence);
    }
}
