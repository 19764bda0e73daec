using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Mempool;

/// <summary>
/// Transactions waiting for a block: per sender a run of consecutive nonces starting at the
/// account's nonce (a gap is refused as "nonce too high", so everything held can be executed in
/// order), replace-by-fee with a minimum bump, a per-sender and a total limit with eviction of the
/// cheapest, and revalidation of the senders of every committed block. Thread-safe.
/// </summary>
public sealed class TxPool
{
    private readonly ChainParameters _parameters;
    private readonly TxPoolOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<Address, SenderQueue> _senders = [];
    private readonly Dictionary<Hash256, Transaction> _byId = [];
    private long _arrivals;
    private long _bytes;

    public TxPool(ChainParameters parameters, TxPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        _parameters = parameters;
        _options = options;
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _byId.Count;
        }
    }

    /// <summary>The encoded size of every pending transaction.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
                return _bytes;
        }
    }

    /// <summary>Under the lock: drops <paramref name="transaction"/> from the index and the byte count.</summary>
    private void Forget(Transaction transaction)
    {
        if (_byId.Remove(transaction.Id))
            _bytes -= transaction.Size;
    }

    /// <summary>Raised (outside the lock) after a transaction was accepted.</summary>
    public event Action<Transaction>? TransactionAdded;

    public bool Contains(Hash256 id)
    {
        lock (_lock)
            return _byId.ContainsKey(id);
    }

    public Transaction? Get(Hash256 id)
    {
        lock (_lock)
            return _byId.GetValueOrDefault(id);
    }

    /// <summary>The nonce the sender's next new transaction must have: the account's nonce plus what it has pending.</summary>
    public ulong PendingNonce(Address sender, AccountState account)
    {
        lock (_lock)
        {
            if (!_senders.TryGetValue(sender, out var queue))
                return account.Nonce;
            queue.Align(account.Nonce, Forget);
            return queue.NextNonce(account.Nonce);
        }
    }

    /// <summary>
    /// Admits <paramref name="transaction"/> against the sender's current account and the next
    /// block's base fee, or says why not.
    /// </summary>
    public TxRejection? Add(Transaction transaction, Func<Address, AccountState> state, ulong nextBaseFee)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(state);
        var stateless = TransactionRules.CheckStateless(transaction, _parameters);
        if (stateless is not null)
            return stateless;
        var sender = transaction.Sender!.Value;
        lock (_lock)
        {
            // Read under the lock: RemoveCommitted (also under it) runs after each commit, so the
            // account and the queue always describe the same block.
            var account = state(sender);
            var effectiveBaseFee = FeeMarket.EffectiveBaseFee(nextBaseFee, account.HatScore, _parameters);
            if (transaction.MaxFeePerGas < effectiveBaseFee)
                return new TxRejection(TxRejectReason.FeeTooLow, $"max fee per gas {transaction.MaxFeePerGas} is below the current base fee {effectiveBaseFee}");
            if (_byId.ContainsKey(transaction.Id))
                return new TxRejection(TxRejectReason.AlreadyKnown, $"transaction {transaction.Id} is already in the mempool");
            if (transaction.Nonce < account.Nonce)
                return new TxRejection(TxRejectReason.NonceTooLow, $"nonce too low: account nonce is {account.Nonce}, transaction has {transaction.Nonce}");
            if (!_senders.TryGetValue(sender, out var queue))
                queue = new SenderQueue();
            queue.Align(account.Nonce, Forget);
            var next = queue.NextNonce(account.Nonce);
            if (transaction.Nonce > next)
                return new TxRejection(TxRejectReason.NonceTooHigh, $"nonce too high: the next nonce of {sender} is {next}, transaction has {transaction.Nonce}");
            var first = queue.Items.Count > 0 ? queue.Items[0].Transaction.Nonce : account.Nonce;
            if (transaction.Nonce < first)
                return new TxRejection(TxRejectReason.NonceTooLow, $"nonce too low: the first pending nonce of {sender} is {first}, transaction has {transaction.Nonce}");
            var position = (int)(transaction.Nonce - first);
            var replaced = position < queue.Items.Count ? queue.Items[position].Transaction : null;
            if (replaced is not null && !IsEnoughBump(replaced, transaction))
                return new TxRejection(TxRejectReason.ReplacementUnderpriced,
                    $"replacing nonce {transaction.Nonce} needs both fee caps raised by {_options.ReplacementBumpPercent} % (max fee ≥ {Bumped(replaced.MaxFeePerGas)}, priority fee ≥ {Bumped(replaced.MaxPriorityFeePerGas)})");
            if (replaced is null && queue.Items.Count >= _options.MaxPerSender)
                return new TxRejection(TxRejectReason.SenderQueueFull, $"{sender} already has {queue.Items.Count} pending transactions (limit {_options.MaxPerSender})");

            var reserved = Amount.Zero;
            for (var i = 0; i < queue.Items.Count; i++)
                reserved += i == position ? Amount.Zero : TransactionRules.UpfrontCost(queue.Items[i].Transaction)!.Value;
            var needed = reserved + TransactionRules.UpfrontCost(transaction)!.Value;
            if (needed > account.Balance)
                return new TxRejection(TxRejectReason.InsufficientFunds, $"balance {account.Balance} CAS is below {needed} CAS (value + gas limit × max fee of this and the pending transactions)");

            if (replaced is null && _byId.Count >= _options.MaxTransactions && !EvictCheaperThan(transaction, sender))
                return new TxRejection(TxRejectReason.MempoolFull, $"the mempool is full ({_options.MaxTransactions} transactions) and holds none cheaper to evict");

            var entry = new PoolEntry(transaction, ++_arrivals);
            if (replaced is not null)
            {
                Forget(replaced);
                queue.Items[position] = entry;
            }
            else
            {
                queue.Items.Add(entry);
            }
            _byId[transaction.Id] = transaction;
            _bytes += transaction.Size;
            _senders[sender] = queue;
        }
        TransactionAdded?.Invoke(transaction);
        return null;
    }

    /// <summary>
    /// Candidates for the next block in inclusion order: repeatedly the sender head paying the
    /// highest tip per gas (first arrival breaks ties), each sender's nonces in order, within the
    /// block's gas and each sender's rate limit.
    /// </summary>
    public IReadOnlyList<Transaction> SelectForBlock(ulong baseFee, Func<Address, AccountState> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var selected = new List<Transaction>();
        lock (_lock)
        {
            var heads = new PriorityQueue<(SenderQueue Queue, int Index, int Limit), (ulong NegativeTip, long Arrival)>();
            foreach (var (sender, queue) in _senders)
            {
                var account = state(sender);
                queue.Align(account.Nonce, Forget);
                queue.HatScore = account.HatScore;
                // Empty, or (after a revert) not starting at the account's nonce: nothing executable.
                if (queue.Items.Count == 0 || queue.Items[0].Transaction.Nonce != account.Nonce)
                    continue;
                var limit = _parameters.RateLimitFor(account.HatScore);
                var effectiveBase = FeeMarket.EffectiveBaseFee(baseFee, account.HatScore, _parameters);
                heads.Enqueue((queue, 0, limit), Priority(queue.Items[0], effectiveBase));
            }
            ulong gas = 0;
            while (heads.TryDequeue(out var head, out _))
            {
                var entry = head.Queue.Items[head.Index];
                var transaction = entry.Transaction;
                var effectiveBase = FeeMarket.EffectiveBaseFee(baseFee, head.Queue.HatScore, _parameters);
                // A head below the base fee blocks its sender's later nonces too.
                if (transaction.MaxFeePerGas < effectiveBase)
                    continue;
                var intrinsic = IntrinsicGas.Of(transaction);
                if (gas + intrinsic > _parameters.BlockGasLimit)
                    continue;
                gas += intrinsic;
                selected.Add(transaction);
                var nextIndex = head.Index + 1;
                if (nextIndex < head.Queue.Items.Count && nextIndex < head.Limit)
                    heads.Enqueue((head.Queue, nextIndex, head.Limit), Priority(head.Queue.Items[nextIndex], effectiveBase));
            }
        }
        return selected;
    }

    /// <summary>After a block: forgets its transactions and revalidates its senders (stale nonces, balances that no longer cover the queue).</summary>
    public void RemoveCommitted(IEnumerable<Transaction> committed, Func<Address, AccountState> state)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            var senders = new HashSet<Address>();
            foreach (var transaction in committed)
            {
                if (transaction.Sender is { } sender)
                    senders.Add(sender);
            }
            foreach (var sender in senders)
            {
                if (!_senders.TryGetValue(sender, out var queue))
                    continue;
                var account = state(sender);
                queue.HatScore = account.HatScore;
                queue.Align(account.Nonce, Forget);
                var reserved = Amount.Zero;
                for (var i = 0; i < queue.Items.Count; i++)
                {
                    reserved += TransactionRules.UpfrontCost(queue.Items[i].Transaction)!.Value;
                    if (reserved > account.Balance)
                    {
                        // This one and every later nonce can no longer be paid for.
                        foreach (var dropped in queue.Items.Skip(i))
                            Forget(dropped.Transaction);
                        queue.Items.RemoveRange(i, queue.Items.Count - i);
                        break;
                    }
                }
                if (queue.Items.Count == 0)
                    _senders.Remove(sender);
            }
        }
    }

    /// <summary>Removes the given transactions and, to keep each sender's nonces consecutive, the sender's later ones.</summary>
    public void Remove(IEnumerable<Hash256> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (!_byId.TryGetValue(id, out var transaction) || transaction.Sender is not { } sender || !_senders.TryGetValue(sender, out var queue))
                    continue;
                var index = queue.Items.FindIndex(e => e.Transaction.Id == id);
                if (index < 0)
                    continue;
                foreach (var removed in queue.Items.Skip(index))
                    Forget(removed.Transaction);
                queue.Items.RemoveRange(index, queue.Items.Count - index);
                if (queue.Items.Count == 0)
                    _senders.Remove(sender);
            }
        }
    }

    /// <summary>
    /// Takes every pending transaction of <paramref name="senders"/> out and returns them, each
    /// sender's in nonce order. A chain revert needs this: the reverted transactions have lower nonces
    /// than what these senders have waiting, so they go back first and the waiting ones after them.
    /// </summary>
    public IReadOnlyList<Transaction> RemoveSenders(IEnumerable<Address> senders)
    {
        ArgumentNullException.ThrowIfNull(senders);
        var removed = new List<Transaction>();
        lock (_lock)
        {
            foreach (var sender in senders.Distinct())
            {
                if (!_senders.Remove(sender, out var queue))
                    continue;
                foreach (var entry in queue.Items)
                {
                    Forget(entry.Transaction);
                    removed.Add(entry.Transaction);
                }
            }
        }
        return removed;
    }

    private static (ulong, long) Priority(PoolEntry entry, ulong effectiveBaseFee)
    {
        var transaction = entry.Transaction;
        var tip = transaction.MaxFeePerGas < effectiveBaseFee ? 0 : Math.Min(transaction.MaxPriorityFeePerGas, transaction.MaxFeePerGas - effectiveBaseFee);
        return (ulong.MaxValue - tip, entry.Arrival);
    }

    private bool IsEnoughBump(Transaction old, Transaction replacement) =>
        replacement.MaxFeePerGas >= Bumped(old.MaxFeePerGas) && replacement.MaxPriorityFeePerGas >= Bumped(old.MaxPriorityFeePerGas);

    private ulong Bumped(ulong value) => (ulong)UInt128.Min(ulong.MaxValue, ((UInt128)value * (ulong)(100 + _options.ReplacementBumpPercent) + 99) / 100);

    /// <summary>Evicts the last-in-queue transaction with the lowest max fee when it pays less than <paramref name="incoming"/>.</summary>
    private bool EvictCheaperThan(Transaction incoming, Address incomingSender)
    {
        Address? cheapestSender = null;
        ulong cheapestFee = ulong.MaxValue;
        foreach (var (sender, queue) in _senders)
        {
            if (queue.Items.Count == 0 || sender == incomingSender)
                continue;
            var tail = queue.Items[^1].Transaction;
            if (tail.MaxFeePerGas < cheapestFee)
            {
                cheapestFee = tail.MaxFeePerGas;
                cheapestSender = sender;
            }
        }
        if (cheapestSender is not { } victim || cheapestFee >= incoming.MaxFeePerGas)
            return false;
        var victimQueue = _senders[victim];
        Forget(victimQueue.Items[^1].Transaction);
        victimQueue.Items.RemoveAt(victimQueue.Items.Count - 1);
        if (victimQueue.Items.Count == 0)
            _senders.Remove(victim);
        return true;
    }

    private sealed record PoolEntry(Transaction Transaction, long Arrival);

    /// <summary>One sender's pending transactions: consecutive nonces, the first equal to the account's nonce.</summary>
    private sealed class SenderQueue
    {
        public List<PoolEntry> Items { get; } = [];

        public byte HatScore { get; set; }

        /// <summary>The nonce after the last pending one, or the account's when nothing is pending.</summary>
        public ulong NextNonce(ulong accountNonce) => Items.Count == 0 ? accountNonce : Math.Max(accountNonce, Items[^1].Transaction.Nonce + 1);

        /// <summary>Drops what a committed block already used (nonces below the account's).</summary>
        public void Align(ulong accountNonce, Action<Transaction> forget)
        {
            var stale = 0;
            while (stale < Items.Count && Items[stale].Transaction.Nonce < accountNonce)
                forget(Items[stale++].Transaction);
            if (stale > 0)
                Items.RemoveRange(0, stale);
        }
    }
}
