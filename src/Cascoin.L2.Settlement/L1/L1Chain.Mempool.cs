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
            var trial = TrialAfterPending(sender);
            var before = trial.State.Checkpoint();
            var refusal = trial.TryApply(transaction) ?? (refuseFailingCall ? trial.Receipts[^1].Refusal : null);
            if (refusal is not null)
            {
                trial.State.Rollback(before);
                return refusal;
            }
            _mempool.Add(transaction, sender);
            _lastTrial = new SenderTrial(sender, _active.Tip, transaction.Id, trial);
        }
        TransactionAccepted?.Invoke(transaction);
        return null;
    }

    /// <summary>The trial block of the last accepted submission: its sender's pending transactions applied on the tip.</summary>
    private sealed record SenderTrial(Address Sender, Hash256 Tip, Hash256 LastPending, L1BlockExecution Trial);

    private SenderTrial? _lastTrial;

    /// <summary>
    /// A trial block on the tip with <paramref name="sender"/>'s waiting transactions applied. A sender
    /// who submits several in a row (a sequencer's chained anchors, each with up to a megabyte of batch
    /// data to check) continues the last trial instead of re-applying all of them each time; it is
    /// started over when the tip or the sender's waiting transactions changed since.
    /// </summary>
    private L1BlockExecution TrialAfterPending(Address sender)
    {
        var pending = _mempool.From(sender).ToList();
        if (_lastTrial is { } last && last.Sender == sender && last.Tip == _active.Tip && pending.Count > 0 && pending[^1].Id == last.LastPending
            && last.Trial.Receipts.Count == pending.Count)
            return last.Trial;
        var trial = new L1BlockExecution(Parameters, _network, _active.Height + 1, Address.Zero, StateAtTipLocked(), this);
        foreach (var transaction in pending)
            trial.TryApply(transaction);
        return trial;
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
