using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.Contracts;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>A newHeads notification: the block's header, as l2_getblockbynumber names its fields (no transactions, no signers).</summary>
public sealed record HeadDto(
    string Hash,
    ulong Number,
    string ParentHash,
    string StateRoot,
    string TransactionsRoot,
    string ReceiptsRoot,
    string Sequencer,
    ulong Timestamp,
    ulong GasLimit,
    ulong GasUsed,
    ulong BaseFeePerGas,
    ulong L1AnchorHeight,
    int NTx,
    int CommitRound)
{
    public static HeadDto Of(Block block, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(block);
        var header = block.Header;
        return new HeadDto(block.Hash.ToString(), block.Number, header.ParentHash.ToString(), header.StateRoot.ToHex(), header.TransactionsRoot.ToHex(),
            header.ReceiptsRoot.ToHex(), header.Sequencer.ToBase58(network), header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee,
            header.L1AnchorHeight, block.Transactions.Count, block.CommitRound);
    }
}

/// <summary>An anchors notification: the anchor as recorded on L1 (l2_getbatch has the rest).</summary>
public sealed record AnchorEventDto(ulong Index, ulong FirstBlock, ulong LastBlock, string StateRoot, string LastBlockHash, string DaCommitment, ulong L1Height, string Poster)
{
    public static AnchorEventDto Of(AnchorRecord anchor, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        return new AnchorEventDto(anchor.Index, anchor.FirstBlock, anchor.LastBlock, anchor.StateRoot.ToHex(), anchor.LastBlockHash.ToString(),
            anchor.DataRoot.ToHex(), anchor.PostedHeight, anchor.Poster.ToBase58(network));
    }
}

/// <summary>A finalized notification: the newest L2 block an anchor final on L1 covers, and that anchor.</summary>
public sealed record FinalizedDto(ulong Number, string Hash, string StateRoot, ulong AnchorIndex, ulong L1Height);

/// <summary>
/// A withdrawals notification, with l2_getwithdrawalstatus' status names: pending (in an L2 block),
/// anchored (an anchor covers it), finalizable or paid (once that anchor is final).
/// </summary>
public sealed record WithdrawalEventDto(string TxId, string Status, ulong L2Block, string Recipient, Amount Amount, ulong? AnchorIndex)
{
    public static WithdrawalEventDto Of(WithdrawalStatus status, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new WithdrawalEventDto(status.Id.ToString(), status.State.ToString().ToLowerInvariant(), status.Block, status.Recipient.ToBase58(network),
            status.Amount, status.AnchorIndex);
    }
}
