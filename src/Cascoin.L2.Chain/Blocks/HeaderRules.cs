using Cascoin.L2.Chain.Execution;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>The checks of a header against its parent and the clock (SPEC §5), before any transaction is executed.</summary>
public static class HeaderRules
{
    public static BlockRejection? Check(BlockHeader parent, BlockHeader header, ChainParameters parameters, ulong nowMs)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(parameters);
        if (header.ParentHash != parent.Hash)
            return new BlockRejection(BlockRejectReason.WrongParent, $"block {header.Number} builds on {header.ParentHash}, the tip is {parent.Hash}");
        if (header.Number != parent.Number + 1)
            return new BlockRejection(BlockRejectReason.WrongNumber, $"block number {header.Number} does not follow {parent.Number}");
        if (header.Timestamp <= parent.Timestamp)
            return new BlockRejection(BlockRejectReason.TimestampNotIncreasing, $"timestamp {header.Timestamp} is not after the parent's {parent.Timestamp}");
        // Saturating: a clock near the end of time (ulong.MaxValue = "no limit") must not wrap to a tiny limit.
        var ahead = (ulong)parameters.MaxFutureTimestamp.TotalMilliseconds;
        var limit = nowMs > ulong.MaxValue - ahead ? ulong.MaxValue : nowMs + ahead;
        if (header.Timestamp > limit)
            return new BlockRejection(BlockRejectReason.TimestampInFuture, $"timestamp {header.Timestamp} is more than {parameters.MaxFutureTimestamp.TotalSeconds:F0} s ahead of this node's clock ({nowMs})");
        if (header.GasLimit != parameters.BlockGasLimit)
            return new BlockRejection(BlockRejectReason.WrongGasLimit, $"gas limit {header.GasLimit}, the chain's is {parameters.BlockGasLimit}");
        if (header.GasUsed > header.GasLimit)
            return new BlockRejection(BlockRejectReason.GasOverLimit, $"gas used {header.GasUsed} is above the gas limit {header.GasLimit}");
        var baseFee = FeeMarket.NextBaseFee(parent.BaseFee, parent.GasUsed, parent.GasLimit, parameters.MinGasPrice);
        if (header.BaseFee != baseFee)
            return new BlockRejection(BlockRejectReason.WrongBaseFee, $"base fee {header.BaseFee}, expected {baseFee}");
        return null;
    }
}
