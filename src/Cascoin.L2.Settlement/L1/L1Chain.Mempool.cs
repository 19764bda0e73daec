using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>The settlement chain's mempool: transactions checked against the tip, waiting to be mined.</summary>
public sealed partial class L1Chain
{
    public IReadOnlyList<L1Transaction> Mempool
    {
        get
        {
            lock (_lock)
                return _mempool.ToList();
        }
    }

    /// <summary>
    /// Queues a transaction for the next mined block after checking it could be mined now (signature,
    /// nonce in sequence, fee). With <paramref name="refuseFailingCall"/> a transaction whose contract
    /// call would fail in that trial is refused too, with the contract's reason: a wallet caller then
    /// learns why at once instead of paying a fee for a failed receipt.
    /// </summary>
    public L1Refusal? Submit(L1Transaction transaction, bool refuseFailingCall = false)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        lock (_lock)
        {
            if (_mempool.Any(t => t.Id == transaction.Id))
                return new L1Refusal(L1RefuseReason.AlreadyInMempool, $"transaction {transaction.Id} is already waiting to be mined");
            if (transaction.RecoverSender(_network) is not { } sender)
                return new L1Refusal(L1RefuseReason.BadSignature, "the signature does not recover");
            var trial = new L1BlockExecution(Parameters, _network, Height + 1, Address.Zero, StateAtTipLocked(), this);
            foreach (var pending in _mempool.Where(t => t.RecoverSender(_network) == sender).OrderBy(t => t.Nonce))
                trial.TryApply(pending);
            if (trial.TryApply(transaction) is { } error)
                return error;
            if (refuseFailingCall && trial.Receipts[^1].Refusal is { } failed)
                return failed;
            _mempool.Add(transaction);
        }
        TransactionAccepted?.Invoke(transaction);
        return null;
    }

    /// <summary>
    /// Takes the waiting transactions <paramref name="match"/> selects out of the mempool, with every
    /// later-nonce transaction of the same senders (they could never be mined after the gap). Returns what was removed.
    /// </summary>
    public IReadOnlyList<L1Transaction> RemoveFromMempool(Func<L1Transaction, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_lock)
        {
            var removed = new List<L1Transaction>();
            foreach (var first in _mempool.Where(match).ToList())
            {
                var sender = first.RecoverSender(_network);
                removed.AddRange(_mempool.Where(t => t == first || t.RecoverSender(_network) == sender && t.Nonce > first.Nonce));
            }
            var distinct = removed.Distinct().ToList();
            _mempool.RemoveAll(distinct.Contains);
            return distinct;
        }
    }

    /// <summary>The next nonce of <paramref name="sender"/> counting its transactions waiting to be mined.</summary>
    public ulong PendingNonce(Address sender)
    {
        lock (_lock)
        {
            var nonce = StateAtTipLocked().GetAccount(sender).Nonce;
            foreach (var pending in _mempool.Where(t => t.RecoverSender(_network) == sender).OrderBy(t => t.Nonce))
            {
                if (pending.Nonce == nonce)
                    nonce++;
            }
            return nonce;
        }
    }
}
