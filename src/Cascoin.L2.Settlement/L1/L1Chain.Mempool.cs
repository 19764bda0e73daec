using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.Settlement.L1;

/// <summary>The settlement chain's mempool and mining: transactions checked against the tip wait in <see cref="L1Mempool"/> until a block takes them.</summary>
public sealed partial class L1Chain
{
    public IReadOnlyList<L1Transaction> Mempool
    {
        get
        {
            lock (_lock)
                return _mempool.Transactions;
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
            if (_mempool.Contains(transaction.Id))
                return new L1Refusal(L1RefuseReason.AlreadyInMempool, $"transaction {transaction.Id} is already waiting to be mined");
            if (transaction.RecoverSender(_network) is not { } sender)
                return new L1Refusal(L1RefuseReason.BadSignature, "the signature does not recover");
            var trial = new L1BlockExecution(Parameters, _network, _active.Height + 1, Address.Zero, StateAtTipLocked(), this);
            foreach (var pending in _mempool.From(sender))
                trial.TryApply(pending);
            if (trial.TryApply(transaction) is { } error)
                return error;
            if (refuseFailingCall && trial.Receipts[^1].Refusal is { } failed)
                return failed;
            _mempool.Add(transaction, sender);
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
            return _mempool.Remove(match);
    }

    /// <summary>The next nonce of <paramref name="sender"/> counting its transactions waiting to be mined.</summary>
    public ulong PendingNonce(Address sender)
    {
        lock (_lock)
            return _mempool.PendingNonce(sender, StateAtTipLocked().GetAccount(sender).Nonce);
    }

    /// <summary>Mines one block on the tip with the mempool's transactions, paying <paramref name="miner"/>.</summary>
    public L1Block Mine(Address miner, ulong timestampMs)
    {
        lock (_lock)
        {
            var parent = _tree[_active.Tip];
            var height = parent.Height + 1;
            var execution = new L1BlockExecution(Parameters, _network, height, miner, StateAtTipLocked(), this);
            var included = _mempool.FillBlock(execution, Parameters.MaxBlockBytes);
            execution.Finish();
            var update = _state.Prepare(height, execution.State.Changes.Select(c => new SmtChange(c.Key, c.Value)));
            var header = L1BlockHeader.Solve(new L1BlockHeader(height, parent.Hash, update.Root, MerkleRoot.Compute(included.Select(t => t.Id).ToList()),
                Math.Max(timestampMs, parent.Timestamp + 1), miner, Parameters.PowBits, 0));
            var block = new L1Block(header, included);
            CommitConnectLocked(block, update, execution.Receipts);
            // What could not be mined now (bad nonce after a reorg, no funds) stays for a later block unless it can never be valid.
            _mempool.DropStale(StateAtTipLocked());
            Changed?.Invoke(new L1ChainChange(parent.Height, [], [block]));
            return block;
        }
    }
}
