using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Settlement.Derivation;

/// <summary>Where a derivation from L1 stands.</summary>
public sealed record DerivationProgress(ulong AnchorsDerived, ulong AnchorsOnL1, ulong Head, ulong LastAnchoredBlock, string? Halted)
{
    /// <summary>The share of the anchored blocks this node has re-executed, 0..1 (bitcoind's verificationprogress).</summary>
    public double VerificationProgress => LastAnchoredBlock is 0 or ulong.MaxValue ? 1.0 : Math.Min(1.0, (double)Head / LastAnchoredBlock);
}

/// <summary>
/// Rebuilds the L2 from the settlement chain alone (SPEC §7b, property 13): for each anchor on L1, in
/// order, the batch data its transaction carries is opened against its headers, every block is
/// re-executed by the chain's own validation (header rules, L1 queue entries, transactions, roots) and
/// committed, and the head must then be the anchored state root. Blocks from peers play no part. An L1
/// reorganization that takes anchors away (or replaces them with others) reverts the L2 to the last
/// anchor still on L1 and derives on from there. A batch that does not re-execute to its roots is fraud
/// evidence: derivation halts there, loudly, for the fraud-proof game.
/// </summary>
public sealed class L1Derivation
{
    private readonly L1Chain _l1;
    private readonly L2Blockchain _l2;
    private readonly BatchQueries _batches;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    /// <summary>The last block and its hash of each anchor this node derived (index = anchor index).</summary>
    private readonly List<(ulong LastBlock, Hash256 LastBlockHash)> _derived = [];

    /// <summary>Transactions re-executed since this object was made (for the progress line).</summary>
    private long _transactions;

    public L1Derivation(L1Chain l1, L2Blockchain l2, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(l2);
        _l1 = l1;
        _l2 = l2;
        _batches = new BatchQueries(l1);
        _logger = logger;
        // The chain reads its L1 queues and the confirmed L1 tip through this view, as on a node that imports from peers.
        l2.Settlement ??= new SettlementLayerView(new EmbeddedL1Client(l1), l2.Parameters.ChainId);
    }

    /// <summary>
    /// The fallback of a node that follows peers (-l2sync=p2p, <see cref="L1Fallback"/>): blocks it holds
    /// that a batch has too are kept, blocks after the last anchor are not reverted (its settlement
    /// monitor follows L1 reorganizations), and a peer's block that moves the head meanwhile ends the
    /// round instead of counting as fraud. Without it (-l2sync=l1) the chain holds what L1 backs, nothing more.
    /// </summary>
    public bool KeepsPeerBlocks { get; init; }

    /// <summary>Why derivation stopped (a batch that does not re-execute), or null.</summary>
    public string? Halted { get; private set; }

    private ulong ChainId => _l2.Parameters.ChainId;

    public DerivationProgress Progress
    {
        get
        {
            lock (_lock)
            {
                var chain = _l1.StateAtTip().GetChain(ChainId);
                return new DerivationProgress((ulong)_derived.Count, chain?.AnchorCount ?? 0, _l2.Head.Number, chain?.LastAnchoredBlock ?? 0, Halted);
            }
        }
    }

    /// <summary>
    /// Follows the L1 as it is now: drops what a reorganization took away, then derives every anchor not
    /// derived yet (at most <paramref name="maxAnchors"/>). <paramref name="nowMs"/> bounds block timestamps as for any import.
    /// </summary>
    public DerivationProgress CatchUp(ulong nowMs, int maxAnchors = int.MaxValue)
    {
        lock (_lock)
        {
            if (Halted is null && _l1.StateAtTip().GetChain(ChainId) is { } chain)
            {
                Reconcile(chain.AnchorCount);
                for (var done = 0; done < maxAnchors && (ulong)_derived.Count < chain.AnchorCount && Halted is null; done++)
                    Derive((ulong)_derived.Count, chain.AnchorCount, nowMs);
            }
        }
        return Progress;
    }

    /// <summary>
    /// Keeps the derived anchors that are still on L1 as they were, adopts anchors whose blocks this node
    /// already has (a restart), and reverts the L2 to the last derived anchor's block: what lies beyond
    /// it is not backed by L1 any more.
    /// </summary>
    private void Reconcile(ulong anchorCount)
    {
        var state = _l1.StateAtTip();
        while (_derived.Count > 0)
        {
            var index = (ulong)_derived.Count - 1;
            if (index < anchorCount && state.GetAnchor(ChainId, index) is { } anchor && anchor.LastBlockHash == _derived[^1].LastBlockHash)
                break;
            _logger.LogWarning("L1 derivation: anchor {Index} is no longer on L1 as derived; the L2 goes back to the anchor before it", index);
            _derived.RemoveAt(_derived.Count - 1);
        }
        while ((ulong)_derived.Count < anchorCount && state.GetAnchor(ChainId, (ulong)_derived.Count) is { } next
            && next.LastBlock <= _l2.Head.Number && _l2.GetHeader(next.LastBlock)?.Hash == next.LastBlockHash)
            _derived.Add((next.LastBlock, next.LastBlockHash));
        var floor = _derived.Count == 0 ? 0 : _derived[^1].LastBlock;
        if (_l2.Head.Number > floor && !KeepsPeerBlocks)
            _l2.RevertTo(floor);
    }

    /// <summary>A batch read from L1 and opened, its senders recovered: what executing it needs, made ahead.</summary>
    private sealed record OpenedBatch(ulong Index, AnchoredBatch? Batch, IReadOnlyList<Block>? Blocks, string? Error);

    /// <summary>The next batch, opened while the one before it executed (null: none).</summary>
    private OpenedBatch? _ahead;

    /// <summary>
    /// Reads batch <paramref name="index"/> from L1, opens it against its headers and recovers every
    /// transaction's sender, in parallel: signature recovery is most of a rebuild's work, and here it
    /// runs beside the execution of the batch before, which is sequential.
    /// </summary>
    private OpenedBatch Open(ulong index)
    {
        var found = _batches.Batch(ChainId, index);
        if (found.Error is { } missing)
            return new OpenedBatch(index, null, null, $"batch {index} cannot be read from L1: {missing.Message}");
        var batch = found.Value;
        var (blocks, error) = BatchPackage.Open(ChainId, batch.Call.Data, batch.Call.Headers, batch.Call.Certificate);
        if (blocks is null)
            return new OpenedBatch(index, batch, null, $"batch {index} does not open: {error}");
        Parallel.ForEach(blocks.SelectMany(b => b.Transactions), transaction => _ = transaction.Sender);
        return new OpenedBatch(index, batch, blocks, null);
    }

    /// <summary>
    /// The opened batch <paramref name="index"/>: the one made ahead when it is that batch of the L1 as it
    /// is now (a reorganization may have replaced it since), else opened now.
    /// </summary>
    private OpenedBatch Take(ulong index)
    {
        var ahead = _ahead;
        _ahead = null;
        // Same headers and same data under the same commitment: the same blocks, wherever the anchor now sits on L1.
        return ahead is { Index: var i, Batch: { } made } && i == index && _l1.StateAtTip().GetAnchor(ChainId, index) is { } now
            && now.LastBlockHash == made.Anchor.LastBlockHash && now.DataRoot == made.Anchor.DataRoot && now.StateRoot == made.Anchor.StateRoot
            ? ahead
            : Open(index);
    }

    /// <summary>Executes batch <paramref name="index"/> while the next one is opened beside it (a fork-join: both are done when this returns).</summary>
    private void Derive(ulong index, ulong anchorCount, ulong nowMs)
    {
        var opened = Take(index);
        OpenedBatch? next = null;
        Parallel.Invoke(
            () => Execute(index, opened, nowMs),
            () => next = opened.Error is null && index + 1 < anchorCount ? Open(index + 1) : null);
        _ahead = next;
    }

    private void Execute(ulong index, OpenedBatch opened, ulong nowMs)
    {
        if (opened.Error is { } error)
        {
            Halt(error);
            return;
        }
        var (batch, blocks) = (opened.Batch!, opened.Blocks!);
        var parent = _l2.GetHeader(blocks[0].Number - 1);
        if (blocks[0].Header.ParentHash != parent?.Hash)
        {
            Halt($"batch {index} starts at L2 block {blocks[0].Number} on {blocks[0].Header.ParentHash}, not on this node's block {blocks[0].Number - 1} {parent?.Hash}");
            return;
        }
        var transactions = 0;
        foreach (var block in blocks)
        {
            if (block.Number <= _l2.Head.Number)
            {
                // Held already (a peer's copy, with -l2sync=p2p): kept. A different block there is not what L1 says: the batch's replaces it.
                if (_l2.GetHeader(block.Number)?.Hash == block.Hash)
                    continue;
                _logger.LogWarning("L1 derivation: this node's L2 block {Number} is not the one batch {Index} anchors ({Hash}); its blocks from there are replaced by the batch's",
                    block.Number, index, block.Hash);
                _l2.RevertTo(block.Number - 1);
            }
            var (produced, rejection) = _l2.Validate(block, Math.Max(nowMs, block.Header.Timestamp));
            if (produced is null || !_l2.TryCommit(produced))
            {
                if (_l2.GetHeader(block.Number)?.Hash == block.Hash)
                    continue; // a peer's copy of this very block was committed meanwhile
                if (KeepsPeerBlocks && _l2.Head.Number != block.Number - 1)
                    return; // a peer's block moved the head meanwhile: the next round sorts it out
                Halt($"FRAUD EVIDENCE: L2 block {block.Number} of batch {index} does not re-execute: {rejection?.ToString() ?? "the head moved"}");
                return;
            }
            transactions += block.Transactions.Count;
        }
        var last = _l2.GetHeader(batch.Anchor.LastBlock)!;
        if (last.StateRoot != batch.Anchor.StateRoot)
        {
            Halt($"FRAUD EVIDENCE: batch {index} re-executes to state root {last.StateRoot.ToHex()}, the anchor says {batch.Anchor.StateRoot.ToHex()}");
            return;
        }
        _derived.Add((batch.Anchor.LastBlock, batch.Anchor.LastBlockHash));
        _transactions += transactions;
        _logger.LogDebug("L1 derivation: batch {Index} (L2 blocks {First}..{Last}, {Transactions} transactions) re-executed to the anchored root {Root}",
            index, batch.Anchor.FirstBlock, batch.Anchor.LastBlock, transactions, batch.Anchor.StateRoot.ToHex());
    }

    /// <summary>
    /// Derives as the settlement chain grows until <paramref name="cancellationToken"/> fires: one batch
    /// at a time (so a stop is prompt), woken by every L1 change, with a progress line in the log every
    /// few seconds while it is behind (batches, blocks, transactions per second, time left).
    /// </summary>
    public async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var wake = System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });
        void OnChange(L1ChainChange change) => wake.Writer.TryWrite(true);
        _l1.Changed += OnChange;
        try
        {
            var started = time.GetTimestamp();
            var lastReport = started;
            var startBlocks = _l2.Head.Number;
            var startTransactions = _transactions;
            while (!cancellationToken.IsCancellationRequested)
            {
                var progress = CatchUp((ulong)time.GetUtcNow().ToUnixTimeMilliseconds(), maxAnchors: 1);
                var behind = progress.AnchorsDerived < progress.AnchorsOnL1 && progress.Halted is null;
                if (time.GetElapsedTime(lastReport) >= TimeSpan.FromSeconds(5) || !behind && progress.AnchorsDerived > 0 && lastReport == started)
                {
                    lastReport = time.GetTimestamp();
                    var elapsed = time.GetElapsedTime(started).TotalSeconds;
                    var rate = (_transactions - startTransactions) / Math.Max(elapsed, 0.001);
                    var blocksPerSecond = (progress.Head - startBlocks) / Math.Max(elapsed, 0.001);
                    var eta = blocksPerSecond > 0 ? TimeSpan.FromSeconds((progress.LastAnchoredBlock - Math.Min(progress.Head, progress.LastAnchoredBlock)) / blocksPerSecond) : TimeSpan.Zero;
                    _logger.LogInformation("L1 derivation: batch {Derived}/{Total}, L2 block {Head}/{Anchored} ({Progress:P1}), {Rate:F0} tx/s, about {Eta:g} left",
                        progress.AnchorsDerived, progress.AnchorsOnL1, progress.Head, progress.LastAnchoredBlock, progress.VerificationProgress, rate, eta);
                }
                if (!behind)
                    await wake.Reader.ReadAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a batch is committed block by block, each block one write batch.
        }
        finally
        {
            _l1.Changed -= OnChange;
        }
    }

    private void Halt(string reason)
    {
        Halted = reason;
        _logger.LogCritical("L1 derivation halted: {Reason}", reason);
    }
}
