using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// A full node that is not a sequencer follows a deployed L2 chain: it learns the settlement chain
/// from its peer, imports (and fully validates) the sequencer's blocks, catches up after being
/// offline, and relays the transactions its users send to the sequencer.
/// </summary>
public sealed class L2FollowerTests
{
    private static Task<string> Cli(TestNode node, params string[] arguments) => CliCalls.OkAsync(node, arguments);

    private static Task<JsonElement> Json(TestNode node, params string[] arguments) => CliCalls.JsonAsync(node, arguments);

    private static async Task<ulong> L2Height(TestNode node) => (await Json(node, "l2_blocknumber")).GetUInt64();

    private static async Task<string> L2Hash(TestNode node, ulong number) =>
        (await Json(node, "l2_getblockbynumber", number.ToString(System.Globalization.CultureInfo.InvariantCulture))).GetProperty("hash").GetString()!;

    /// <summary>Waits until <paramref name="follower"/> has <paramref name="sequencer"/>'s head block (same number, same hash).</summary>
    private static async Task<ulong> CaughtUp(TestNode sequencer, TestNode follower)
    {
        var head = await L2Height(sequencer);
        await TestWait.UntilAsync(() => L2Height(follower), h => h >= head, $"the follower reaches L2 block {head}");
        Assert.Equal(await L2Hash(sequencer, head), await L2Hash(follower, head));
        return head;
    }

    [Fact]
    public async Task A_follower_imports_the_sequencers_blocks_catches_up_after_downtime_and_relays_transactions()
    {
        using var dir = TestDirectory.Create("l2-follower");
        await using var bootstrap = new TestNode(Path.Combine(dir.Path, "s"));
        await bootstrap.StartAsync();
        await Json(bootstrap, "generate", "101");
        var chainId = (await Json(bootstrap, "l2_deploy", "shared")).GetProperty("chainid").GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Json(bootstrap, "generate", "1");
        var sequencerAddress = (await Json(bootstrap, "l2_getchaininfo", chainId)).GetProperty("deployer").GetString()!;
        await Cli(bootstrap, "setreputation", sequencerAddress, "90");
        await Json(bootstrap, "generate", "1");
        await Cli(bootstrap, "stop");
        await bootstrap.WaitForExitAsync(TimeSpan.FromSeconds(30));

        await using var sequencer = new TestNode(Path.Combine(dir.Path, "s"), [$"-l2chainid={chainId}"]);
        await sequencer.StartAsync();
        var alice = await Cli(sequencer, "getnewaddress");
        var bob = await Cli(sequencer, "getnewaddress");
        await Cli(sequencer, "l2_deposit", chainId, "20", alice);
        await Json(sequencer, "generate", "1");
        await TestWait.UntilAsync(() => Json(sequencer, "l2_getbalance", alice), b => b.GetDecimal() == 20m, "the deposit is minted");

        // A fresh node told to follow the chain syncs its settlement chain from the peer first (the deployment is not there
        // yet), then starts the L2 chain by itself: one command joins the network.
        var followerDirectory = Path.Combine(dir.Path, "f");
        await using var follower = new TestNode(followerDirectory, [$"-l2chainid={chainId}", $"-addnode=127.0.0.1:{sequencer.P2PPort}"]);
        await follower.StartAsync();
        await TestWait.UntilAsync(async () => (await follower.CliAsync("l2_blocknumber")).ExitCode, code => code == 0, "the follower's L2 chain starts after the settlement sync",
            TimeSpan.FromSeconds(60));
        Assert.Contains("syncing the settlement chain from peers first", follower.ReadLog(), StringComparison.Ordinal);
        await CaughtUp(sequencer, follower);
        Assert.Equal(20m, (await Json(follower, "l2_getbalance", alice)).GetDecimal());

        // A transfer submitted to the follower (it holds Alice's key too) reaches the sequencer, which mines it; the follower imports the block.
        await Cli(follower, "importprivkey", await Cli(sequencer, "dumpprivkey", alice));
        var sent = await Json(follower, "l2_sendtransaction", alice, bob, "2.5");
        var txid = sent.GetProperty("txid").GetString()!;
        var receipt = await CliCalls.ReceiptAsync(sequencer, txid, "the sequencer mines the relayed transfer");
        await CliCalls.ReceiptAsync(follower, txid, "the follower imports its block");
        Assert.Equal(receipt.GetProperty("blockhash").GetString(), (await Json(follower, "l2_gettransactionreceipt", txid)).GetProperty("blockhash").GetString());
        Assert.Equal(2.5m, (await Json(follower, "l2_getbalance", bob)).GetDecimal());
        var head = await CaughtUp(sequencer, follower);
        Assert.Equal((await Json(sequencer, "l2_getbalance", alice)).GetDecimal(), (await Json(follower, "l2_getbalance", alice)).GetDecimal());
        Assert.Equal(await L2Hash(sequencer, head), await L2Hash(follower, head));
        dir.Succeeded();
    }
}
