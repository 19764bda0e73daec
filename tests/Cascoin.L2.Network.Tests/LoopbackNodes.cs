using System.Net;
using Cascoin.L2.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Network.Tests;

/// <summary>Real P2P nodes listening on loopback (free ports) with fast timers, and polling for what they do.</summary>
internal static class LoopbackNodes
{
    public static readonly byte[] Magic = NetworkParameters.Regtest.MessageStart.ToArray();

    public static P2PNode Start(Func<P2POptions, P2POptions>? adjust = null)
    {
        var options = new P2POptions
        {
            Magic = Magic,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            PingInterval = TimeSpan.FromMilliseconds(200),
            ReconnectInterval = TimeSpan.FromMilliseconds(100),
        };
        var node = new P2PNode(adjust?.Invoke(options) ?? options, TimeProvider.System, NullLogger<P2PNode>.Instance);
        node.Start();
        return node;
    }

    public static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within 15 s: {what}");
            await Task.Delay(20);
        }
    }
}
