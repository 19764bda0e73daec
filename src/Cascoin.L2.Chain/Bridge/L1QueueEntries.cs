using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Bridge;

/// <summary>The L1 queue entries an L2 block takes: which are due, where they must stand, and their root in the header.</summary>
public static class L1QueueEntries
{
    /// <summary>Most L1 queue entries one block takes: a block's validity depends on it, and so does the most steps a fraud-proof game runs over.</summary>
    public const int MaxPerBlock = 1000;

    public static bool IsEntry(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Type is TransactionType.Deposit or TransactionType.L1ToL2Message or TransactionType.ForcedInclusion;
    }

    /// <summary>The header's L1 messages root: the Merkle root of the block's queue entries' ids.</summary>
    public static Hash256 Root(IEnumerable<Transaction> transactions) => MerkleRoot.Compute(transactions.Where(IsEntry).Select(t => t.Id).ToList());

    /// <summary>
    /// The entries due after <paramref name="cursor"/> by L1 block <paramref name="l1Height"/>, at most
    /// <paramref name="max"/>: deposits and messages, then forced transactions, in order, as the system
    /// transactions whose data is the entry's bytes. None without a settlement layer.
    /// </summary>
    public static List<Transaction> Due(ISettlementView? settlement, ulong chainId, QueueCursor cursor, ulong l1Height, int max)
    {
        var entries = new List<Transaction>();
        if (settlement is null)
            return entries;
        foreach (var (kind, start) in new[] { (L1MessageKind.Deposit, cursor.L1Messages), (L1MessageKind.Forced, cursor.Forced) })
        {
            for (var sequence = start; entries.Count < max; sequence++)
            {
                if (settlement.GetQueued(kind, sequence) is not { } message || message.Height > l1Height)
                    break;
                var type = message.Kind switch
                {
                    L1MessageKind.Deposit => TransactionType.Deposit,
                    L1MessageKind.Message => TransactionType.L1ToL2Message,
                    _ => TransactionType.ForcedInclusion,
                };
                entries.Add(new Transaction(type, chainId, message.Sequence, message.Recipient, message.Amount, 0, 0, 0, message.ToBytes(), default));
            }
        }
        return entries;
    }

    /// <summary>
    /// Forced inclusion with teeth: a block starts with exactly the <paramref name="due"/> entries (see
    /// <see cref="Due"/>) and has none elsewhere. A leader can neither leave a forced transaction out
    /// nor fill the block first so that it runs out of gas and is consumed as failed.
    /// </summary>
    public static BlockRejection? Check(Block block, IReadOnlyList<Transaction> due)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(due);
        for (var i = 0; i < due.Count; i++)
        {
            if (i >= block.Transactions.Count || block.Transactions[i].Id != due[i].Id)
                return new BlockRejection(BlockRejectReason.QueueEntriesMissing,
                    $"the block must start with the {due.Count} L1 queue entries due by L1 block {block.Header.L1AnchorHeight}; entry {i} is missing or out of place");
        }
        for (var i = due.Count; i < block.Transactions.Count; i++)
        {
            if (IsEntry(block.Transactions[i]))
                return new BlockRejection(BlockRejectReason.QueueEntriesMissing, $"transaction {i} is an L1 queue entry after the block's due ones");
        }
        return null;
    }
}
