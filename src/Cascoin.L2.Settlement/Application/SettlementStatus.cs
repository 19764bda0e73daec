using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Application;

/// <summary>Where a withdrawal stands: not anchored yet, in its challenge period, payable by the next L1 block, paid.</summary>
public enum WithdrawalState
{
    Pending,
    Anchored,
    Finalizable,
    Paid,
}

/// <summary>A withdrawal as L1 sees it: its record on L2, the anchor covering its block and the L1 height from which it can be paid.</summary>
public sealed record WithdrawalStatus(Hash256 Id, WithdrawalState State, Address Recipient, Amount Amount, ulong Block, ulong? AnchorIndex, ulong? FinalAt, ulong L1Height);

/// <summary>Where a cross-layer message stands: L1→L2 queued or delivered; L2→L1 pending, anchored, executable or executed.</summary>
public enum MessageState
{
    Queued,
    Delivered,
    Pending,
    Anchored,
    Executable,
    Executed,
}

/// <summary>A cross-layer message: an L1→L2 queue entry (by its number) or an L2→L1 message (by its L2 txid).</summary>
public sealed record MessageStatus(string Id, bool ToL2, MessageState State, Address From, Address To, byte[] Data, ulong? Block, ulong? AnchorIndex, ulong? FinalAt);
