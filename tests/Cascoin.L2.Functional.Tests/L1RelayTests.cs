using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>Two real cascoind processes keep one settlement chain over P2P: sync at connect, block and transaction relay, the longest chain after a partition.</summary>
public sealed class L1RelayTests
{
    private static async Task<string> Tip(TestNode node) => (await node.CliAsync("getbestblockhash")).Stdout.Trim();

    private static async Task<long> Height(TestNode node) => (await CliCalls.JsonAsync(node, "getblockcount")).GetInt64();

    private static Task<JsonElement> Mine(TestNode node, int blocks) => CliCalls.JsonAsync(node, "generate", blocks.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task Converged(TestNode a, TestNode b, long height) =>
        await TestWait.UntilAsync(async () => (await Tip(a), await Tip(b), await Height(b)), t => t.Item1 == t.Item2 && t.Item3 == height, $"both nodes at height {height} with one tip");

    [Fact]
    public async Task Nodes_share_the_settlement_chain_relay_transactions_and_follow_the_longest_chain_after_a_partition()
    {
        using var dir = TestDirectory.Create("l1-relay");
        var bDirectory = Path.Combine(dir.Path, "b");
        await using var a = new TestNode(Path.Combine(dir.Path, "a"));
        await a.StartAsync();
        await Mine(a, 101);

        // A late node catches up at connection time (its version says it is behind).
        await using (var b = new TestNode(bDirectory, [$"-addnode=127.0.0.1:{a.P2PPort}"]))
        {
            await b.StartAsync();
            await Converged(a, b, 101);

            // A payment made on a reaches b's mempool; b mines it and a takes b's block.
            var payee = (await b.CliAsync("getnewaddress")).Stdout.Trim();
            await a.CliAsync("sendtoaddress", payee, "7");
            var paid = (await a.CliAsync("getrawmempool")).Stdout;
            await TestWait.UntilAsync(async () => (await b.CliAsync("getrawmempool")).Stdout, m => m == paid, "the payment reaches b's mempool");
            await Mine(b, 1);
            await Converged(a, b, 102);
            // b's wallet holds the payee and the miner address, which earned the payment's fee.
            Assert.Equal(7.0001m, (await CliCalls.JsonAsync(b, "getbalance")).GetDecimal());
        }

        // Partition: a mines 2 blocks alone, b (restarted without peers) mines 4 on its own branch.
        var sharedTip = await Tip(a);
        await Mine(a, 2);
        await using (var alone = new TestNode(bDirectory))
        {
            await alone.StartAsync();
            Assert.Equal(sharedTip, await Tip(alone));
            await Mine(alone, 4);
        }

        // Healed: the longer branch wins on both nodes.
        await using var healed = new TestNode(bDirectory, [$"-addnode=127.0.0.1:{a.P2PPort}"]);
        await healed.StartAsync();
        var branchTip = await Tip(healed);
        await Converged(a, healed, 106);
        Assert.Equal(branchTip, await Tip(a));
        Assert.Contains("L1 reorganization at height 102", a.ReadLog(), StringComparison.Ordinal);
        dir.Succeeded();
    }
}
