using Cascoin.L2.Chain.Bridge;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// Binds every header to the settlement chain (SPEC §7): its L1 anchor height never goes back and
/// never passes this node's confirmed L1 tip, its anchor hash is the hash of that L1 block on this
/// node's active chain, and its timestamp is within <see cref="ChainParameters.MaxL1TimestampDrift"/>
/// of that block's time. Without this, a block could name an old L1 height whose sequencer set was
/// a single key, or a made-up hash to steer the leader seed.
/// </summary>
public static class L1Binding
{
    public static BlockRejection? Check(BlockHeader parent, BlockHeader header, ISettlementView? settlement, ChainParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(parameters);
        if (header.L1AnchorHeight < parent.L1AnchorHeight)
            return new BlockRejection(BlockRejectReason.L1AnchorBehindParent, $"L1 anchor height {header.L1AnchorHeight} is below the parent's {parent.L1AnchorHeight}");
        if (settlement is null)
        {
            // A chain without a settlement layer (the regtest development chain) keeps genesis's anchor.
            return header.L1AnchorHeight == parent.L1AnchorHeight && header.L1AnchorHash == parent.L1AnchorHash
                ? null
                : new BlockRejection(BlockRejectReason.L1AnchorHashMismatch, "a chain without a settlement layer keeps its parent's L1 anchor");
        }
        if (header.L1AnchorHeight == parent.L1AnchorHeight && header.L1AnchorHeight == 0 && header.L1AnchorHash == parent.L1AnchorHash)
            return null; // nothing referenced yet (genesis's zero anchor)
        if (settlement.ConfirmedBlock(header.L1AnchorHeight) is not { } l1)
            return new BlockRejection(BlockRejectReason.L1AnchorNotConfirmed, $"L1 block {header.L1AnchorHeight} is not confirmed on this node's settlement chain yet");
        if (l1.Hash != header.L1AnchorHash)
            return new BlockRejection(BlockRejectReason.L1AnchorHashMismatch, $"L1 anchor hash {header.L1AnchorHash} is not L1 block {header.L1AnchorHeight} ({l1.Hash})");
        var drift = header.Timestamp > l1.Timestamp ? header.Timestamp - l1.Timestamp : l1.Timestamp - header.Timestamp;
        if (drift > (ulong)parameters.MaxL1TimestampDrift.TotalMilliseconds)
            return new BlockRejection(BlockRejectReason.TimestampFarFromL1, $"timestamp {header.Timestamp} is {drift / 1000} s from L1 block {header.L1AnchorHeight}'s ({l1.Timestamp}), more than {parameters.MaxL1TimestampDrift.TotalMinutes:F0} min");
        return null;
    }
}
