using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus.Bft;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>
/// SPEC §9 property 11 on the round-based protocol, at the level of what a follower checks: a commit
/// certificate is more than 2/3 of the weight precommitting one block in one round. (Across rounds,
/// the locks do the work: the simulator's agreement property covers that.)
/// </summary>
public sealed class CommitCertificateProperties
{
    private const ulong ChainId = 77;
    private const ulong Height = 12;

    /// <summary>
    /// A Byzantine minority (less than 1/3 of the weight) precommits both of two blocks in one round,
    /// every honest sequencer precommits one of them: at most one block gets a certificate, and every
    /// Byzantine sequencer leaves a pair of messages the staking contract accepts as evidence.
    /// </summary>
    [Property(MaxTest = 200)]
    public void Two_conflicting_blocks_at_one_height_and_round_never_both_get_a_certificate(int seed)
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
        var round = random.Next(0, 5);
        var (blockA, blockB) = (SequencerKeys.RandomHash(random), SequencerKeys.RandomHash(random));
        var precommits = new List<SignedVote>();
        for (var i = 0; i < set.Count; i++)
        {
            var key = SequencerKeys.Key(i);
            if (byzantine.Contains(i))
            {
                precommits.Add(SignedVote.Sign(ChainId, Height, round, VoteStep.Precommit, blockA, key));
                precommits.Add(SignedVote.Sign(ChainId, Height, round, VoteStep.Precommit, blockB, key));
            }
            else
            {
                precommits.Add(SignedVote.Sign(ChainId, Height, round, VoteStep.Precommit, random.Next(2) == 0 ? blockA : blockB, key));
            }
        }

        var weights = set.ToDictionary(s => s.Address, s => s.Weight);
        UInt128 Certified(Hash256 block) => precommits.Where(p => p.Block == block).Select(p => p.RecoverSigner()!.Value).Distinct()
            .Aggregate(UInt128.Zero, (sum, signer) => sum + weights[signer]);
        Assert.False(StakeQuorum.IsSupermajority(Certified(blockA), total) && StakeQuorum.IsSupermajority(Certified(blockB), total));

        foreach (var i in byzantine)
        {
            var pair = precommits.Where(p => p.RecoverSigner() == SequencerKeys.AddressOf(i)).ToList();
            Assert.Equal(2, pair.Count);
            Assert.True(pair[0].ConflictsWith(pair[1]));
            var evidence = new DoubleSignCall(pair[0], pair[1]);
            Assert.Equal(evidence.First.RecoverSigner(), evidence.Second.RecoverSigner());
        }
        // An honest sequencer never leaves such a pair.
        foreach (var i in Enumerable.Range(0, set.Count).Where(i => !byzantine.Contains(i)))
            Assert.Single(precommits, p => p.RecoverSigner() == SequencerKeys.AddressOf(i));
    }

    [Fact]
    public void The_threshold_is_strict_and_exact()
    {
        Assert.False(StakeQuorum.IsSupermajority(2, 3));
        Assert.True(StakeQuorum.IsSupermajority(201, 300));
        Assert.False(StakeQuorum.IsSupermajority(200, 300));
        Assert.False(StakeQuorum.IsSupermajority(0, 0));
        Assert.True(StakeQuorum.IsMoreThanOneThird(101, 300));
        Assert.False(StakeQuorum.IsMoreThanOneThird(100, 300));
        var huge = UInt128.MaxValue / 4;
        Assert.True(StakeQuorum.IsSupermajority(huge, huge));
    }
}
