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
    OverLimit,

    /// <summary>Envelopes of earlier blocks wait to be opened: a block opens them before its own transactions.</summary>
    AwaitingDecryption,

    /// <summary>An envelope for a key epoch not committed yet as of the block's L1 reference.</summary>
    EpochNotReady,

    /// <summary>An envelope for a key epoch two or more epochs old.</summary>
    EpochExpired,

    /// <summary>An envelope for a key epoch the settlement chain has no key of.</summary>
    UnknownEpoch,
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
        TxRejectReason.OverLimit => "withdrawal-over-limit",
        TxRejectReason.AwaitingDecryption => "awaiting-decryption",
        TxRejectReason.EpochNotReady => "key-epoch-not-ready",
        TxRejectReason.EpochExpired => "key-epoch-expired",
        TxRejectReason.UnknownEpoch => "unknown-key-epoch",
        _ => Reason.ToString(),
    };

    /// <summary>
    /// Whether a block refusing the transaction means it will never fit: not so for a full block, the
    /// sender's per-block allowance, or funds that an earlier transaction of the same block (or the
    /// next block) may still bring. Producers drop lasting refusals from the mempool; the others
    /// stay, and the mempool's revalidation after the block removes what truly cannot pay.
    /// </summary>
    public bool IsLasting => Reason is not (TxRejectReason.BlockFull or TxRejectReason.RateLimited or TxRejectReason.InsufficientFunds
        or TxRejectReason.AwaitingDecryption or TxRejectReason.EpochNotReady);

    public override string ToString() => $"{Code}: {Message}";
}
