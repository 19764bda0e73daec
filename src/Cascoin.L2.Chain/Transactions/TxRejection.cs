namespace Cascoin.L2.Chain.Transactions;

/// <summary>Why a transaction was refused (mempool admission or block validity). The reason decides the RPC error code.</summary>
public enum TxRejectReason
{
    Malformed,
    TooLarge,
    BadSignature,
    WrongChainId,
    UnsupportedType,
    NonceTooLow,
    NonceTooHigh,
    InsufficientFunds,
    FeeTooLow,
    GasLimitTooLow,
    GasLimitTooHigh,
    RateLimited,
    AlreadyKnown,
    ReplacementUnderpriced,
    MempoolFull,
    SenderQueueFull,
    BlockFull,
    WithdrawalTooLarge,
}

/// <summary>A refusal: the reason and a message for people, e.g. "nonce too low: account nonce is 5, transaction has 3".</summary>
public sealed record TxRejection(TxRejectReason Reason, string Message)
{
    /// <summary>The bitcoind-style short name of the reason, e.g. "nonce-too-low".</summary>
    public string Code => Reason switch
    {
        TxRejectReason.Malformed => "tx-malformed",
        TxRejectReason.TooLarge => "tx-size",
        TxRejectReason.BadSignature => "bad-signature",
        TxRejectReason.WrongChainId => "wrong-chain-id",
        TxRejectReason.UnsupportedType => "unsupported-type",
        TxRejectReason.NonceTooLow => "nonce-too-low",
        TxRejectReason.NonceTooHigh => "nonce-too-high",
        TxRejectReason.InsufficientFunds => "insufficient-funds",
        TxRejectReason.FeeTooLow => "fee-too-low",
        TxRejectReason.GasLimitTooLow => "intrinsic-gas-too-low",
        TxRejectReason.GasLimitTooHigh => "gas-limit-above-block",
        TxRejectReason.RateLimited => "rate-limited",
        TxRejectReason.AlreadyKnown => "txn-already-known",
        TxRejectReason.ReplacementUnderpriced => "replacement-underpriced",
        TxRejectReason.MempoolFull => "mempool-full",
        TxRejectReason.SenderQueueFull => "too-many-pending-from-sender",
        TxRejectReason.BlockFull => "block-gas-exhausted",
        TxRejectReason.WithdrawalTooLarge => "withdrawal-too-large",
        _ => Reason.ToString(),
    };

    public override string ToString() => $"{Code}: {Message}";
}
