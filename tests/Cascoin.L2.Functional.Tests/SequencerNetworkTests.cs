using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// SPEC §7 on real processes: four staked sequencers and one full node on loopback agree on one L2
/// chain under load, anchor it with its data so that a node knowing only L1 rebuilds it, survive the leader's kill -9, take it back, stop a cut-off sequencer from
/// producing until it rejoins, and ban a peer that sends an oversized frame.
/// </summary>
public sealed partial class SequencerNetworkTests(ITestOutputHelper output) : IAsyncLifetime, IAsyncDisposable
{
    private const int Sequencers = 4;
    private static readonly TimeSpan LeaderTimeout = TimeSpan.FromMilliseconds(1000);

    private readonly TestDirectory _dir = TestDirectory.Create("sequencer-network");
    private readonly TestNode?[] _nodes = new TestNode?[Sequencers + 1];
    private readonly string[] _sequencerAddresses = new string[Sequencers];
    private string _chainId = "";

    private TestNode Node(int index) => _nodes[index] ?? throw new InvalidOperationException($"node {index} is not running");

    private string Directory(int index) => Path.Combine(_dir.Path, $"n{index}");

    private static Task<string> Cli(TestNode node, params string[] arguments) => CliCalls.OkAsync(node, arguments);

    private static Task<JsonElement> Json(TestNode node, params string[] arguments) => CliCalls.JsonAsync(node, arguments);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<ulong> L2Height(TestNode node) => (await Json(node, "l2_blocknumber")).GetUInt64();

    private static async Task<JsonElement> L2Block(TestNode node, ulong number) => await Json(node, "l2_getblockbynumber", Text((long)number));

    private IEnumerable<int> Running => Enumerable.Range(0, _nodes.Length).Where(i => _nodes[i] is not null);

    /// <summary>Starts node <paramref name="index"/> with persistent connections to every running node.</summary>
    private async Task StartAsync(int index, bool onChain, params string[] extra)
    {
        List<string> arguments = [.. Running.Where(i => i != index).Select(i => $"-addnode=127.0.0.1:{Node(i).P2PPort}"), .. extra];
        if (onChain)
            arguments.AddRange([$"-l2chainid={_chainId}", $"-l2leadertimeout={Text((long)LeaderTimeout.TotalMilliseconds)}"]);
        var node = new TestNode(Directory(index), arguments);
        _nodes[index] = node;
        await node.StartAsync();
    }

    private async Task StopAllAsync()
    {
        foreach (var i in Running.ToList())
        {
            await Node(i).DisposeAsync();
            _nodes[i] = null;
        }
    }

    /// <summary>Every running node (but <paramref name="except"/>) has the same settlement tip.</summary>
    private async Task L1ConvergedAsync(int? except = null)
    {
        await TestWait.UntilAsync(async () =>
        {
            var tips = new HashSet<string>();
            foreach (var i in Running.Where(i => i != except))
                tips.Add(await Cli(Node(i), "getbestblockhash"));
            return tips.Count;
        }, count => count == 1, "every node has the same settlement tip");
    }

    /// <summary>Every running node (but <paramref name="except"/>) has block ≥ <paramref name="height"/> with the same hash and state root there.</summary>
    private async Task<ulong> L2ConvergedAsync(ulong height, int? except = null)
    {
        var nodes = Running.Where(i => i != except).ToList();
        await TestWait.UntilAsync(async () =>
        {
            var least = ulong.MaxValue;
            foreach (var i in nodes)
                least = Math.Min(least, await L2Height(Node(i)));
            return least;
        }, least => least >= height, $"nodes {string.Join(",", nodes)} reach L2 block {height}", TimeSpan.FromSeconds(60));
        var blocks = new List<(string Hash, string Root)>();
        foreach (var i in nodes)
        {
            var block = await L2Block(Node(i), height);
            blocks.Add((block.GetProperty("hash").GetString()!, block.GetProperty("stateroot").GetString()!));
        }
        Assert.Single(blocks.Distinct());
        return height;
    }

    /// <summary>
    /// The dashboard's sequencers page on the full node, in chromium: the four sequencers, and the row
    /// marked leader is the one l2_getleader names (the chain is idle, so the leader holds still).
    /// </summary>
    private async Task DashboardFindsTheLeaderAsync(TestNode node)
    {
        if (!File.Exists(DashboardBrowser.Chromium))
        {
            output.WriteLine($"the dashboard's sequencers page is not checked: {DashboardBrowser.Missing}");
            return;
        }
        await using var browser = await DashboardBrowser.LaunchAsync();
        var (page, status) = await browser.OpenAsync(node, "/l2/#sequencers");
        Assert.Equal(200, status);
        var leader = (await Json(node, "l2_getleader")).GetProperty("leader").GetString()!;
        var shown = await DashboardBrowser.UntilAsync(page,
            "document.querySelectorAll('#sequencer-rows tr').length === 4 && document.querySelector('#sequencer-rows tr.leader')?.dataset.address",
            "the sequencers page lists the four and marks a leader");
        Assert.Equal(leader, shown);
        Assert.Equal(_sequencerAddresses.Order(), (await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#sequencer-rows tr')].map(r => r.dataset.address)")).Order());
        // Uptime from the certificates of the last blocks: all four signed some of them (more than 2/3 sign each).
        var uptimes = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#sequencer-rows tr')].map(r => r.cells[4].textContent)");
        Assert.All(uptimes, u => Assert.Matches(@"^\d+(\.\d)? %$", u));
        Assert.True(uptimes.Count(u => u != "0 %") >= 3, string.Join(", ", uptimes));
        await DashboardBrowser.ScreenshotAsync(page, "dashboard-sequencers");
        output.WriteLine($"the dashboard of the full node marks {shown} as the leader, as l2_getleader does");
    }

    [Fact]
    public async Task Four_sequencers_and_a_full_node_agree_fail_over_rejoin_refuse_a_partition_and_ban_a_bad_peer()
    {
        var watch = Stopwatch.StartNew();
        await DeployWithFourSequencersAsync();
        output.WriteLine($"deployed chain {_chainId} with {Sequencers} staked sequencers: {watch.ElapsedMilliseconds} ms");

        await StopAllAsync();
        for (var i = 0; i <= Sequencers; i++)
            await StartAsync(i, onChain: true);
        var leader = await Json(Node(0), "l2_getleader");
        Assert.Equal(Sequencers, leader.GetProperty("ranking").GetArrayLength());
        var announced = await TestWait.UntilAsync(() => Json(Node(Sequencers), "l2_getsequencers", "true"), s => s.GetArrayLength() == Sequencers, "the full node hears every sequencer announce itself");
        Assert.Equal(_sequencerAddresses.Order(), announced.EnumerateArray().Select(s => s.GetProperty("address").GetString()!).Order());

        // Load: a deposit, then transfers sent to every node; all five agree on every block and state root.
        var alice = await Cli(Node(0), "getnewaddress");
        var bob = await Cli(Node(0), "getnewaddress");
        var key = await Cli(Node(0), "dumpprivkey", alice);
        foreach (var i in Running.Where(i => i != 0))
            await Cli(Node(i), "importprivkey", key);
        await Cli(Node(0), "l2_deposit", _chainId, "100", alice);
        await Json(Node(0), "generate", "1");
        await TestWait.UntilAsync(() => Json(Node(Sequencers), "l2_getbalance", alice), b => b.GetDecimal() == 100m, "the deposit is minted and reaches the full node");
        for (var n = 0; n < 10; n++)
        {
            // One node at a time: the nonce comes from the node's view of the pending transactions.
            var sender = Node(n % _nodes.Length);
            var sent = await Json(sender, "l2_sendtransaction", alice, bob, "1");
            await CliCalls.ReceiptAsync(sender, sent.GetProperty("txid").GetString()!, "the transfer is final");
        }
        var height = await L2ConvergedAsync(await L2Height(Node(0)));
        foreach (var i in Running)
            Assert.Equal(10m, (await Json(Node(i), "l2_getbalance", bob)).GetDecimal());
        var sealedBy = (await L2Block(Node(0), height)).GetProperty("signatures").GetArrayLength();
        Assert.True(sealedBy >= 3, $"a finalized block carries more than 2/3 of the four sequencers' seals, got {sealedBy}");
        output.WriteLine($"load agreed at L2 block {height}: {watch.ElapsedMilliseconds} ms");
        await DashboardFindsTheLeaderAsync(Node(Sequencers));
        await DerivedNodeReachesTheLastAnchoredRootAsync(alice, bob);
        output.WriteLine($"rebuilt from L1 alone: {watch.ElapsedMilliseconds} ms");

        await OldMajorityBlockRefusedAsync();
        output.WriteLine($"old-majority block refused: {watch.ElapsedMilliseconds} ms");
        await NonSequencerFloodBannedAsync();
        output.WriteLine($"non-sequencer floods banned: {watch.ElapsedMilliseconds} ms");

        await LeaderKilledAsync();
        output.WriteLine($"failover and rejoin: {watch.ElapsedMilliseconds} ms");
        await PartitionedSequencerAsync();
        output.WriteLine($"partition and heal: {watch.ElapsedMilliseconds} ms");
        await OversizedFrameBannedAsync();
        output.WriteLine($"bad peer banned: {watch.ElapsedMilliseconds} ms");
        await DoubleSignerSlashedAsync();
        output.WriteLine($"double signer slashed: {watch.ElapsedMilliseconds} ms");
        _dir.Succeeded();
    }

    /// <summary>
    /// generate 110 on node 0; deploy (with the encrypted mempool <paramref name="encryption"/>); each of
    /// nodes 1..<paramref name="staked"/> − 1 gets CAS and stakes; every sequencer gets a score of 90.
    /// </summary>
    private async Task DeployWithFourSequencersAsync(int staked = Sequencers, string encryption = "off")
    {
        await StartAsync(0, onChain: false);
        await Json(Node(0), "generate", "110");
        _chainId = (await Json(Node(0), "l2_deploy", "network", "100", "30000000", "10", encryption)).GetProperty("chainid").GetUInt64().ToString(CultureInfo.InvariantCulture);
        await Json(Node(0), "generate", "1");
        _sequencerAddresses[0] = (await Json(Node(0), "l2_getchaininfo", _chainId)).GetProperty("deployer").GetString()!;
        for (var i = 1; i <= Sequencers; i++)
            await StartAsync(i, onChain: false);
        await L1ConvergedAsync();
        for (var i = 1; i < Sequencers; i++)
        {
            // The block a node mines names its sequencer address as the miner.
            var mined = (await Json(Node(i), "generate", "1"))[0].GetString()!;
            _sequencerAddresses[i] = (await Json(Node(i), "getblock", mined)).GetProperty("miner").GetString()!;
            await L1ConvergedAsync();
            await Cli(Node(0), "sendtoaddress", _sequencerAddresses[i], "20");
            await Json(Node(0), "generate", "1");
            await L1ConvergedAsync();
            if (i < staked)
                await StakeAsync(i);
        }
        foreach (var address in _sequencerAddresses)
            await Cli(Node(0), "setreputation", address, "90");
        await Json(Node(0), "generate", "1");
        await L1ConvergedAsync();
        var info = await Json(Node(Sequencers), "l2_getchaininfo", _chainId);
        Assert.Equal("ACTIVE", info.GetProperty("status").GetString());
        Assert.Equal(encryption, info.GetProperty("encryption").GetString());
        Assert.Equal(staked, info.GetProperty("sequencers").EnumerateArray().Count(s => s.GetProperty("eligible").GetBoolean()));
    }

    /// <summary>Node <paramref name="index"/> bonds 10 CAS on the chain, mined by node 0.</summary>
    private async Task StakeAsync(int index)
    {
        var txid = await Cli(Node(index), "l2_stake", _chainId, "10");
        await TestWait.UntilAsync(() => Json(Node(0), "getrawmempool"), pool => pool.EnumerateArray().Any(t => t.GetString() == txid), "the stake reaches node 0");
        await Json(Node(0), "generate", "1");
        await L1ConvergedAsync();
    }

    /// <summary>kill -9 of the current leader: the next in the ranking produces within two timeouts, no finalized block is lost, and the restarted node syncs and signs again.</summary>
    private async Task LeaderKilledAsync()
    {
        // Early in a slot (10 blocks), so the victim still leads the heights after its death and is passed over, not just rotated out.
        await TestWait.UntilAsync(() => L2Height(Node(0)), h => h % 10 <= 5, "a head early in its slot");
        var leader = (await Json(Node(0), "l2_getleader")).GetProperty("leader").GetString()!;
        var victim = Array.IndexOf(_sequencerAddresses, leader);
        Assert.True(victim >= 0, $"the leader {leader} is one of the four sequencers");
        var survivor = victim == 0 ? 1 : 0;
        var lastFinal = await L2Height(Node(victim));
        Node(victim).Process.Kill();
        var killedAt = Stopwatch.StartNew();
        var before = await L2Height(Node(survivor));
        await TestWait.UntilAsync(() => L2Height(Node(survivor)), h => h > before, "a surviving sequencer produces after the leader's death", 2 * LeaderTimeout + TimeSpan.FromSeconds(10));
        output.WriteLine($"leader {leader} (node {victim}) killed at L2 block {lastFinal}; next block after {killedAt.ElapsedMilliseconds} ms (timeout {LeaderTimeout.TotalMilliseconds} ms)");
        Assert.True(killedAt.Elapsed < 2 * LeaderTimeout + TimeSpan.FromSeconds(2), $"the next leader took {killedAt.ElapsedMilliseconds} ms");
        // The failed leader lost its turn: it ranks last for the rest of this slot and all of the next, so
        // the blocks after this one do not each wait out a timeout for it.
        var afterFailover = await TestWait.UntilAsync(() => Json(Node(survivor), "l2_getleader"),
            view => view.GetProperty("demoted").EnumerateArray().Any(a => a.GetString() == leader), "the dead leader is demoted", 2 * LeaderTimeout + TimeSpan.FromSeconds(10));
        Assert.Equal(leader, afterFailover.GetProperty("ranking").EnumerateArray().Last().GetString());
        Assert.NotEqual(leader, afterFailover.GetProperty("leader").GetString());
        // And it lost weight in the elections after it: from the next slot on it draws with half its weight (one missed turn).
        var nextElection = await TestWait.UntilAsync(() => Json(Node(survivor), "l2_getleader"),
            view => view.GetProperty("slot").GetUInt64() > afterFailover.GetProperty("slot").GetUInt64(), "the next slot's election", TimeSpan.FromSeconds(30));
        var victimWeight = nextElection.GetProperty("election").EnumerateArray().Single(e => e.GetProperty("address").GetString() == leader);
        output.WriteLine($"the next election: {nextElection.GetProperty("election")}");
        Assert.True(victimWeight.GetProperty("misses").GetInt32() >= 1);
        var full = System.Numerics.BigInteger.Parse(victimWeight.GetProperty("weight").GetString()!, CultureInfo.InvariantCulture);
        var drawn = System.Numerics.BigInteger.Parse(victimWeight.GetProperty("drawweight").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(full / (1 + victimWeight.GetProperty("misses").GetInt32()), drawn);
        // What the dead leader had finalized is on every survivor, unchanged.
        await Node(victim).DisposeAsync();
        _nodes[victim] = null;
        await L2ConvergedAsync(lastFinal);

        await StartAsync(victim, onChain: true);
        var now = await L2Height(Node(survivor));
        await L2ConvergedAsync(now);
        // Back in the set: its seal is on blocks again (the first 3 of 4 ACCEPTs finalize, so not on every one).
        await TestWait.UntilAsync(async () => (await L2Block(Node(0), await L2Height(Node(0)))).GetProperty("signers").EnumerateArray().Select(s => s.GetString()),
            signers => signers.Contains(leader), "the restarted sequencer signs again");
    }

    /// <summary>A sequencer cut off from the others does not produce; once reconnected it converges on their chain.</summary>
    private async Task PartitionedSequencerAsync()
    {
        const int cut = 2;
        Assert.False((await Json(Node(cut), "setnetworkactive", "false")).GetBoolean());
        var isolatedAt = await L2Height(Node(cut));
        var others = await L2Height(Node(0));
        await L2ConvergedAsync(others + 5, except: cut);
        Assert.True(await L2Height(Node(cut)) <= isolatedAt + 1, "the isolated sequencer finalized nothing on its own");
        Assert.Contains("partition rule", Node(cut).ReadLog(), StringComparison.Ordinal);

        Assert.True((await Json(Node(cut), "setnetworkactive", "true")).GetBoolean());
        await L2ConvergedAsync(await L2Height(Node(0)));
    }

    /// <summary>A raw client announcing a frame larger than the limit is banned; the network keeps producing.</summary>
    private async Task OversizedFrameBannedAsync()
    {
        var target = Node(1);
        using (var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await attacker.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target.P2PPort));
            var header = new byte[24];
            Convert.FromHexString("fabfb5da").CopyTo(header, 0);
            "version"u8.CopyTo(header.AsSpan(4));
            BitConverter.GetBytes(uint.MaxValue).CopyTo(header, 16);
            await attacker.SendAsync(header);
            var buffer = new byte[4096];
            while (await attacker.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(20)) > 0)
            {
            }
        }
        await TestWait.UntilAsync(() => Json(target, "listbanned"), l => l.GetArrayLength() == 1, "the sender of the oversized frame is banned");
        var height = await L2Height(Node(0));
        await L2ConvergedAsync(height + 3);
    }

    /// <summary>
    /// Sequencer 1 turns Byzantine (regtest fault injection -l2equivocate): whenever it leads, it seals
    /// two blocks at one height. The others see both seals, post the evidence to the staking contract,
    /// and half of its stake is burned per height; the chain goes on.
    /// </summary>
    private async Task DoubleSignerSlashedAsync()
    {
        const int byzantine = 1;
        var before = await BondedAsync(byzantine);
        await Node(byzantine).DisposeAsync();
        _nodes[byzantine] = null;
        await StartAsync(byzantine, onChain: true, "-l2equivocate");

        // It leads about one slot in four; mine the settlement chain until the evidence is in a block.
        var after = await TestWait.UntilAsync(async () =>
        {
            await Json(Node(0), "generate", "1");
            await Task.Delay(500);
            return await BondedAsync(byzantine);
        }, bonded => bonded < before, "the double signer's stake is slashed", TimeSpan.FromSeconds(150));

        // Each height it equivocated at is its own offence, and several may land in one L1 block: half, then half again.
        var halvings = 0;
        for (var stake = before; stake > after; stake /= 2)
            halvings++;
        Assert.True(halvings >= 1 && before == after * (1 << halvings), $"the bond went from {before} to {after}: not halved a whole number of times");
        Assert.Contains("-l2equivocate: also proposing", Node(byzantine).ReadLog(), StringComparison.Ordinal);
        Assert.Contains(Running.Where(i => i != byzantine), i => Node(i).ReadLog().Contains("Posted double-sign evidence", StringComparison.Ordinal));
        await L2ConvergedAsync(await L2Height(Node(0)) + 3);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>xunit 2 awaits <see cref="IAsyncLifetime"/> after the test (it ignores IAsyncDisposable): every node is stopped, pass or fail.</summary>
    public async Task DisposeAsync()
    {
        await StopAllAsync();
        _dir.Dispose();
    }
}
