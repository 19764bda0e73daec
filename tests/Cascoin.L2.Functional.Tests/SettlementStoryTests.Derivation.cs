using System.Globalization;
using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>A second node that rebuilds the L2 from the settlement chain alone (issue 13, -l2sync=l1).</summary>
public sealed partial class SettlementStoryTests
{
    /// <summary>
    /// Starts a node with an empty data directory and -l2sync=l1 that reaches this node only for the
    /// settlement chain; it must derive every anchored block — same hashes, same state roots — and not
    /// one block more, although this node is ahead and would serve them.
    /// </summary>
    private async Task DerivedNodeReachesTheAnchoredRootsAsync(string pump)
    {
        // This node runs ahead of its last anchor: blocks the derived node must not take from it.
        await TransferAsync(pump, pump, "0.00000001");
        var info = await ChainInfoAsync();
        var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
        var anchors = info.GetProperty("anchors").GetUInt64();
        Assert.True(await L2HeadAsync() > anchored);

        using var directory = TestDirectory.Create("derived-node");
        await using var derived = new TestNode(directory.Path, [$"-l2chainid={Text(_chainId)}", "-l2sync=l1", $"-addnode=127.0.0.1:{Node.P2PPort}"]);
        await derived.StartAsync();
        // The node first syncs the settlement chain (the L2 chain is not on its empty L1 yet), then restarts its host on the chain: RPC is briefly away.
        var synced = (await TestWait.UntilAsync(async () => await derived.CliAsync("getblockchaininfo") is { ExitCode: 0 } result ? JsonDocument.Parse(result.Stdout).RootElement.Clone() : (JsonElement?)null,
            i => i is { } info && info.GetProperty("l2").GetProperty("blocks").GetInt64() == (long)anchored && info.GetProperty("verificationprogress").GetDouble() == 1.0,
            $"the derived node re-executes L2 blocks 1..{anchored} from {anchors} batches on L1", TimeSpan.FromSeconds(60)))!.Value;
        Assert.Equal("l1", synced.GetProperty("l2").GetProperty("sync").GetString());
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("l2").GetProperty("derivationhalted").ValueKind);
        Assert.False(synced.GetProperty("initialblockdownload").GetBoolean());
        for (ulong n = 1; n <= anchored; n++)
        {
            var own = await CliJsonAsync("l2_getblockbynumber", Text(n));
            var rebuilt = await CliCalls.JsonAsync(derived, "l2_getblockbynumber", Text(n));
            Assert.Equal(own.GetProperty("hash").GetString(), rebuilt.GetProperty("hash").GetString());
            Assert.Equal(own.GetProperty("stateroot").GetString(), rebuilt.GetProperty("stateroot").GetString());
        }
        Assert.Equal(1.0, (await CliCalls.JsonAsync(derived, "l2_getchaininfo")).GetProperty("verificationprogress").GetDouble());
        // This node is ahead and connected; the derived node still ends at the last anchor.
        Assert.Equal(anchored, (await CliCalls.JsonAsync(derived, "l2_blocknumber")).GetUInt64());
        output.WriteLine($"a node with -l2sync=l1 re-executed L2 blocks 1..{anchored} from {anchors} batches on L1 to the same hashes and roots; this node's head is {await L2HeadAsync()}");
        directory.Succeeded();
    }
}
