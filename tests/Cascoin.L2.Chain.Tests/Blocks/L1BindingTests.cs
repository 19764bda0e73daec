using System.Security.Cryptography;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>
/// SPEC §7 "every header is bound to L1", played as the hostile sequencer would: a block that names
/// an old L1 height (where the set was one key), a made-up anchor hash to steer the leader seed, a
/// height the validator has not confirmed yet, a timestamp far from the L1 block's.
/// </summary>
public sealed class L1BindingTests
{
    private const ulong L1Start = 1_767_225_600_000;
    private const ulong L1Spacing = 150_000; // 2.5 min, like Litecoin
    private static readonly ChainParameters Parameters = TestChains.Default;

    /// <summary>The settlement port over a list of L1 blocks, the last <c>confirmations − 1</c> of them unconfirmed.</summary>
    private sealed class L1Blocks(int count, int confirmations = 1) : ISettlementView
    {
        private readonly List<L1BlockReference> _blocks = Enumerable.Range(0, count)
            .Select(h => new L1BlockReference((ulong)h, new Hash256(SHA256.HashData(BitConverter.GetBytes(h))), L1Start + (ulong)h * L1Spacing)).ToList();

        public L1BlockReference this[int height] => _blocks[height];

        public (ulong Height, Hash256 Hash) ConfirmedTip => (_blocks[count - confirmations].Height, _blocks[count - confirmations].Hash);

        public L1BlockReference? ConfirmedBlock(ulong height) => height <= ConfirmedTip.Height ? _blocks[(int)height] : null;

        public EpochKeyInfo? EpochKey(ulong epoch) => null;

        public L1Message? GetQueued(L1MessageKind kind, ulong sequence) => null;
    }

    private static BlockHeader Header(ulong number, ulong l1Height, Hash256 l1Hash, ulong timestamp) => new(
        number, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Address.Zero, timestamp, 30_000_000, 0, 10, l1Height, l1Hash);

    private static readonly L1Blocks L1 = new(20, confirmations: 3);

    private static readonly BlockHeader Parent = Header(41, 10, L1[10].Hash, L1[10].Timestamp + 1_000);

    private static BlockRejectReason? Check(BlockHeader header, ISettlementView? settlement = null) =>
        L1Binding.Check(Parent, header, settlement ?? L1, Parameters)?.Reason;

    [Fact]
    public void A_block_on_the_parents_or_a_later_confirmed_L1_block_passes()
    {
        Assert.Null(Check(Header(42, 10, L1[10].Hash, Parent.Timestamp + 100)));
        Assert.Null(Check(Header(42, 17, L1[17].Hash, L1[17].Timestamp)));
    }

    [Fact]
    public void An_old_L1_height_is_refused_even_with_its_real_hash()
    {
        // The attack of issue 11: the deployer was the whole set at L1 height 2.
        var rejection = L1Binding.Check(Parent, Header(42, 2, L1[2].Hash, Parent.Timestamp + 100), L1, Parameters);
        Assert.Equal(BlockRejectReason.L1AnchorBehindParent, rejection?.Reason);
        Assert.False(rejection!.IsNotYetJudgeable);
    }

    [Fact]
    public void A_made_up_anchor_hash_is_refused()
    {
        var ground = new Hash256(SHA256.HashData("grinding the leader seed"u8));
        Assert.Equal(BlockRejectReason.L1AnchorHashMismatch, Check(Header(42, 12, ground, L1[12].Timestamp)));
        // Another real L1 block's hash under this height is no better.
        Assert.Equal(BlockRejectReason.L1AnchorHashMismatch, Check(Header(42, 12, L1[13].Hash, L1[12].Timestamp)));
    }

    [Fact]
    public void An_L1_height_this_node_has_not_confirmed_is_not_yet_judged_rather_than_refused()
    {
        // Heights 18 and 19 exist but lack confirmations; 25 is beyond the tip.
        foreach (var height in new[] { 18, 19 })
        {
            var rejection = L1Binding.Check(Parent, Header(42, (ulong)height, L1[height].Hash, L1[height].Timestamp), L1, Parameters);
            Assert.Equal(BlockRejectReason.L1AnchorNotConfirmed, rejection?.Reason);
            Assert.True(rejection!.IsNotYetJudgeable);
        }
        Assert.True(L1Binding.Check(Parent, Header(42, 25, Hash256.Zero, Parent.Timestamp + 1), L1, Parameters)!.IsNotYetJudgeable);
        // Once this node's L1 confirms it, the same header passes.
        Assert.Null(L1Binding.Check(Parent, Header(42, 18, L1[18].Hash, L1[18].Timestamp), new L1Blocks(25, confirmations: 3), Parameters));
    }

    [Fact]
    public void The_timestamp_stays_within_fifteen_minutes_of_the_L1_block()
    {
        var limit = (ulong)Parameters.MaxL1TimestampDrift.TotalMilliseconds;
        var l1 = L1[12];
        Assert.Null(Check(Header(42, 12, l1.Hash, l1.Timestamp + limit)));
        Assert.Equal(BlockRejectReason.TimestampFarFromL1, Check(Header(42, 12, l1.Hash, l1.Timestamp + limit + 1)));
        Assert.Equal(BlockRejectReason.TimestampFarFromL1, Check(Header(42, 12, l1.Hash, l1.Timestamp - limit - 1)));
    }

    [Fact]
    public void A_chain_without_a_settlement_layer_keeps_its_parents_anchor()
    {
        var parent = Header(3, 0, Hash256.Zero, L1Start);
        Assert.Null(L1Binding.Check(parent, Header(4, 0, Hash256.Zero, L1Start + 1), null, Parameters));
        Assert.Equal(BlockRejectReason.L1AnchorHashMismatch, L1Binding.Check(parent, Header(4, 5, L1[5].Hash, L1Start + 1), null, Parameters)?.Reason);
    }

    [Fact]
    public void Epochs_start_at_multiples_of_their_length()
    {
        var parameters = Parameters with { L1EpochBlocks = 12 };
        Assert.Equal(0UL, parameters.L1EpochStart(11));
        Assert.Equal(12UL, parameters.L1EpochStart(12));
        Assert.Equal(24UL, parameters.L1EpochStart(35));
        Assert.Equal(35UL, (Parameters with { L1EpochBlocks = 1 }).L1EpochStart(35));
    }
}
