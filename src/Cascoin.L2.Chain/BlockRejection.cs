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
    WrongQueueCursor,
    QueueEntriesMissing,
    BadParentCommit,
    L1AnchorBehindParent,
    L1AnchorNotConfirmed,
    L1AnchorHashMismatch,
    TimestampFarFromL1,
}

public sealed record BlockRejection(BlockRejectReason Reason, string Message)
{
    /// <summary>
    /// The block names something this node cannot judge yet (an L1 block its settlement chain has not
    /// confirmed, a timestamp ahead of its clock): kept and retried later, never held against the sender.
    /// </summary>
    public bool IsNotYetJudgeable => Reason is BlockRejectReason.L1AnchorNotConfirmed or BlockRejectReason.TimestampInFuture;

    public override string ToString() => $"{Reason}: {Message}";
}
