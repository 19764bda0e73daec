namespace Cascoin.L2.Chain;

/// <summary>Why a block is invalid (SPEC §5). The reason decides how the peer that sent it is scored.</summary>
public enum BlockRejectReason
{
    WrongParent,
    WrongNumber,
    TimestampNotIncreasing,
    TimestampInFuture,
    WrongGasLimit,
    GasOverLimit,
    WrongBaseFee,
    BadSignature,
    UnknownSequencer,
    InvalidTransaction,
    BadTransactionsRoot,
    BadReceiptsRoot,
    BadL1MessagesRoot,
    BadStateRoot,
    WrongGasUsed,
}

public sealed record BlockRejection(BlockRejectReason Reason, string Message)
{
    public override string ToString() => $"{Reason}: {Message}";
}
