using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Accounts;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Settlement;

/// <summary>An L2 transaction that an L1 reorganization took out of the chain and that could not be put back.</summary>
public sealed record AffectedTransaction(Hash256 TransactionId, ulong RevertedBlock, string Outcome);

/// <summary>
/// The L2 side of settlement for a chain deployed on the embedded L1: it feeds the chain its L1 view,
/// posts an anchor every batch interval (the certificate of its last block), says whether the node
/// may produce (an eligible sequencer, chain not in emergency), and recovers from L1 reorganizations:
/// when a reorganization removes an anchor or a queue entry the L2 used, the L2 returns to the last
/// anchor still on L1 and its user transactions go back to the mempool in order; those that no longer
/// apply are reported.
/// </summary>
public sealed class SettlementMonitor
{
    private readonly IL1Client _l1;
    private readonly L2Blockchain _l2;
    private readonly TxPool _pool;
    private readonly PrivateKey _sequencerKey;
    private readonly Address _sequencer;
    private readonly NetworkParameters _network;
    private readonly ILogger<SettlementMonitor> _logger;
    private readonly Lock _lock = new();
    private readonly List<AffectedTransaction> _affected = [];
    private readonly System.Threading.Channels.Channel<L1ChainChange?> _work = System.Threading.Channels.Channel.CreateUnbounded<L1ChainChange?>(new() { SingleReader = true });
    private readonly System.Collections.Concurrent.ConcurrentQueue<DoubleSignCall> _reports = new();
    private readonly List<AnchorRecord> _conflicting = [];
    private readonly AnchorCut _cut = new();
    private ulong _anchorsChecked;

    /// <summary>The highest L2 block an anchor on the active L1 chain has covered: a reorganization that lowers it removed an anchor.</summary>
    private ulong _lastAnchoredSeen;

    public SettlementMonitor(IL1Client l1, L2Blockchain l2, TxPool pool, PrivateKey sequencerKey, NetworkParameters network, ILogger<SettlementMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(l2);
        ArgumentNullException.ThrowIfNull(sequencerKey);
        _l1 = l1;
        _l2 = l2;
        _pool = pool;
        _sequencerKey = sequencerKey;
        _sequencer = Address.FromPublicKey(sequencerKey.PublicKey.AsSpan());
        _network = network;
        _logger = logger;
    }

    public ulong ChainId => _l2.Parameters.ChainId;

    /// <summary>The chain's registry record at the L1 tip, or null when the chain is not deployed there.</summary>
    public ChainRecord? Record => _l1.GetChain(ChainId);

    /// <summary>Whether the chain is deployed on the embedded L1 (else it runs without settlement).</summary>
    public bool IsDeployed => Record is not null;

    public IReadOnlyList<AffectedTransaction> Affected
    {
        get
        {
            lock (_lock)
                return _affected.ToList();
        }
    }

    /// <summary>Connects the chain to its L1 view and subscribes to blocks on both layers.</summary>
    public void Start()
    {
        if (!IsDeployed)
        {
            _logger.LogInformation("L2 chain {ChainId} is not deployed on the settlement chain: running without deposits, anchors or withdrawals", ChainId);
            return;
        }
        _l2.Settlement = new SettlementLayerView(_l1, ChainId);
        // Both events fire under their chain's lock; the work runs on RunAsync's loop instead, so
        // the two locks are never taken in opposite orders (L2 commit → L1 submit, L1 reorg → L2 revert).
        _l2.BlockCommitted += (_, _) => _work.Writer.TryWrite(null);
        _lastAnchoredSeen = Record!.LastAnchoredBlock;
        _l1.Changed += change => _work.Writer.TryWrite(change);
        // The L1 may have reorganized while the node was down (or while it loaded): check once at start.
        var height = _l1.Tip.Height;
        _work.Writer.TryWrite(new L1ChainChange(height, [], []) { Startup = true });
        _logger.LogInformation("L2 chain {ChainId} follows the settlement chain at L1 height {Height}", ChainId, height);
    }

    /// <summary>Handles L1 changes (in order) and anchor checks until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _work.Reader.ReadAllAsync(cancellationToken))
            {
                if (change is not null)
                    OnL1Changed(change);
                CheckAnchors();
                PostAnchorIfDue();
                PostDoubleSignReports();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Null when this node may produce the next block; otherwise why not.</summary>
    public string? ProductionBlockedReason()
    {
        if (Record is not { } chain)
            return null;
        if (chain.Status == ChainStatus.Emergency)
            return "the chain is in emergency mode: production halted, users exit with l2_emergencywithdraw";
        if (chain.Status is ChainStatus.Bootstrapping or ChainStatus.Deprecated)
            return $"the chain is {chain.Status.ToString().ToLowerInvariant()}";
        return _l1.IsEligibleSequencer(ChainId, _sequencer) ? null : $"this node's sequencer {_sequencer} is not an eligible sequencer of chain {ChainId} (stake and score)";
    }

    /// <summary>Regtest switch (l2_setanchoring): with it off the node posts no anchors, so the emergency window can be reached on purpose.</summary>
    public bool AnchoringEnabled { get; set; } = true;

    /// <summary>
    /// Most anchors of this node waiting for one L1 block: each carries at most
    /// <see cref="SettlementParameters.MaxBatchBytes"/> of data, so a backlog (a burst of L2 blocks, L1
    /// blocks late) drains several batches per L1 block before its headers grow too old for L1
    /// (<see cref="SettlementParameters.MaxAnchorL1Age"/>).
    /// </summary>
    public const int MaxAnchorsInFlight = 8;

    /// <summary>L1 blocks without a new anchor after which any sequencer may post, not only the one whose turn it is.</summary>
    public const ulong AnchorOverdueL1Blocks = 3;

    /// <summary>
    /// Posts the next batches when the chain is a batch interval past the end of what is anchored or
    /// waiting to be (anchors of this chain in the L1 mempool, by any poster, that continue the last
    /// anchored block): the headers from the block after it (at most
    /// <see cref="SettlementParameters.MaxAnchorBlocks"/>, cut to fit the batch size) with the finality
    /// certificate of the last, which this node stored when it committed that block, and their data.
    /// Nothing is signed for it: the certificate is the sequencers' precommits, so this node can never
    /// anchor a chain other than its own. Each batch builds on the one before in the same L1 block. One
    /// poster at a time, so sequencers do not pay for the same batch twice: the eligible sequencer whose
    /// turn it is at the L1 tip (by address, the height modulo their number); any of them once no anchor
    /// came for <see cref="AnchorOverdueL1Blocks"/> L1 blocks (that one may be down).
    /// </summary>
    public void PostAnchorIfDue()
    {
        lock (_lock)
        {
            if (!AnchoringEnabled)
                return;
            if (Record is not { } chain || chain.Status is not (ChainStatus.Active or ChainStatus.Paused))
                return;
            // Followers (full nodes that are not sequencers) do not post: the sequencers pay for their batches.
            if (!_l1.IsEligibleSequencer(ChainId, _sequencer))
                return;
            var head = _l2.Head;
            var interval = _l1.Parameters.BatchInterval;
            if (chain.LastAnchoredBlock == ulong.MaxValue || head.Number < 2)
                return;
            var overdue = _l1.Tip.Height >= chain.LastAnchorHeight + AnchorOverdueL1Blocks;
            if (!overdue && !IsMyTurn())
                return;
            var (anchoredTo, waiting) = PendingEnd(chain.LastAnchoredBlock);
            while (waiting < MaxAnchorsInFlight && head.Number - anchoredTo >= interval)
            {
                var first = anchoredTo + 1;
                var last = Math.Min(head.Number, first + (ulong)_l1.Parameters.MaxAnchorBlocks - 1);
                if (BuildAnchor(first, last) is not { } call || !Post(call))
                    return;
                (anchoredTo, waiting) = (call.LastBlock, waiting + 1);
            }
        }
    }

    /// <summary>Whether this node is the eligible sequencer whose turn it is to post at the current L1 tip.</summary>
    private bool IsMyTurn()
    {
        if (_l1.EligibleSequencers(ChainId) is not { Count: > 0 } eligible)
            return false;
        var ordered = eligible.Select(e => e.Address).OrderBy(a => a.ToHex(), StringComparer.Ordinal).ToList();
        return ordered[(int)(_l1.Tip.Height % (ulong)ordered.Count)] == _sequencer;
    }

    /// <summary>Where the anchors waiting in the L1 mempool take the chain from <paramref name="anchored"/>, following each continuation, and how many that is.</summary>
    private (ulong End, int Count) PendingEnd(ulong anchored)
    {
        var pending = _l1.PendingAnchors(ChainId);
        var end = anchored;
        var count = 0;
        while (pending.FirstOrDefault(a => a.FirstBlock == end + 1 && _l2.GetHeader(a.LastBlock)?.Hash == a.Last.Hash) is { } next)
        {
            end = next.LastBlock;
            count++;
        }
        return (end, count);
    }

    private bool Post(AnchorCall call)
    {
        var payload = call.ToBytes();
        var transaction = L1Transaction.Sign(L1TransactionKind.Anchor, _l1.PendingNonce(_sequencer), _l1.Parameters.FeeFor(L1TransactionKind.Anchor, payload.Length),
            payload, _sequencerKey, _network);
        if (_l1.Submit(transaction) is { } error)
        {
            _logger.LogWarning("Could not post the anchor of L2 blocks {First}..{Last}: {Error}", call.FirstBlock, call.LastBlock, error);
            return false;
        }
        _logger.LogInformation("Posted anchor of L2 blocks {First}..{Last} ({Signatures} precommits, {Bytes} bytes of batch data), state root {Root}: L1 transaction {Id}",
            call.FirstBlock, call.LastBlock, call.Certificate.Signatures.Count, call.Data.Length, call.Last.StateRoot.ToHex(), transaction.Id);
        return true;
    }

    /// <summary>
    /// Why this node posts no anchor although one is due, or null: the halting rule (seed Req 7.4) — a
    /// sequencer never posts an anchor for data it does not hold in full, so anchoring stops and says why.
    /// </summary>
    public string? AnchoringHaltedReason { get; private set; }

    /// <summary>
    /// The anchor of the longest run of blocks from <paramref name="first"/> (to at most
    /// <paramref name="last"/>) whose payload fits <see cref="SettlementParameters.MaxBatchBytes"/>; null
    /// (and <see cref="AnchoringHaltedReason"/> set) when this node does not hold every block in full.
    /// </summary>
    private AnchorCall? BuildAnchor(ulong first, ulong last)
    {
        var blocks = new List<Block>((int)(last - first + 1));
        for (var n = first; n <= last; n++)
        {
            if (_l2.GetBlock(n) is not { } block)
            {
                if (AnchoringHaltedReason is null)
                    _logger.LogError("Anchoring halted: this node does not hold L2 block {Number} in full, and never posts an anchor for data it does not hold", n);
                AnchoringHaltedReason = $"this node does not hold L2 block {n} in full: no anchor is posted for data it does not hold";
                return null;
            }
            blocks.Add(block);
        }
        AnchoringHaltedReason = null;
        return _cut.Of(ChainId, blocks, _l1.Parameters.MaxBatchBytes);
    }

    /// <summary>Anchors on L1 that certify a block other than this node's at their last height (each logged as a critical alert once).</summary>
    public IReadOnlyList<AnchorRecord> ConflictingAnchors
    {
        get
        {
            lock (_lock)
                return _conflicting.ToList();
        }
    }

    /// <summary>
    /// Compares every anchor on L1 with this node's own chain, once the chain has the anchor's last
    /// block. A mismatch means more than 2/3 of the sequencer weight signed a chain this node did not
    /// finalize, or this node follows a minority fork: either way an operator must look now.
    /// </summary>
    private void CheckAnchors()
    {
        if (Record is not { } chain)
            return;
        _anchorsChecked = Math.Min(_anchorsChecked, chain.AnchorCount); // an L1 reorganization took some away
        while (_anchorsChecked < chain.AnchorCount && _l1.GetAnchor(ChainId, _anchorsChecked) is { } anchor && anchor.LastBlock <= _l2.Head.Number)
        {
            var own = _l2.GetHeader(anchor.LastBlock)!;
            if (own.Hash != anchor.LastBlockHash)
            {
                lock (_lock)
                    _conflicting.Add(anchor);
                _logger.LogCritical("ALERT: anchor {Index} on L1 certifies L2 block {Block} {Anchored} (state root {Root}), but this node's block {Block} is {Own}: "
                    + "the sequencers signed a chain this node did not finalize, or this node is on a minority fork",
                    anchor.Index, anchor.LastBlock, anchor.LastBlockHash, anchor.StateRoot.ToHex(), anchor.LastBlock, own.Hash);
            }
            _anchorsChecked++;
        }
    }

    /// <summary>
    /// Queues double-sign evidence for the staking contract; it is posted from the monitor's loop, which
    /// keeps this node's L1 nonces in order with its anchors. Works on followers too: anyone may report.
    /// </summary>
    public void ReportDoubleSign(DoubleSignCall evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        _reports.Enqueue(evidence);
        _work.Writer.TryWrite(null);
    }

    /// <summary>Posts queued evidence; one already slashed on L1 (reported by another node) is refused before it costs a fee, and dropped.</summary>
    public void PostDoubleSignReports()
    {
        lock (_lock)
        {
            while (_reports.TryDequeue(out var evidence))
            {
                var transaction = L1Transaction.Sign(L1TransactionKind.ReportDoubleSign, _l1.PendingNonce(_sequencer), _l1.Parameters.MinimumFee,
                    evidence.ToBytes(), _sequencerKey, _network);
                if (_l1.Submit(transaction, refuseFailingCall: true) is { } error)
                    _logger.LogWarning("Did not post double-sign evidence at L2 height {Height}: {Error}", evidence.First.Height, error);
                else
                    _logger.LogWarning("Posted double-sign evidence at L2 height {Height} ({First}, {Second}) to the staking contract: L1 transaction {Id}",
                        evidence.First.Height, evidence.First.Block, evidence.Second.Block, transaction.Id);
            }
        }
    }

    private void OnL1Changed(L1ChainChange change)
    {
        if (Record is not { } chain)
            return;
        if (change.Disconnected.Count == 0 && !change.Startup)
        {
            _lastAnchoredSeen = Math.Max(_lastAnchoredSeen, chain.LastAnchoredBlock);
            return;
        }
        // The last anchor the new L1 chain still has, and whether our blocks still match it.
        var anchor = chain.AnchorCount == 0 ? null : _l1.GetAnchor(ChainId, chain.AnchorCount - 1);
        var target = anchor?.LastBlock ?? 0;
        if (anchor is not null && _l2.GetBlock(anchor.LastBlock) is { } anchored && anchored.Header.StateRoot != anchor.StateRoot)
            target = 0;
        if (L2UsesSomethingRemoved(target))
            RecoverTo(target, change.Startup ? "The L1 chain no longer holds what the L2 used" : $"L1 reorganization at height {change.ForkHeight}");
        _lastAnchoredSeen = chain.LastAnchoredBlock;
    }

    /// <summary>Whether a block after <paramref name="anchoredBlock"/> consumed a queue entry the L1 no longer holds as it was, or any anchor it was covered by is gone.</summary>
    private bool L2UsesSomethingRemoved(ulong anchoredBlock)
    {
        var view = new SettlementLayerView(_l1, ChainId);
        for (var n = anchoredBlock + 1; n <= _l2.Head.Number; n++)
        {
            // A block this node lost (a damaged disk) cannot be checked here; anchoring halts on it and says so.
            if (_l2.GetBlock(n) is not { } block)
            {
                _logger.LogError("L2 block {Number} is missing from this node's store: its L1 queue entries cannot be checked against the settlement chain", n);
                continue;
            }
            foreach (var transaction in block.Transactions)
            {
                if (IsUserTransaction(transaction))
                    continue;
                var message = L1Message.FromBytes(transaction.Data);
                if (view.GetQueued(message.Kind, message.Sequence) is not { } onL1 || !onL1.ToBytes().AsSpan().SequenceEqual(transaction.Data))
                    return true;
            }
        }
        return Record is { } chain && chain.LastAnchoredBlock < _lastAnchoredSeen;
    }

    /// <summary>Reverts the L2 to <paramref name="block"/> and replays the user transactions of the undone blocks through the mempool.</summary>
    public IReadOnlyList<AffectedTransaction> RecoverTo(ulong block, string reason)
    {
        var removed = _l2.RevertTo(block);
        // Our anchors still waiting on L1 describe blocks that no longer exist: never let them be mined.
        var staleAnchors = _l1.Withdraw(t => t.Kind == L1TransactionKind.Anchor && t.RecoverSender(_network) == _sequencer
            && L1Call.Decode(t.Kind, t.Payload) is AnchorCall anchor && anchor.ChainId == ChainId && anchor.LastBlock > block);
        if (staleAnchors.Count > 0)
            _logger.LogWarning("Withdrew {Count} waiting L1 transactions of this sequencer (stale anchors and what followed them)", staleAnchors.Count);
        var affected = Replay(removed);
        lock (_lock)
        {
            _affected.AddRange(affected);
        }
        _logger.LogWarning("{Reason}: L2 returned to block {Block}; {Replayed} transactions back in the mempool, {Affected} no longer valid",
            reason, block, removed.Sum(b => b.Transactions.Count(IsUserTransaction)) - affected.Count, affected.Count);
        foreach (var item in affected)
            _logger.LogWarning("Transaction {Id} of reverted block {Block} dropped: {Outcome}", item.TransactionId, item.RevertedBlock, item.Outcome);
        return affected;
    }

    /// <summary>
    /// Puts the user transactions of reverted blocks back in the mempool in their original order and
    /// reports those that no longer apply. Whether one applies is decided by running them all, in
    /// order, on the reverted head after the queue entries the next block takes first
    /// (<see cref="L2Blockchain.Simulate"/>), so a transaction paid by a deposit still on L1, or by a
    /// transfer replayed before it, is kept. The same senders' newer waiting transactions step aside
    /// and queue again behind the replayed ones (checked the same way; they were never in a block,
    /// so they are logged, not reported).
    /// </summary>
    private List<AffectedTransaction> Replay(IReadOnlyList<Block> reverted)
    {
        var replayed = reverted.SelectMany(b => b.Transactions.Where(IsUserTransaction).Select(t => (Transaction: t, Block: (ulong?)b.Number))).ToList();
        var waiting = _pool.RemoveSenders(replayed.Select(r => r.Transaction.Sender).OfType<Address>());
        var all = replayed.Concat(waiting.Select(t => (Transaction: t, Block: (ulong?)null))).ToList();
        var outcomes = _l2.Simulate(all.Select(a => a.Transaction).ToList());
        // The simulation settled affordability in order (funds arriving between a sender's
        // transactions included): the mempool checks nonces and fees, not the balance, of these.
        var funded = new Func<Address, AccountState>(address => _l2.GetAccount(address) with { Balance = Amount.MaxMoney });
        var affected = new List<AffectedTransaction>();
        for (var i = 0; i < all.Count; i++)
        {
            var (transaction, block) = all[i];
            var rejection = outcomes[i] ?? _pool.Add(transaction, funded, _l2.NextBaseFee);
            if (rejection is null)
                continue;
            if (block is { } number)
                affected.Add(new AffectedTransaction(transaction.Id, number, rejection.ToString()));
            else
                _logger.LogInformation("Waiting transaction {Id} left the mempool after the revert: {Rejection}", transaction.Id, rejection);
        }
        return affected;
    }

    /// <summary>Queue entries are not replayed: the next block re-reads them from the L1 as it is now; nor are openings, which the leader makes again for the envelopes.</summary>
    private static bool IsUserTransaction(Chain.Transactions.Transaction transaction) =>
        transaction.Type is not (Chain.Transactions.TransactionType.Deposit or Chain.Transactions.TransactionType.L1ToL2Message or Chain.Transactions.TransactionType.ForcedInclusion
            or Chain.Transactions.TransactionType.Decryption);
}
