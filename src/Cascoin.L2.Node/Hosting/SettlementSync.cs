using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cascoin.L2.Node.Hosting;

/// <summary>
/// A node told to follow an L2 chain its settlement chain does not hold yet (a new full node or
/// sequencer) first runs as a settlement-only node (-nol2: the L1, P2P and RPC) until the chain's
/// deployment is on its active L1 chain; then the launcher starts the full node. One command joins
/// a network, instead of a first run without -l2chainid.
/// </summary>
internal static class SettlementSync
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>True once the deployment is there (the sync host has stopped); false when the node was stopped meanwhile (stop RPC, signal).</summary>
    public static async Task<bool> UntilDeployedAsync(NodeSettings settings, ulong chainId, Serilog.ILogger logger)
    {
        await using var host = NodeHost.Create(settings with { L2Enabled = false }, logger, TimeProvider.System);
        var running = host.RunAsync(CancellationToken.None);
        var l1 = host.Services.GetRequiredService<L1Chain>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        while (!running.IsCompleted)
        {
            if (l1.StateAtTip().GetChain(chainId) is not null)
            {
                lifetime.StopApplication();
                await running;
                return true;
            }
            await Task.WhenAny(running, Task.Delay(Poll));
        }
        await running;
        return false;
    }
}
