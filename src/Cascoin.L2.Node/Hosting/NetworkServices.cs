using System.Net;
using System.Net.Sockets;
using Cascoin.L2.Chain;
using Cascoin.L2.Network;
using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Sequencing.Relay;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

public static class NetworkServices
{
    /// <summary>The P2P transport on -port (unless -listen=0), connected to -connect and -addnode peers.</summary>
    public static IServiceCollection AddCascoinNetwork(this IServiceCollection services, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(provider => new P2PNode(new P2POptions
        {
            Magic = settings.Network.MessageStart,
            Listen = settings.Listen ? new IPEndPoint(IPAddress.Any, settings.P2PPort) : null,
            Persistent = settings.Connect.Concat(settings.AddNode).Select(p => NodeSettings.ParseEndpoint(p, settings.Network.DefaultP2PPort, "-connect/-addnode")).Distinct().ToList(),
            UserAgent = $"/cascoind:{NodeVersion.Current}/",
        }, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<P2PNode>>())
        {
            BestHeights = () => (provider.GetService<L1Chain>()?.Height ?? 0,
                provider.GetService<L2Blockchain>() is { HasGenesis: true } l2 ? l2.Head.Number : 0),
        });
        services.AddHostedService(provider => new P2PService(provider.GetRequiredService<P2PNode>(), provider.GetService<L1Relay>(), settings));
        return services;
    }
}

/// <summary>Starts the P2P transport with the node and closes every connection when it stops.</summary>
public sealed class P2PService(P2PNode p2p, L1Relay? l1Relay, NodeSettings settings) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Protocol handlers first, so the first peer's messages find them.
        l1Relay?.Start();
        try
        {
            p2p.Start();
        }
        catch (SocketException ex)
        {
            throw new NodeStartupException($"unable to bind the P2P port {settings.P2PPort}: {ex.Message}. Is another cascoind running? Choose another -port, or -listen=0.", ex);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await p2p.DisposeAsync();
}
