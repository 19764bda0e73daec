using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

/// <summary>-l1blocktime: mines a settlement block at a fixed interval, paying this node's sequencer address.</summary>
public sealed class L1MinerService(L1Chain l1, PrivateKey sequencerKey, TimeSpan interval, TimeProvider time, ILogger<L1MinerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var miner = Address.FromPublicKey(sequencerKey.PublicKey.AsSpan());
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var block = l1.Mine(miner, (ulong)time.GetUtcNow().ToUnixTimeMilliseconds());
                logger.LogDebug("Mined L1 block {Height} {Hash} with {Count} transactions", block.Height, block.Hash, block.Transactions.Count);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping between blocks.
        }
    }
}
