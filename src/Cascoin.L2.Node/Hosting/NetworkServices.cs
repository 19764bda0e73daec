using System.Net;
using System.Net.Sockets;
using Cascoin.L2.Chain;
using Cascoin.L2.Network;
using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Sequencing.Encryption;
using Cascoin.L2.Sequencing.Relay;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

public static class NetworkServices
{
    /// <summary>The P2P transport on -port (unless -listen=0), connected to -connect and -addnode peers, and (without -connect) to addresses learnt by addr gossip.</summary>
    public static IServiceCollection AddCascoinNetwork(this IServiceCollection services, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(provider => new P2PNode(new P2POptions
        {
            Magic = settings.Network.MessageStart,
            Listen = settings.Listen ? new IPEndPoint(IPAddress.Any, settings.P2PPort) : null,
            Persistent = settings.Connect.Concat(settings.AddNode).Select(p => NodeSettings.ParseEndpoint(p, settings.Network.DefaultP2PPort, "-connect/-addnode")).Distinct().ToList(),
            UserAgent = $"/cascoind:{NodeVersion.Current}/",
            // As in bitcoind, -connect means these peers only: no connections to gossiped addresses.
            AutomaticOutbound = settings.Connect.Count == 0,
        }, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<P2PNode>>())
        {
            BestHeights = () => (provider.GetService<L1Chain>()?.Height ?? 0,
                provider.GetService<L2Blockchain>() is { HasGenesis: true } l2 ? l2.Head.Number : 0),
        });
        services.AddHostedService(provider => new P2PService(provider.GetRequiredService<P2PNode>(), provider.GetService<L1Relay>(), provider.GetService<L2Relay>(),
            provider.GetService<Sequencing.Consensus.SequencerNetwork>(), provider.GetService<ShardRelay>(), provider.GetService<EpochKeyNetwork>(),
            provider.GetService<EnvelopeOpener>(), settings));
        return services;
    }
}

/// <summary>
/// Starts the P2P transport with the node (and the relays of the settlement chain and of a deployed
/// L2 chain, the epoch keys' DKG runs and the envelopes' decryption shares), asks peers for missing L2 blocks every second, and closes
/// every connection when it stops.
/// </summary>
public sealed class P2PService(P2PNode p2p, L1Relay? l1Relay, L2Relay? l2Relay, Sequencing.Consensus.SequencerNetwork? sequencers, ShardRelay? shards,
    EpochKeyNetwork? epochKeys, EnvelopeOpener? opener, NodeSettings settings)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _sync = Task.CompletedTask;
    private Task _keys = Task.CompletedTask;
    private Task _opening = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Protocol handlers first, so the first peer's messages find them.
        l1Relay?.Start();
        l2Relay?.Start();
        sequencers?.Start();
        shards?.Start();
        epochKeys?.Start();
        opener?.Start();
        try
        {
            p2p.Start();
        }
        catch (SocketException ex)
        {
            throw new NodeStartupException($"unable to bind the P2P port {settings.P2PPort}: {ex.Message}. Is another cascoind running? Choose another -port, or -listen=0.", ex);
        }
        if (l2Relay is not null)
            _sync = SyncLoopAsync(l2Relay, _stop.Token);
        if (epochKeys is not null)
            _keys = epochKeys.RunAsync(_stop.Token);
        if (opener is not null)
            _opening = opener.RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _sync;
        await _keys;
        await _opening;
        await p2p.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>
    /// Relays new mempool transactions in batches every 10 ms, and once a second asks peers for missing
    /// L2 blocks, so a sync that stalled (the settlement view lagged behind a block) resumes without
    /// waiting for the next push.
    /// </summary>
    private static async Task SyncLoopAsync(L2Relay relay, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var ticks = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                relay.FlushTransactions();
                if (++ticks % 100 == 0)
                    relay.SyncIfBehind();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
