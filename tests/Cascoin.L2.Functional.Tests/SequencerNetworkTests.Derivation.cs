using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>Issue 13 on the four-sequencer network: a node that knows only the settlement chain rebuilds what the sequencers anchored.</summary>
public sealed partial class SequencerNetworkTests
{
    private const int LoadTransfers = 60;
    private const ulong AnchorsUnderLoad = 3;

    /// <summary>
    /// Transfers go to the four sequencers while node 0 mines settlement blocks, until at least three more
    /// anchors (quorum-signed, with their batch data) are on L1. Then a new node with an empty data
    /// directory and -l2sync=l1, connected to node 0 for the settlement chain alone, must re-execute every
    /// anchored block to the same hashes and reach the last anchored state root.
    /// </summary>
    private async Task DerivedNodeReachesTheLastAnchoredRootAsync(string from, string to)
    {
        var before = (await Json(Node(0), "l2_getchaininfo", _chainId)).GetProperty("anchors").GetUInt64();
        var sent = (await Json(Node(0), "l2_gettransactioncount", from)).GetUInt64();
        for (var n = 0; n < LoadTransfers; n++)
            await Json(Node(0), "l2_sendtransaction", from, to, "0.01");
        await TestWait.UntilAsync(async () => (await Json(Node(0), "l2_gettransactioncount", from)).GetUInt64(),
            count => count == sent + LoadTransfers, "the load is final", TimeSpan.FromSeconds(60));
        var info = await TestWait.UntilAsync(async () =>
        {
            await Json(Node(0), "generate", "1");
            await Task.Delay(300);
            return await Json(Node(0), "l2_getchaininfo", _chainId);
        }, i => i.GetProperty("anchors").GetUInt64() >= before + AnchorsUnderLoad && i.GetProperty("lastanchoredblock").GetUInt64() >= 10,
            $"{AnchorsUnderLoad} more anchors land while node 0 mines", TimeSpan.FromSeconds(60));
        await L1ConvergedAsync();
        info = await Json(Node(0), "l2_getchaininfo", _chainId);
        var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
        var anchors = info.GetProperty("anchors").GetUInt64();
        Assert.Equal("ACTIVE", info.GetProperty("status").GetString());

        using var directory = TestDirectory.Create("sequencer-network-derived");
        await using var derived = new TestNode(directory.Path, [$"-l2chainid={_chainId}", "-l2sync=l1", $"-addnode=127.0.0.1:{Node(0).P2PPort}"]);
        await derived.StartAsync();
        // The node syncs the settlement chain first, then restarts its host on the chain: RPC is briefly away.
        var synced = (await TestWait.UntilAsync(async () => await derived.CliAsync("getblockchaininfo") is { ExitCode: 0 } result ? JsonDocument.Parse(result.Stdout).RootElement.Clone() : (JsonElement?)null,
            i => i is { } status && status.GetProperty("l2").GetProperty("blocks").GetUInt64() >= anchored && status.GetProperty("verificationprogress").GetDouble() == 1.0,
            $"the derived node re-executes L2 blocks 1..{anchored} from {anchors} batches", TimeSpan.FromSeconds(90)))!.Value;
        Assert.Equal("l1", synced.GetProperty("l2").GetProperty("sync").GetString());
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("l2").GetProperty("derivationhalted").ValueKind);
        var own = await L2Block(Node(0), anchored);
        var rebuilt = await L2Block(derived, anchored);
        Assert.Equal(own.GetProperty("hash").GetString(), rebuilt.GetProperty("hash").GetString());
        Assert.Equal(own.GetProperty("stateroot").GetString(), rebuilt.GetProperty("stateroot").GetString());
        Assert.Equal((await Json(Node(0), "l2_getbalance", to, Text((long)anchored))).GetDecimal(), (await Json(derived, "l2_getbalance", to, Text((long)anchored))).GetDecimal());
        output.WriteLine($"{LoadTransfers} transfers final; a node with -l2sync=l1 re-executed L2 blocks 1..{anchored} from {anchors} quorum-signed batches to state root {own.GetProperty("stateroot").GetString()}");
        directory.Succeeded();
    }
}
