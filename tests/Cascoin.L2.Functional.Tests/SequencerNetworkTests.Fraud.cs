using System.Globalization;
using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>Issue 14 on the four-sequencer network: a dishonest majority signs a wrong root, one honest full node proves it.</summary>
public sealed partial class SequencerNetworkTests
{
    /// <summary>
    /// Three of the four sequencers are restarted with -l2faultyroot: from an L2 block a few after an
    /// honest withdrawal was paid, they sign wrong roots with more than 2/3 of the stake, and anchor them.
    /// The fourth (honest) sequencer and the full node refuse that block. The full node runs
    /// -l2challenge=1: it challenges the bad anchor, plays the game against the three, and wins. The three
    /// are slashed, the bad anchor and those after it are reverted, the 1 CAS the bad block minted to its
    /// producer, withdrawn by it on its chain, is never paid, the chain ends in emergency mode against the
    /// last final root (the documented state: the honest sequencer alone holds too little of the set that
    /// decides the next block), and the honest withdrawal from before the fault stays paid.
    /// </summary>
    [Fact]
    public async Task Three_faulty_sequencers_are_proven_wrong_by_an_honest_watcher_and_slashed()
    {
        await DeployWithFourSequencersAsync();
        await StopAllAsync();
        for (var i = 0; i < Sequencers; i++)
            await StartAsync(i, onChain: true);
        await StartAsync(Sequencers, onChain: true, "-l2challenge=1");
        var watcher = Node(Sequencers);

        // The watcher's key (the miner of a block it mines) gets L1 funds for the bond and fees.
        var mined = (await Json(watcher, "generate", "1"))[0].GetString()!;
        var watcherAddress = (await Json(watcher, "getblock", mined)).GetProperty("miner").GetString()!;
        await L1ConvergedAsync();
        await Cli(Node(0), "sendtoaddress", watcherAddress, "5");
        await Json(Node(0), "generate", "1");

        // An honest user deposits and withdraws; the withdrawal's anchor becomes final and it is paid.
        var alice = await Cli(Node(0), "getnewaddress");
        var bob = await Cli(Node(0), "getnewaddress");
        await Cli(Node(0), "l2_deposit", _chainId, "20", alice);
        await Json(Node(0), "generate", "1");
        await TestWait.UntilAsync(() => Json(Node(0), "l2_getbalance", alice), b => b.GetDecimal() == 20m, "the deposit is minted");
        var honestWithdrawal = await Cli(Node(0), "-named", "l2_withdraw", "amount=2", $"fromaddress={alice}");
        await CliCalls.ReceiptAsync(Node(0), honestWithdrawal, "the honest withdrawal is final");
        await TestWait.UntilAsync(async () =>
        {
            await Json(Node(0), "l2_sendtransaction", alice, bob, "0.01");
            await MineAtL2PaceAsync(Node(0));
            return (await Json(Node(0), "l2_getwithdrawalstatus", honestWithdrawal)).GetProperty("status").GetString();
        }, s => s == "finalizable", "the honest withdrawal's anchor is final", TimeSpan.FromSeconds(120));
        Assert.Equal("ACTIVE", (await Json(Node(0), "l2_getchaininfo", _chainId)).GetProperty("status").GetString());
        await Cli(Node(0), "l2_finalizewithdrawal", honestWithdrawal);
        await Json(Node(0), "generate", "1");
        Assert.Equal("paid", (await Json(Node(0), "l2_getwithdrawalstatus", honestWithdrawal)).GetProperty("status").GetString());

        // The majority turns faulty a few blocks ahead, after the withdrawal (restarted with the option; no L1 block meanwhile).
        var faultyHeight = await L2Height(Node(0)) + 8;
        for (var i = 1; i < Sequencers; i++)
        {
            await Node(i).DisposeAsync();
            _nodes[i] = null;
            await StartAsync(i, onChain: true, $"-l2faultyroot={faultyHeight}");
        }
        var withdrawnAt = (await Json(Node(0), "l2_getwithdrawalstatus", honestWithdrawal)).GetProperty("l2block").GetUInt64();
        Assert.True(await L2Height(Node(0)) < faultyHeight, $"still before the faulty height {faultyHeight}");
        output.WriteLine($"the honest withdrawal in L2 block {withdrawnAt} is paid; three sequencers sign wrong roots from block {faultyHeight} on");

        // Load on the faulty majority's chain past the faulty height; settlement blocks come, anchors follow.
        var faulty = Node(1);
        var key = await Cli(Node(0), "dumpprivkey", alice);
        await Cli(faulty, "importprivkey", key);
        var faultyWithdrawal = "";
        var minter = faulty;
        for (var round = 0; round < 200 && ((await Json(watcher, "l2_getchallenges", _chainId)).GetArrayLength() == 0 || faultyWithdrawal.Length == 0); round++)
        {
            // Past the faulty height, the sequencer that minted itself 1 CAS in the bad block withdraws it: only ever under a bad root.
            if (faultyWithdrawal.Length == 0 && await L2Height(faulty) > faultyHeight)
            {
                var producer = (await L2Block(faulty, faultyHeight)).GetProperty("sequencer").GetString()!;
                var index = Array.IndexOf(_sequencerAddresses, producer);
                Assert.True(index is >= 1 and < Sequencers, $"the bad block's producer {producer} is one of the faulty sequencers");
                minter = Node(index);
                faultyWithdrawal = await Cli(minter, "-named", "l2_withdraw", "amount=0.5", $"fromaddress={producer}");
            }
            else
                await Json(faulty, "l2_sendtransaction", alice, bob, "0.01");
            if (round % 3 == 0)
                await MineAtL2PaceAsync(faulty);
            await Task.Delay(200);
        }
        var opened = (await Json(watcher, "l2_getchallenges", _chainId))[0];
        output.WriteLine($"the watcher opened game {opened.GetProperty("game").GetUInt64()} on anchor {opened.GetProperty("anchor").GetUInt64()} at L2 block {opened.GetProperty("block").GetUInt64()}");
        Assert.Equal(faultyHeight, opened.GetProperty("block").GetUInt64());

        // The game is played by the nodes themselves as settlement blocks come.
        await TestWait.UntilAsync(async () =>
        {
            await MineWhenMovedAsync();
            return (await Json(Node(0), "l2_getchallenges", _chainId))[0];
        }, g => !g.GetProperty("open").GetBoolean(), "the game ends", TimeSpan.FromSeconds(180));
        var ended = (await Json(Node(0), "l2_getchallenges", _chainId))[0];
        Assert.Equal("challenger-won", ended.GetProperty("phase").GetString());
        Assert.Equal(watcherAddress, ended.GetProperty("challenger").GetString());

        var info = await Json(Node(0), "l2_getchaininfo", _chainId);
        Assert.True(info.GetProperty("lastanchoredblock").GetUInt64() < faultyHeight, "the anchors from the bad one on are reverted");
        // The documented end: emergency mode against the last final root (the honest sequencer alone cannot finalize the next block).
        Assert.Equal("EMERGENCY", info.GetProperty("status").GetString());
        var sequencers = info.GetProperty("sequencers").EnumerateArray().ToDictionary(s => s.GetProperty("address").GetString()!, s => s);
        for (var i = 1; i < Sequencers; i++)
            Assert.Equal(0m, sequencers[_sequencerAddresses[i]].GetProperty("bonded").GetDecimal());
        Assert.True(sequencers[_sequencerAddresses[0]].GetProperty("eligible").GetBoolean());

        // The faulty chain's withdrawal is never paid: the anchor it was under is gone, and the honest chain never had it.
        var refused = await minter.CliAsync("l2_finalizewithdrawal", faultyWithdrawal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.NotEqual(0, (await Node(0).CliAsync("l2_finalizewithdrawal", faultyWithdrawal)).ExitCode);
        output.WriteLine($"the faulty chain's withdrawal {faultyWithdrawal} is refused: {refused.Stderr.Trim().Split('\n')[^1]}");

        // The honest withdrawal from before the fault stays paid: the revert took nothing it stood on.
        Assert.Equal("paid", (await Json(Node(0), "l2_getwithdrawalstatus", honestWithdrawal)).GetProperty("status").GetString());
        output.WriteLine("three faulty sequencers slashed, their anchors reverted, the honest withdrawal still paid");
        _dir.Succeeded();
    }

    /// <summary>
    /// Mines one settlement block on node 0, then waits until <paramref name="pace"/>'s L2 chain grew by
    /// two blocks: L1 blocks stay slower than L2 blocks, as on a real network (2.5 minutes against about a
    /// second). Mining at a fixed rate instead lets a slow machine see 30 L1 blocks pass without an anchor
    /// (emergency mode), which is a real rule, not what this test is about.
    /// </summary>
    private async Task MineAtL2PaceAsync(TestNode pace)
    {
        var before = await L2Height(pace);
        await Json(Node(0), "generate", "1");
        await TestWait.UntilAsync(() => L2Height(pace), h => h >= before + 2, "the L2 chain keeps pace with L1", TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// During a game: mines the next settlement block once a transaction (a move, as a rule) waits in node
    /// 0's mempool, or after 5 s. A side has 2 L1 blocks to move on regtest; mining at a fixed rate would
    /// let a slow machine, not the game, decide who is silent.
    /// </summary>
    private async Task MineWhenMovedAsync()
    {
        for (var i = 0; i < 50 && (await Json(Node(0), "getrawmempool")).GetArrayLength() == 0; i++)
            await Task.Delay(100);
        await Json(Node(0), "generate", "1");
    }
}
