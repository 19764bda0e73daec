using System.Globalization;
using System.Text.Json;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// Fraud proofs on real processes (issue 14): the chain's only sequencer anchors one of its blocks with
/// a state root it made up (a raw L1 transaction signed with its key: the whole set certifies it). A
/// second node, a full node with <c>-l2challenge=1</c> and a funded key, finds that its own execution
/// does not reach that root, opens the game and plays it; the sequencer's node defends automatically.
/// The watcher is killed with SIGKILL in the middle of the game and restarted; it picks the game up
/// from L1 and wins: the anchor is reverted, the sequencer's stake is slashed (half to the watcher's
/// key), and the chain, left without an eligible sequencer, is in emergency mode.
/// </summary>
public sealed class FraudProofTests(ITestOutputHelper output) : IAsyncLifetime, IAsyncDisposable
{
    private static readonly NetworkParameters Network = NetworkParameters.Regtest;
    private static readonly SettlementParameters Rules = SettlementParameters.Regtest;

    private readonly TestDirectory _dir = TestDirectory.Create("fraud-proof");
    private TestNode? _sequencer;
    private TestNode? _watcher;
    private string _chainId = "";

    private TestNode Sequencer => _sequencer ?? throw new InvalidOperationException("no sequencer node");

    private TestNode Watcher => _watcher ?? throw new InvalidOperationException("no watcher node");

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static Task<string> Cli(TestNode node, params string[] arguments) => CliCalls.OkAsync(node, arguments);

    private static Task<JsonElement> Json(TestNode node, params string[] arguments) => CliCalls.JsonAsync(node, arguments);

    [Fact]
    public async Task A_watcher_proves_a_made_up_root_wrong_across_a_kill_9_and_the_sequencer_is_slashed()
    {
        var sequencerAddress = await DeployAsync();
        await StartWatcherAsync();
        var watcherAddress = await FundWatcherAsync();

        // Honest blocks first, anchored as usual; then anchoring off and one more block for the lie.
        var alice = await Cli(Sequencer, "getnewaddress");
        await Cli(Sequencer, "l2_deposit", _chainId, "10", alice);
        await Json(Sequencer, "generate", "1");
        await TestWait.UntilAsync(() => Json(Sequencer, "l2_getbalance", alice), b => b.GetDecimal() == 10m, "the deposit is minted");
        var bob = await Cli(Sequencer, "getnewaddress");
        await MineUntilAsync(async () =>
        {
            await Json(Sequencer, "l2_sendtransaction", alice, bob, "0.1");
            return (await Json(Sequencer, "l2_getchaininfo", _chainId)).GetProperty("lastanchoredblock").GetUInt64() >= 3;
        }, "honest blocks are anchored");
        Assert.False((await Json(Sequencer, "l2_setanchoring", "false")).GetBoolean());
        await Json(Sequencer, "generate", "1");
        var info = await Json(Sequencer, "l2_getchaininfo", _chainId);
        var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
        var anchors = info.GetProperty("anchors").GetUInt64();
        await Json(Sequencer, "l2_sendtransaction", alice, await Cli(Sequencer, "getnewaddress"), "1");
        var number = anchored + 1;
        await TestWait.UntilAsync(() => Json(Watcher, "l2_blocknumber"), n => n.GetUInt64() >= number, $"the watcher has L2 block {number}");

        // The lie: block `number` with another state root, certified by the whole set (this one sequencer), with its data.
        var block = Block.Decode(Convert.FromHexString(await Cli(Sequencer, "l2_getblockbynumber", Text(number), "0")));
        Assert.True(Wif.TryDecode(await Cli(Sequencer, "dumpprivkey", sequencerAddress), Network, out var keyBytes, out _));
        using var key = PrivateKey.FromBytes(keyBytes)!;
        var h = block.Header;
        var forged = new BlockHeader(h.Number, h.ParentHash, new Hash256(Hashes.Sha256d("the sequencer pays itself"u8)), h.TransactionsRoot, h.ReceiptsRoot,
            h.L1MessagesRoot, h.Sequencer, h.Timestamp, h.GasLimit, h.GasUsed, h.BaseFee, h.L1AnchorHeight, h.L1AnchorHash, h.Processed, h.ParentCommitHash);
        var lie = AnchorCall.Of(ulong.Parse(_chainId, CultureInfo.InvariantCulture),
            [new Block(forged, block.Transactions, [Block.Seal(ulong.Parse(_chainId, CultureInfo.InvariantCulture), forged, key)], 0, block.ParentCommit)]);
        var payload = lie.ToBytes();
        L1Transaction Signed(ulong nonce) => L1Transaction.Sign(L1TransactionKind.Anchor, nonce, Rules.FeeFor(L1TransactionKind.Anchor, payload.Length), payload, key, Network);
        // The sequencer's next L1 nonce, as the node tells whoever sends a stale one.
        var probe = await Sequencer.CliAsync("sendrawtransaction", Convert.ToHexStringLower(Signed(0).ToBytes()));
        var stale = System.Text.RegularExpressions.Regex.Match(probe.Stderr, "account nonce is ([0-9]+)");
        Assert.True(stale.Success, probe.Stderr);
        await Cli(Sequencer, "sendrawtransaction", Convert.ToHexStringLower(Signed(ulong.Parse(stale.Groups[1].Value, CultureInfo.InvariantCulture)).ToBytes()));
        await Json(Sequencer, "generate", "1");
        Assert.Equal(anchors + 1, (await Json(Sequencer, "l2_getchaininfo", _chainId)).GetProperty("anchors").GetUInt64());
        output.WriteLine($"the sequencer anchored L2 block {number} with a made-up root");

        // The watcher challenges; once the game is under way, it is killed and restarted.
        var game = await MineUntilAsync(async () => (await Json(Sequencer, "l2_getchallenges", _chainId)) is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0,
            "the watcher opens a game");
        Assert.True(game);
        Watcher.Process.Kill();
        await Watcher.DisposeAsync();
        await StartWatcherAsync();
        output.WriteLine("the watcher was killed with SIGKILL during the game and restarted");
        await MineUntilAsync(async () => (await Json(Sequencer, "l2_getchallenges", _chainId))[0].GetProperty("open").GetBoolean() == false,
            "the game ends");

        var ended = (await Json(Sequencer, "l2_getchallenges", _chainId))[0];
        Assert.Equal("challenger-won", ended.GetProperty("phase").GetString());
        Assert.Equal(watcherAddress, ended.GetProperty("challenger").GetString());
        info = await Json(Sequencer, "l2_getchaininfo", _chainId);
        Assert.Equal(anchors, info.GetProperty("anchors").GetUInt64());
        Assert.Equal(anchored, info.GetProperty("lastanchoredblock").GetUInt64());
        Assert.Equal("EMERGENCY", info.GetProperty("status").GetString());
        Assert.Equal(0m, info.GetProperty("sequencers")[0].GetProperty("bonded").GetDecimal());
        // The reverted batch is gone, and asking for it says why.
        var gone = await Sequencer.CliAsync("l2_getbatch", _chainId, Text(anchors));
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains($"batches from {anchors} on were reverted by fraud-proof game 0", gone.Stderr, StringComparison.Ordinal);
        output.WriteLine($"the game ended challenger-won: anchor {anchors} reverted, the sequencer slashed, the chain in emergency mode");
        _dir.Succeeded();
    }

    /// <summary>Mines an L1 block on the sequencer's node every 400 ms until <paramref name="done"/>.</summary>
    private async Task<bool> MineUntilAsync(Func<Task<bool>> done, string what)
    {
        for (var i = 0; i < 120; i++)
        {
            if (await done())
                return true;
            await Json(Sequencer, "generate", "1");
            await Task.Delay(400);
        }
        throw new TimeoutException($"{what}: not within 120 L1 blocks");
    }

    /// <summary>generate 101, l2_deploy, setreputation, restart on the chain; returns the sequencer's address.</summary>
    private async Task<string> DeployAsync()
    {
        (_sequencer, _chainId, var address) = await DeployedChain.StartAsync(Path.Combine(_dir.Path, "sequencer"), "fraud");
        return address;
    }

    private async Task StartWatcherAsync()
    {
        _watcher = new TestNode(Path.Combine(_dir.Path, "watcher"), [$"-l2chainid={_chainId}", "-l2challenge=1", $"-addnode=127.0.0.1:{Sequencer.P2PPort}"]);
        await Watcher.StartAsync();
        var tip = await Cli(Sequencer, "getbestblockhash");
        // The node syncs the settlement chain first when its chain is not on its L1 yet, then restarts its host: RPC is briefly away,
        // and comes back with a new cookie. Only the host that runs the L2 counts (the first one may already have the tip).
        await TestWait.UntilAsync(async () => await Watcher.CliAsync("getblockchaininfo") is { ExitCode: 0 } result && result.Stdout.Contains("\"enabled\": true", StringComparison.Ordinal),
            enabled => enabled, "the watcher runs the L2", TimeSpan.FromSeconds(60));
        await TestWait.UntilAsync(async () => await Watcher.CliAsync("getbestblockhash") is { ExitCode: 0 } result ? result.Stdout.Trim() : "",
            hash => hash == tip, "the watcher has the settlement chain", TimeSpan.FromSeconds(60));
    }

    /// <summary>The watcher's key (the one its node signs with): found as the miner of a block it mines, then paid 5 CAS for the bond and fees.</summary>
    private async Task<string> FundWatcherAsync()
    {
        var mined = (await Json(Watcher, "generate", "1"))[0].GetString()!;
        var address = (await Json(Watcher, "getblock", mined)).GetProperty("miner").GetString()!;
        await TestWait.UntilAsync(() => Cli(Sequencer, "getbestblockhash"), hash => hash == mined, "the sequencer's node has the watcher's block");
        await Cli(Sequencer, "sendtoaddress", address, "5");
        await Json(Sequencer, "generate", "1");
        return address;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    public async Task DisposeAsync()
    {
        if (_watcher is not null)
            await _watcher.DisposeAsync();
        if (_sequencer is not null)
            await _sequencer.DisposeAsync();
        _dir.Dispose();
    }
}
