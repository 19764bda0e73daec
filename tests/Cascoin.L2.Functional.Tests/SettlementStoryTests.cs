using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// The settlement story of README.md on one real <c>cascoind -regtest</c>, driven with the real
/// <c>cascoin-cli</c> (raw JSON-RPC only to poll): deploy, stake and reputation, restart on the deployed
/// chain, then deposit → L2 transfers → withdrawals → anchors → finalization at the exact L1 height
/// (SettlementStoryTests.Bridge.cs); refused bad input that moves nothing (.BadInput.cs); an L1
/// reorganization under a deposit, and emergency exits (.Recovery.cs); the batch data on L1, a node
/// rebuilt from it alone and the halting rule (.Data.cs, .Derivation.cs, .Halting.cs). The parts share one node and
/// run in order, so every amount is followed to the satoshi: a model of the L2 balances (each fee
/// taken from its receipt) and of the wallet's L1 total (mined rewards, stakes, deposits, payouts and
/// the fees of blocks mined to an address outside the wallet).
/// </summary>
public sealed partial class SettlementStoryTests(ITestOutputHelper output) : IAsyncLifetime, IAsyncDisposable
{
    /// <summary>Mined blocks pay a key this test never imports, so the L1 fees of those blocks leave the wallet and can be counted.</summary>
    private const string OutsideMiner = "mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe";

    private static readonly NetworkParameters Network = NetworkParameters.Regtest;

    /// <summary>The regtest rules the story is timed by (SPEC §2 brackets): challenge 10 L1 blocks, emergency 30, batch 5, 1 confirmation.</summary>
    private static readonly SettlementParameters Rules = SettlementParameters.Regtest;

    private static readonly Amount BlockReward = Rules.BlockReward;

    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(20);

    private readonly TestDirectory _dir = TestDirectory.Create("settlement-story");
    private readonly Dictionary<string, Amount> _l2 = [];
    private readonly List<SentTransaction> _sent = [];
    private readonly Dictionary<ulong, ulong> _anchorPostedAt = [];
    private readonly HashSet<string> _wallet = [];
    private TestNode? _node;
    private ulong _chainId;
    private string _sequencer = "";

    // The wallet's L1 total is 50 CAS per matured block minus what left it (stakes, deposits, fees
    // to the outside miner) plus what the bridge paid into it; fees between wallet addresses cancel.
    private Amount _staked;
    private Amount _deposited;
    private Amount _paidOut;
    private Amount _feesToOutside;
    private ulong? _firstOutsideBlock;

    /// <summary>An L2 transaction this test sent: its value moves (to null: burned) and the fee its receipt charged (a replay after a reorganization may charge another).</summary>
    private sealed record SentTransaction(string TxId, string From, Amount Value, string? To, Amount Fee);

    private TestNode Node => _node ?? throw new InvalidOperationException("no node");

    [Fact]
    public async Task Story_deposit_transfer_withdraw_finalize_reorg_bad_input_and_emergency_exit_on_one_node()
    {
        output.WriteLine($"data directory: {_dir}");
        var watch = Stopwatch.StartNew();
        await DeployAndRestartOnTheChainAsync();
        output.WriteLine($"deployed chain {_chainId} and restarted on it: {watch.ElapsedMilliseconds} ms");
        var (users, withdrawal) = await DepositTransferWithdrawAndFinalizeAsync();
        output.WriteLine($"deposit, transfers and finalized withdrawals: {watch.ElapsedMilliseconds} ms");
        await DerivedNodeReachesTheAnchoredRootsAsync(users.U);
        await FollowerFallsBackToL1Async();
        await LyingCommitmentRefusedAsync(users.U);
        output.WriteLine($"a node rebuilt from L1 alone: {watch.ElapsedMilliseconds} ms");
        await HaltingRuleAsync(users.U);
        output.WriteLine($"halting rule: {watch.ElapsedMilliseconds} ms");
        await BadInputMovesNothingAsync(users, withdrawal);
        output.WriteLine($"bad input refused: {watch.ElapsedMilliseconds} ms");
        await L1ReorganizationUnderADepositAsync(users);
        output.WriteLine($"L1 reorganization: {watch.ElapsedMilliseconds} ms");
        await EmergencyExitsAsync(users);
        output.WriteLine($"emergency exits: {watch.ElapsedMilliseconds} ms");
        _dir.Succeeded();
    }

    /// <summary>generate 101, l2_deploy, l2_stake, setreputation until ACTIVE, then restart with -l2chainid (a node follows one L2 chain, chosen at start).</summary>
    private async Task DeployAndRestartOnTheChainAsync()
    {
        _node = new TestNode(_dir.Path);
        await Node.StartAsync();
        Assert.Equal(101, (await CliJsonAsync("generate", "101")).GetArrayLength());
        Assert.Equal(BlockReward, Amount.Parse(await CliAsync("getbalance")));

        var deploy = await CliJsonAsync("l2_deploy", "story");
        _chainId = deploy.GetProperty("chainid").GetUInt64();
        await MineAsync(1);
        var info = await ChainInfoAsync();
        _sequencer = info.GetProperty("deployer").GetString()!;
        _wallet.Add(_sequencer);
        Assert.Equal("BOOTSTRAPPING", info.GetProperty("status").GetString());
        Assert.Equal(Rules.DefaultChallengePeriod, info.GetProperty("challengeperiod").GetUInt64());
        Assert.Equal(102UL, info.GetProperty("deployheight").GetUInt64());
        var deployer = info.GetProperty("sequencers")[0];
        Assert.Equal(Rules.MinimumSequencerStake, AmountOf(deployer.GetProperty("bonded")));
        Assert.False(deployer.GetProperty("eligible").GetBoolean());

        var extraStake = Amount.FromCas(5);
        await CliAsync("l2_stake", Text(_chainId), "5");
        await CliAsync("setreputation", _sequencer, "90");
        await MineAsync(1);
        _staked = Rules.MinimumSequencerStake + extraStake;
        info = await ChainInfoAsync();
        Assert.Equal("ACTIVE", info.GetProperty("status").GetString());
        var sequencer = info.GetProperty("sequencers")[0];
        Assert.Equal(_staked, AmountOf(sequencer.GetProperty("bonded")));
        Assert.Equal(90, sequencer.GetProperty("score").GetInt32());
        Assert.True(sequencer.GetProperty("eligible").GetBoolean());
        await AssertWalletAsync();

        await StopAsync();
        await RestartAsync();
        Assert.Equal(_chainId, (await CliJsonAsync("getblockchaininfo")).GetProperty("l2").GetProperty("chainid").GetUInt64());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>xunit 2 awaits <see cref="IAsyncLifetime"/> after the test (it ignores IAsyncDisposable): every node is stopped, pass or fail.</summary>
    public async Task DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
        _dir.Dispose();
    }

    // ---- cascoin-cli and raw JSON-RPC ----

    private Task<string> CliAsync(params string[] arguments) => CliCalls.OkAsync(Node, arguments);

    private Task<JsonElement> CliJsonAsync(params string[] arguments) => CliCalls.JsonAsync(Node, arguments);

    /// <summary>cascoin-cli must fail with <paramref name="code"/> and a message starting with <paramref name="messageStart"/>.</summary>
    private async Task<string> CliFailsAsync(int code, string messageStart, params string[] arguments)
    {
        var result = await Node.CliAsync(arguments);
        output.WriteLine($"{string.Join(' ', arguments.Take(2))} → {result.Stderr.ReplaceLineEndings(" ").Trim()}");
        var message = CliCalls.ErrorMessage(result, code, arguments[0]);
        Assert.True(message.StartsWith(messageStart, StringComparison.Ordinal), $"{arguments[0]}: expected a message starting \"{messageStart}\", got \"{message}\"");
        return message;
    }

    /// <summary>A call over raw HTTP (cheaper than starting cascoin-cli, for polling); fails the test on an RPC error.</summary>
    private async Task<JsonElement> RpcAsync(string method, params object?[] parameters)
    {
        var reply = await Node.RpcAsync(method, parameters);
        var error = reply.GetProperty("error");
        Assert.True(error.ValueKind == JsonValueKind.Null, $"{method}: {error}");
        return reply.GetProperty("result");
    }

    /// <summary>Polls every 50 ms until <paramref name="done"/> holds; fails after <see cref="PollTimeout"/>.</summary>
    private static async Task WaitUntilAsync(string what, Func<Task<bool>> done)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(watch.Elapsed < PollTimeout, $"not reached within {PollTimeout.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    private async Task<JsonElement> ChainInfoAsync() => await RpcAsync("l2_getchaininfo", _chainId);

    private async Task<ulong> L1HeightAsync() => (await RpcAsync("getblockcount")).GetUInt64();

    private async Task<ulong> L2HeadAsync() => (await RpcAsync("l2_blocknumber")).GetUInt64();

    private async Task<Amount> L2BalanceAsync(string address, ulong? block = null) =>
        AmountOf(block is { } number ? await RpcAsync("l2_getbalance", address, number) : await RpcAsync("l2_getbalance", address));

    private async Task<string> NewAddressAsync()
    {
        var address = await CliAsync("getnewaddress");
        _wallet.Add(address);
        return address;
    }

    private static Amount AmountOf(JsonElement element) => Amount.Parse(element.GetRawText());

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    // ---- the L1 side ----

    private async Task MineAsync(int blocks) => Assert.Equal(blocks, (await CliJsonAsync("generate", blocks.ToString(CultureInfo.InvariantCulture))).GetArrayLength());

    private async Task MineToHeightAsync(ulong height)
    {
        var tip = await L1HeightAsync();
        Assert.True(tip <= height, $"the L1 is at {tip}, past {height}");
        if (tip < height)
            await MineAsync((int)(height - tip));
    }

    /// <summary>
    /// Mines one block paying <see cref="OutsideMiner"/> and returns its transactions (getblock verbosity 2).
    /// Every transaction in it is the wallet's and pays exactly the minimum fee, which thereby leaves the wallet.
    /// </summary>
    private async Task<JsonElement[]> MineOutsideAsync()
    {
        var hash = (await CliJsonAsync("generatetoaddress", "1", OutsideMiner))[0].GetString()!;
        var block = await CliJsonAsync("getblock", hash, "2");
        _firstOutsideBlock ??= block.GetProperty("height").GetUInt64();
        Assert.Equal(OutsideMiner, block.GetProperty("miner").GetString());
        var transactions = block.GetProperty("tx").EnumerateArray().ToArray();
        foreach (var transaction in transactions)
        {
            Assert.Contains(transaction.GetProperty("from").GetString()!, _wallet);
            Assert.Equal(Rules.MinimumFee, AmountOf(transaction.GetProperty("fee")));
            _feesToOutside += Rules.MinimumFee;
        }
        return transactions;
    }

    /// <summary>The one transaction <paramref name="txid"/> in a mined block's list, which must have succeeded.</summary>
    private static JsonElement Succeeded(JsonElement[] transactions, string txid, string kind)
    {
        var transaction = Assert.Single(transactions, t => t.GetProperty("txid").GetString() == txid);
        Assert.Equal(kind, transaction.GetProperty("kind").GetString());
        Assert.True(transaction.GetProperty("success").GetBoolean(), $"{kind} {txid} failed: {transaction.GetProperty("error")}");
        return transaction;
    }

    /// <summary>The wallet's L1 total (getbalance) against the ledger, to the satoshi.</summary>
    private async Task AssertWalletAsync()
    {
        var tip = await L1HeightAsync();
        // Rewards mature 100 blocks late: every matured block so far was mined by the sequencer (in the wallet).
        Assert.True(_firstOutsideBlock is null || tip - Rules.CoinbaseMaturity < _firstOutsideBlock, "an outside miner's reward matured: the ledger would need it");
        var matured = (long)(tip - Rules.CoinbaseMaturity);
        var expected = BlockReward * matured - _staked - _deposited + _paidOut - _feesToOutside;
        Assert.Equal(expected, Amount.Parse(await CliAsync("getbalance")));
    }

    // ---- the L2 side ----

    private void Credit(string address, Amount amount) => _l2[address] = _l2.GetValueOrDefault(address) + amount;

    /// <summary>Every L2 balance of the model against the node.</summary>
    private async Task AssertL2BalancesAsync()
    {
        foreach (var (address, balance) in _l2)
            Assert.True(balance == await L2BalanceAsync(address), $"L2 balance of {address}: expected {balance}, the node has {await L2BalanceAsync(address)}");
    }

    private async Task<JsonElement?> ReceiptAsync(string txid)
    {
        var receipt = await RpcAsync("l2_gettransactionreceipt", txid);
        return receipt.ValueKind == JsonValueKind.Null ? null : receipt;
    }

    /// <summary>Waits for a successful receipt; its fee must be gas used × effective gas price.</summary>
    private async Task<JsonElement> WaitForReceiptAsync(string txid)
    {
        JsonElement? found = null;
        await WaitUntilAsync($"receipt of {txid}", async () => (found = await ReceiptAsync(txid)) is not null);
        var receipt = found!.Value;
        Assert.Equal("success", receipt.GetProperty("status").GetString());
        Assert.Equal(Amount.FromSat((long)(receipt.GetProperty("gasused").GetUInt64() * receipt.GetProperty("effectivegasprice").GetUInt64())),
            AmountOf(receipt.GetProperty("fee")));
        return receipt;
    }

    /// <summary>Waits until an L2 transaction is mined and applies it to the model: <paramref name="from"/> pays value and fee, <paramref name="to"/> (null: burned) gets the value.</summary>
    private async Task<JsonElement> MinedAsync(string txid, string from, Amount value, string? to)
    {
        var receipt = await WaitForReceiptAsync(txid);
        var sent = new SentTransaction(txid, from, value, to, AmountOf(receipt.GetProperty("fee")));
        Credit(from, -sent.Value - sent.Fee);
        if (to is not null)
            Credit(to, value);
        _sent.Add(sent);
        return receipt;
    }

    /// <summary>l2_sendtransaction (signed by the node's wallet); waits until mined. Returns the receipt.</summary>
    private async Task<JsonElement> TransferAsync(string from, string to, string amount)
    {
        var sent = await CliJsonAsync("l2_sendtransaction", from, to, amount);
        return await MinedAsync(sent.GetProperty("txid").GetString()!, from, Amount.Parse(amount), to);
    }

    /// <summary>
    /// Waits until an anchor on L1 covers L2 block <paramref name="l2Block"/>. An anchor is posted once
    /// the L2 is a batch (5 blocks) past the last one; an idle L2 makes a block only every 5 s, so this
    /// makes blocks with tiny self-transfers of <paramref name="pump"/>, and mines the posted anchor.
    /// Returns the chain info with that anchor as the last one.
    /// </summary>
    private async Task<JsonElement> WaitForAnchorAsync(ulong l2Block, string pump)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var info = await ChainInfoAsync();
            var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
            if (anchored >= l2Block)
                return info;
            Assert.True(watch.Elapsed < PollTimeout, $"no anchor covers L2 block {l2Block} after {PollTimeout.TotalSeconds} s (last anchored {anchored})");
            if (await L2HeadAsync() < Math.Max(l2Block, anchored + Rules.BatchInterval))
            {
                await TransferAsync(pump, pump, "0.00000001");
                continue;
            }
            await MineAsync(1);
            // Which L1 block posted which anchor: batches are cut by the producer's timing, so two
            // withdrawals sent one after the other may land in different anchors.
            var mined = await ChainInfoAsync();
            if (mined.GetProperty("anchors").GetUInt64() is > 0 and var count)
                _anchorPostedAt[count - 1] = mined.GetProperty("lastanchorheight").GetUInt64();
        }
    }
}
