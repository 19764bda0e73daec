using System.Buffers.Binary;
using System.Text.Json;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>The halting rule (seed Req 7.4) on a real node: no anchor for data the sequencer does not hold in full.</summary>
public sealed partial class SettlementStoryTests
{
    /// <summary>
    /// The stored L2 block after the last anchor is lost (a damaged disk, a prune gone wrong) while the
    /// node is down. Restarted, the node runs on but posts no anchor however many L1 blocks come, and
    /// says why in l2_getchaininfo and debug.log. With the block restored (from a backup, say), it
    /// anchors again and the reason is gone.
    /// </summary>
    private async Task HaltingRuleAsync(string pump)
    {
        // No anchor in flight when the node stops, and a batch's worth of blocks after the last one.
        Assert.False((await CliJsonAsync("l2_setanchoring", "false")).GetBoolean());
        await MineAsync(1);
        var info = await ChainInfoAsync();
        var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
        var anchors = info.GetProperty("anchors").GetUInt64();
        while (await L2HeadAsync() < anchored + Rules.BatchInterval + 1)
            await TransferAsync(pump, pump, "0.00000001");
        var lost = anchored + 1;

        await StopAsync();
        var record = EditBlockStore(store =>
        {
            var bytes = store.Get(DbColumn.L2Blocks, BlockKey(lost)) ?? throw new InvalidOperationException($"L2 block {lost} is not stored");
            using var batch = store.CreateBatch();
            batch.Delete(DbColumn.L2Blocks, BlockKey(lost));
            store.Commit(batch);
            return bytes;
        });
        await RestartAsync();

        var reason = $"this node does not hold L2 block {lost} in full: no anchor is posted for data it does not hold";
        for (var i = 0; i < 3; i++)
        {
            await TransferAsync(pump, pump, "0.00000001");
            await MineAsync(1);
        }
        info = await WaitUntilHaltedAsync(reason);
        Assert.Equal(anchors, info.GetProperty("anchors").GetUInt64());
        Assert.Equal("ACTIVE", info.GetProperty("status").GetString());
        Assert.Contains($"Anchoring halted: this node does not hold L2 block {lost} in full", await File.ReadAllTextAsync(DebugLog), StringComparison.Ordinal);
        output.WriteLine($"L2 block {lost} lost: no anchor in 3 L1 blocks, l2_getchaininfo says \"{reason}\"");

        await StopAsync();
        EditBlockStore(store =>
        {
            using var batch = store.CreateBatch();
            batch.Put(DbColumn.L2Blocks, BlockKey(lost), record);
            store.Commit(batch);
            return record;
        });
        await RestartAsync();
        info = await WaitForAnchorAsync(lost, pump);
        Assert.Equal(JsonValueKind.Null, info.GetProperty("anchoringhalted").ValueKind);
        await AssertWalletAsync();
        output.WriteLine($"L2 block {lost} restored: anchored again ({info.GetProperty("anchors").GetUInt64()} anchors)");
    }

    private async Task<JsonElement> WaitUntilHaltedAsync(string reason)
    {
        JsonElement info = default;
        await WaitUntilAsync("l2_getchaininfo says why anchoring halted", async () =>
            (info = await ChainInfoAsync()).GetProperty("anchoringhalted") is { ValueKind: JsonValueKind.String } halted && halted.GetString() == reason);
        return info;
    }

    private string DebugLog => Path.Combine(_dir.Path, "regtest", "debug.log");

    private async Task StopAsync()
    {
        Assert.Equal("cascoind stopping", await CliAsync("stop"));
        Assert.Equal(0, await Node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        await Node.DisposeAsync();
        _node = null;
    }

    private async Task RestartAsync()
    {
        _node = new TestNode(_dir.Path, [$"-l2chainid={Text(_chainId)}"]);
        await Node.StartAsync();
    }

    /// <summary>Opens the stopped node's L2 database (as the node keeps it: blocks by big-endian number) for <paramref name="edit"/>.</summary>
    private byte[] EditBlockStore(Func<NodeDatabase, byte[]> edit)
    {
        using var store = NodeDatabase.Open(Path.Combine(_dir.Path, "regtest", $"db-{Text(_chainId)}"), new DatabaseOptions(), NullLogger.Instance);
        return edit(store);
    }

    private static byte[] BlockKey(ulong number)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        return key;
    }
}
