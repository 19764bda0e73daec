using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The settlement chain's waiting transactions with their recovered senders (recovered once, on entry),
/// in arrival order. Admission checks run in <see cref="L1Chain.Submit"/>, which holds the chain's lock
/// around this; here is only what the pool holds and how it is taken out.
/// </summary>
internal sealed class L1Mempool
{
    private readonly List<(L1Transaction Transaction, Address Sender)> _entries = [];

    public IReadOnlyList<L1Transaction> Transactions => _entries.Select(e => e.Transaction).ToList();

    public bool Contains(Hash256 id) => _entries.Exists(e => e.Transaction.Id == id);

    public void Add(L1Transaction transaction, Address sender) => _entries.Add((transaction, sender));

    /// <summary><paramref name="sender"/>'s waiting transactions, lowest nonce first.</summary>
    public IEnumerable<L1Transaction> From(Address sender) => _entries.Where(e => e.Sender == sender).Select(e => e.Transaction).OrderBy(t => t.Nonce);

    /// <summary>The next nonce of <paramref name="sender"/> after <paramref name="accountNonce"/> counting its waiting transactions in sequence.</summary>
    public ulong PendingNonce(Address sender, ulong accountNonce)
    {
        var nonce = accountNonce;
        foreach (var pending in From(sender))
        {
            if (pending.Nonce == nonce)
                nonce++;
        }
        return nonce;
    }

    /// <summary>The order a block is filled in: by sender, then nonce (a sender's sequence stays in order).</summary>
    public IReadOnlyList<L1Transaction> InBlockOrder() =>
        _entries.OrderBy(e => e.Sender.ToHex(), StringComparer.Ordinal).ThenBy(e => e.Transaction.Nonce).Select(e => e.Transaction).ToList();

    /// <summary>Removes what <paramref name="match"/> selects with every later-nonce transaction of the same senders (they could never be mined after the gap).</summary>
    public IReadOnlyList<L1Transaction> Remove(Func<L1Transaction, bool> match)
    {
        var removed = new HashSet<L1Transaction>();
        foreach (var (first, sender) in _entries.Where(e => match(e.Transaction)).ToList())
        {
            foreach (var entry in _entries.Where(e => e.Transaction == first || e.Sender == sender && e.Transaction.Nonce > first.Nonce))
                removed.Add(entry.Transaction);
        }
        _entries.RemoveAll(e => removed.Contains(e.Transaction));
        return removed.ToList();
    }

    /// <summary>Drops what the tip has mined or made stale (the sender's nonce moved past it).</summary>
    public void DropStale(L1StateView tip)
    {
        ArgumentNullException.ThrowIfNull(tip);
        _entries.RemoveAll(e => tip.GetAccount(e.Sender).Nonce > e.Transaction.Nonce);
    }

    /// <summary>Puts back transactions of disconnected blocks that the new branch did not mine; a bad signature cannot be in a mined block, so each has a sender.</summary>
    public void Return(IEnumerable<L1Transaction> disconnected, IReadOnlySet<Hash256> kept, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(disconnected);
        ArgumentNullException.ThrowIfNull(kept);
        foreach (var transaction in disconnected)
        {
            if (!kept.Contains(transaction.Id) && !Contains(transaction.Id) && transaction.RecoverSender(network) is { } sender)
                _entries.Add((transaction, sender));
        }
    }

    /// <summary>
    /// Applies waiting transactions to <paramref name="execution"/> in block order, again and again while
    /// any more fit (one may fund another sender's fee) within <paramref name="maxBytes"/> of block; returns those included, in block order.
    /// </summary>
    public IReadOnlyList<L1Transaction> FillBlock(L1BlockExecution execution, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var included = new List<L1Transaction>();
        var waiting = InBlockOrder().ToList();
        var bytes = (long)L1BlockHeader.EncodedSize + 9;
        bool progress;
        do
        {
            progress = false;
            foreach (var transaction in waiting.ToList())
            {
                // What does not fit waits for the next block (a sender's later nonces then cannot apply either).
                if (bytes + transaction.Size > maxBytes)
                    continue;
                if (execution.TryApply(transaction) is null)
                {
                    included.Add(transaction);
                    waiting.Remove(transaction);
                    bytes += transaction.Size;
                    progress = true;
                }
            }
        }
        while (progress && waiting.Count > 0);
        return included;
    }
}
