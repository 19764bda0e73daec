using System.Globalization;
using Cascoin.L2.Network;
using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Sequencing.Monitoring;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Monitoring;

/// <summary>
/// What goes into the audit log besides the RPC calls that move funds (recorded by the dispatcher):
/// the node's start with its settings and its stop, every alert, every ban, and the settlement
/// chain's slashing, challenge and pause calls as their blocks connect. L1 blocks are read on this
/// service's own loop, never on the thread that connected them.
/// </summary>
public sealed class AuditFeeds(AuditLog audit, AlertLog alerts, P2PNode p2p, L1Chain? l1, NodeSettings settings, string version, ILogger<AuditFeeds> logger)
    : BackgroundService
{
    /// <summary>The settlement calls the audit log keeps (when they succeed).</summary>
    private static readonly HashSet<L1TransactionKind> Audited =
    [
        L1TransactionKind.ReportDoubleSign, L1TransactionKind.ReportEarlyShares, L1TransactionKind.Challenge, L1TransactionKind.Dissect,
        L1TransactionKind.ChooseStep, L1TransactionKind.ProveStep, L1TransactionKind.SetBridgePause,
    ];

    private readonly System.Threading.Channels.Channel<bool> _l1Changed = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { SingleReader = true, FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    private ulong _audited;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        audit.Record("start", settings.Network.Name, $"cascoind {version} started: datadir {settings.DataDirectory}, L2 {(settings.L2Enabled ? settings.L2ChainId?.ToString(CultureInfo.InvariantCulture) ?? "development chain" : "off")}, "
            + $"sync {(settings.L2SyncFromL1 ? "l1" : "p2p")}, challenge {(settings.L2Challenge ? "on" : "off")}, RPC {List(settings.RpcEndpoints)}, rpcallowip {List(settings.RpcAllowIp)}, "
            + $"P2P port {settings.P2PPort}{(settings.Listen ? "" : " (no listening)")}, connect {List(settings.Connect)}, addnode {List(settings.AddNode)}");
        alerts.Raised += OnAlert;
        p2p.PeerBanned += OnBanned;
        if (l1 is not null)
        {
            _audited = l1.Height;
            l1.Changed += OnL1Changed;
        }
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        alerts.Raised -= OnAlert;
        p2p.PeerBanned -= OnBanned;
        if (l1 is not null)
            l1.Changed -= OnL1Changed;
        await base.StopAsync(cancellationToken);
        Guarded(() => audit.Record("stop", settings.Network.Name, $"cascoind {version} stopped"));
    }

    private static string List<T>(IReadOnlyList<T> items) => items.Count == 0 ? "none" : string.Join(' ', items);

    private void OnAlert(SecurityAlert alert) => Guarded(() => audit.Record("alert", alert.Kind, $"{alert.Severity.ToString().ToLowerInvariant()}: {alert.Message}"));

    private void OnBanned(System.Net.IPAddress address, DateTimeOffset until, string reason) =>
        Guarded(() => audit.Record("ban", address.ToString(), $"banned until {until:u}: {reason}"));

    private void OnL1Changed(L1ChainChange change) => _l1Changed.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (l1 is null)
            return;
        try
        {
            while (await _l1Changed.Reader.WaitToReadAsync(stoppingToken))
            {
                _l1Changed.Reader.TryRead(out _);
                Guarded(AuditNewBlocks);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>The audited calls of the blocks connected since the last pass (after a reorganization, those of the new branch).</summary>
    private void AuditNewBlocks()
    {
        var tip = l1!.Height;
        for (var height = Math.Min(_audited, tip) + 1; height <= tip; height++)
        {
            if (l1.GetHash(height) is not { } hash || l1.GetBlock(hash) is not { } block || l1.GetReceipts(hash) is not { } receipts)
                break;
            for (var i = 0; i < block.Transactions.Count && i < receipts.Count; i++)
            {
                var transaction = block.Transactions[i];
                if (Audited.Contains(transaction.Kind) && receipts[i].Success)
                    audit.Record("l1", transaction.Id.ToString(), $"{transaction.Kind} in L1 block {height}{(receipts[i].Event is { } happened ? ": " + happened : "")}");
            }
        }
        _audited = tip;
    }

    /// <summary>The audit log is a record, not a gate: a write that fails is logged and the event goes on.</summary>
    private void Guarded(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "The audit log could not record an event");
        }
    }
}
