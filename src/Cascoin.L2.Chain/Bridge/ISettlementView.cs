using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Bridge;

/// <summary>
/// The settlement chain as the L2 chain sees it (a port: the settlement layer implements it). Blocks
/// take L1 queue entries only from L1 blocks with the configured confirmations, and a block's entries
/// must be exactly the ones the settlement chain holds.
/// </summary>
public readonly record struct L1BlockReference(ulong Height, Hash256 Hash, ulong Timestamp);

/// <summary>An epoch's encryption key as L2 execution reads it: the key with its members' verification keys, and the L1 height that committed it.</summary>
public sealed record EpochKeyInfo(ulong Epoch, Crypto.Threshold.ThresholdKey Key, ulong CommittedHeight);

public interface ISettlementView
{
    /// <summary>The newest L1 block with enough confirmations: what the next L2 block references.</summary>
    (ulong Height, Hash256 Hash) ConfirmedTip { get; }

    /// <summary>The active L1 block at <paramref name="height"/> when it has the configured confirmations here, else null (not seen yet, or not confirmed yet).</summary>
    L1BlockReference? ConfirmedBlock(ulong height);

    /// <summary>Epoch <paramref name="epoch"/>'s encryption key of this chain as the settlement chain records it, with the L1 height that committed it; null when there is none.</summary>
    EpochKeyInfo? EpochKey(ulong epoch);

    /// <summary>Queue entry <paramref name="sequence"/> of this chain (deposits and messages share a numbering; forced transactions have their own), or null.</summary>
    L1Message? GetQueued(L1MessageKind kind, ulong sequence);
}
