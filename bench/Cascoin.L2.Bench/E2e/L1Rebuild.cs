using System.Diagnostics;
using System.Globalization;

namespace Cascoin.L2.Bench.E2e;

/// <summary>
/// After a load on a deployed chain: waits for anchors to cover every block, copies the settlement chain to a new node
/// over P2P, then restarts that node with <c>-l2sync=l1</c> and times how fast it turns the L1 data on
/// its disk into verified, executed and committed L2 blocks.
/// </summary>
internal static class L1Rebuild
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public sealed record Measured(long Transactions, ulong Blocks, int Batches, TimeSpan Elapsed)
    {
        public double TransactionsPerSecond => Transactions / Elapsed.TotalSeconds;
    }

    public static async Task<Measured> MeasureAsync(SequencerNetworkSetup network, string daemon, string directory, TextWriter progress)
    {
        var source = network.Nodes[0];
        using var client = new RpcClient(source.RpcPort, source.Cookie);
        var chain = network.ChainId.ToString(CultureInfo.InvariantCulture);
        var head = (await client.CallAsync("l2_blocknumber")).GetUInt64();
        var watch = Stopwatch.StartNew();
        JsonInfo info;
        // Node 0 mines settlement blocks on its own (-l1blocktime); anchors follow the L2 head as they come.
        while ((info = JsonInfo.Of(await client.CallAsync("l2_getchaininfo", network.ChainId))).LastAnchored < head)
        {
            if (info.Status != "ACTIVE")
                throw new InvalidOperationException($"the chain is {info.Status} with L2 block {head} not anchored (last anchored {info.LastAnchored})");
            if (watch.Elapsed > Timeout)
                throw new InvalidOperationException($"no anchor covers L2 block {head} after {Timeout.TotalMinutes} min (last anchored {info.LastAnchored})");
            await Task.Delay(500);
        }
        long transactions = 0;
        for (ulong batch = 0; batch < info.Anchors; batch++)
            transactions += (await client.CallAsync("l2_getbatch", network.ChainId, batch)).GetProperty("transactions").GetInt64();
        var l1Height = (await client.CallAsync("getblockcount")).GetUInt64();
        progress.WriteLine($"e2e: {info.Anchors} batches cover L2 blocks 1..{info.LastAnchored} ({transactions} transactions); copying the settlement chain to a new node");

        var rebuilt = Path.Combine(directory, "rebuilt");
        using (var copy = await RegtestNode.StartAsync(daemon, rebuilt, [$"-addnode=127.0.0.1:{source.P2PPort}"], progress))
        {
            using var copyClient = new RpcClient(copy.RpcPort, copy.Cookie);
            while ((await copyClient.CallAsync("getblockcount")).GetUInt64() < l1Height)
                await Task.Delay(200);
        }
        progress.WriteLine("e2e: settlement chain copied; restarting it with -l2sync=l1");
        var start = Stopwatch.StartNew();
        using var node = await RegtestNode.StartAsync(daemon, rebuilt, [$"-l2chainid={chain}", "-l2sync=l1"], progress);
        using var nodeClient = new RpcClient(node.RpcPort, node.Cookie);
        while (true)
        {
            var status = await nodeClient.CallAsync("getblockchaininfo");
            var l2 = status.GetProperty("l2");
            if (l2.GetProperty("derivationhalted").GetString() is { } halted)
                throw new InvalidOperationException($"the rebuild halted: {halted}");
            if (l2.GetProperty("blocks").GetUInt64() >= info.LastAnchored)
                break;
            if (start.Elapsed > Timeout)
                throw new InvalidOperationException($"the rebuild did not reach L2 block {info.LastAnchored} in {Timeout.TotalMinutes} min");
            await Task.Delay(50);
        }
        return new Measured(transactions, info.LastAnchored, (int)info.Anchors, start.Elapsed);
    }

    private sealed record JsonInfo(ulong Anchors, ulong LastAnchored, string Status)
    {
        public static JsonInfo Of(System.Text.Json.JsonElement info) =>
            new(info.GetProperty("anchors").GetUInt64(), info.GetProperty("lastanchoredblock").GetUInt64(), info.GetProperty("status").GetString()!);
    }
}
