using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Bridge;

/// <summary>
/// The settlement chain as the L2 chain sees it (a port: the settlement layer implements it). Blocks
/// take L1 queue entries only from L1 blocks with the configured confirmations, and a block's entries
/// must be exactly the ones the settlement chain holds.
/// </summary>
public interface ISettlementView
{
    /// <summary>The newest L1 block with enough confirmations: what the next L2 block references.</summary>
    (ulong Height, Hash256 Hash) ConfirmedTip { get; }

    /// <summary>Queue entry <paramref name="sequence"/> of this chain (deposits and messages share a numbering; forced transactions have their own), or null.</summary>
    L1Message? GetQueued(L1MessageKind kind, ulong sequence);
}
