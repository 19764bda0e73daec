using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Monitoring;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Node.Monitoring;

/// <summary>What the security monitor calls unusual (doc/monitoring.md).</summary>
public sealed record SecurityMonitorOptions
{
    /// <summary>The window withdrawals and failovers are summed over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Withdrawals burned within the window above this share of the CAS locked on L1 are a surge (SPEC §2: the circuit breaker's 10 %).</summary>
    public int WithdrawalSurgePercent { get; init; } = 10;

    /// <summary>A fall of an address's aggregate score by at least this much in one block.</summary>
    public int ReputationDropPoints { get; init; } = 20;

    /// <summary>Blocks finalized only after their first leader failed, within the window, that count as repeated failovers.</summary>
    public int FailoverBlocks { get; init; } = 10;
}

/// <summary>
/// The node watching its own chain (seed task 30): every committed L2 block is checked for a
/// withdrawal surge against the CAS locked on L1, sudden reputation drops and repeated failovers;
/// every L1 change for a pause or unpause of the bridge; the fraud watcher's findings become alerts.
/// Alerts go to <see cref="AlertLog"/> (log, <c>l2_getalerts</c>, the WebSocket, metrics). It watches
/// and tells; pausing the bridge takes more than 2/3 of the sequencers (<c>l2_setbridgepause</c>).
/// Blocks and L1 changes are raised under their chain's lock: the handlers only queue them, and the
/// checks run on this service's own loop, the one thread that touches the windows.
/// </summary>
public sealed class SecurityMonitor : Microsoft.Extensions.Hosting.BackgroundService
{
    /// <summary>Blocks waiting to be checked; past this the oldest are dropped (and said so), never the node's memory.</summary>
    public const int MaxQueued = 4_096;

    private readonly Channel<(Block Block, BlockOutcome Outcome, DateTimeOffset Time)?> _queue =
        Channel.CreateBounded<(Block, BlockOutcome, DateTimeOffset)?>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    private readonly L2Blockchain _chain;
    private readonly L1Chain _l1;
    private readonly AlertLog _alerts;
    private readonly TimeProvider _time;
    private readonly SecurityMonitorOptions _options;
    private readonly NetworkParameters _network;
    private readonly ILogger _logger;
    private readonly Queue<(DateTimeOffset Time, Amount Withdrawn)> _withdrawals = new();
    private readonly Queue<(DateTimeOffset Time, ulong Block, int Round)> _failovers = new();
    private Amount _withdrawnInWindow;
    private ChainStatus? _status;

    public SecurityMonitor(L2Blockchain chain, L1Chain l1, AlertLog alerts, TimeProvider time, NetworkParameters network, ILogger<SecurityMonitor> logger,
        SecurityMonitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(alerts);
        _chain = chain;
        _l1 = l1;
        _alerts = alerts;
        _time = time;
        _options = options ?? new SecurityMonitorOptions();
        _network = network;
        _logger = logger;
    }

    private ulong ChainId => _chain.Parameters.ChainId;

    /// <summary>Starts watching: committed blocks and L1 changes (null in the queue: look at L1).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _status = _l1.StateAtTip().GetChain(ChainId)?.Status;
        _chain.BlockCommitted += Enqueue;
        _l1.Changed += Enqueue;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _chain.BlockCommitted -= Enqueue;
        _l1.Changed -= Enqueue;
        await base.StopAsync(cancellationToken);
    }

    private void Enqueue(Block block, BlockOutcome outcome) => _queue.Writer.TryWrite((block, outcome, _time.GetUtcNow()));

    private void Enqueue(L1ChainChange change) => _queue.Writer.TryWrite(null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (item is { } committed)
                        OnBlockCommitted(committed.Block, committed.Outcome, committed.Time);
                    else
                        OnL1Changed();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A check that fails is a bug to fix, not a reason to stop watching (or to stop the node).
                    _logger.LogError(ex, "Security monitor: a check failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>An anchor this node's execution disagrees with (the fraud watcher's finding).</summary>
    public void OnAnchorDisagreement(ulong anchorIndex, ulong block, string detail) =>
        _alerts.Raise(AlertSeverity.Critical, AlertKinds.AnchorDisagreement, $"anchor {anchorIndex}",
            $"anchor {anchorIndex} signs L2 block {block}, which this node's execution does not reach: {detail}",
            new Dictionary<string, string> { ["anchor"] = Text(anchorIndex), ["block"] = Text(block), ["detail"] = detail });

    private void OnBlockCommitted(Block block, BlockOutcome outcome, DateTimeOffset now)
    {
        Expire(now);
        if (outcome.Withdrawn > Amount.Zero)
        {
            _withdrawals.Enqueue((now, outcome.Withdrawn));
            _withdrawnInWindow += outcome.Withdrawn;
            CheckWithdrawals(block.Number);
        }
        if (block.CommitRound > 0)
        {
            _failovers.Enqueue((now, block.Number, block.CommitRound));
            if (_failovers.Count >= _options.FailoverBlocks)
                _alerts.Raise(AlertSeverity.Warning, AlertKinds.RepeatedFailovers, "leaders",
                    $"{_failovers.Count} blocks within {_options.Window:g} were finalized only after their first leader failed (last: block {block.Number} at round {block.CommitRound})",
                    new Dictionary<string, string> { ["blocks"] = string.Join(' ', _failovers.Select(f => Text(f.Block))) });
        }
        if (outcome.Records.Count > 0)
            CheckReputation(block, outcome);
    }

    private void Expire(DateTimeOffset now)
    {
        while (_withdrawals.TryPeek(out var oldest) && now - oldest.Time > _options.Window)
            _withdrawnInWindow -= _withdrawals.Dequeue().Withdrawn;
        while (_failovers.TryPeek(out var oldest) && now - oldest.Time > _options.Window)
            _failovers.Dequeue();
    }

    private void CheckWithdrawals(ulong block)
    {
        if (_l1.StateAtTip().GetChain(ChainId) is not { } record || record.Locked <= Amount.Zero)
            return;
        var limit = record.Locked.PercentFloor(_options.WithdrawalSurgePercent);
        if (_withdrawnInWindow <= limit)
            return;
        _alerts.Raise(AlertSeverity.Critical, AlertKinds.WithdrawalSurge, "bridge",
            $"{_withdrawnInWindow} CAS burned for withdrawal within {_options.Window:g} (up to block {block}), more than {_options.WithdrawalSurgePercent} % of the {record.Locked} CAS locked on L1",
            new Dictionary<string, string>
            {
                ["withdrawn"] = _withdrawnInWindow.ToString(),
                ["locked"] = record.Locked.ToString(),
                ["percent"] = Text((ulong)_options.WithdrawalSurgePercent),
                ["block"] = Text(block),
            });
    }

    /// <summary>An address whose record this block changed, with a change in this block that took its aggregate down sharply.</summary>
    private void CheckReputation(Block block, BlockOutcome outcome)
    {
        foreach (var (address, _) in outcome.Changes)
        {
            if (!outcome.Records.TryGetValue(ReputationKeys.Of(address), out var bytes) || bytes is null)
                continue;
            var record = ReputationRecord.FromBytes(bytes);
            var fall = record.Recent.Where(c => c.Block == block.Number).Sum(c => c.Before - c.After);
            if (fall >= _options.ReputationDropPoints)
                _alerts.Raise(AlertSeverity.Warning, AlertKinds.ReputationDrop, address.ToBase58(_network),
                    $"the reputation of {address.ToBase58(_network)} fell by {fall} points in block {block.Number}, to {record.Aggregate}",
                    new Dictionary<string, string> { ["address"] = address.ToBase58(_network), ["block"] = Text(block.Number), ["aggregate"] = Text(record.Aggregate) });
        }
    }

    private void OnL1Changed()
    {
        var status = _l1.StateAtTip().GetChain(ChainId)?.Status;
        if (status == _status)
            return;
        var before = _status;
        _status = status;
        if (status == ChainStatus.Paused || before == ChainStatus.Paused)
            _alerts.Raise(status == ChainStatus.Paused ? AlertSeverity.Critical : AlertSeverity.Info, AlertKinds.BridgePaused, $"bridge {status}",
                status == ChainStatus.Paused
                    ? $"the bridge of chain {ChainId} is PAUSED on L1 by its sequencers: deposits and withdrawal payments wait"
                    : $"the bridge of chain {ChainId} is no longer paused (status {status?.ToString().ToUpperInvariant()})",
                new Dictionary<string, string> { ["l1height"] = Text(_l1.Height), ["status"] = status?.ToString().ToUpperInvariant() ?? "" });
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
