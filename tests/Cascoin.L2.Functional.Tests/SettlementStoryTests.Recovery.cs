using System.Text.Json;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Functional.Tests;

public sealed partial class SettlementStoryTests
{
    /// <summary>
    /// Two deposits after the last anchor, each spent on L2; invalidateblock on the L1 block of the
    /// second. The L2 returns to the last anchor and replays: the first deposit is still on L1, so the
    /// transfer it funded is mined again; the second is gone, so its transfer no longer applies and
    /// l2_getreorgs lists it. reconsiderblock brings the second deposit back (minted again), not the transfer.
    /// </summary>
    private async Task L1ReorganizationUnderADepositAsync(Users users)
    {
        // Anchors off, and the one in flight mined: no anchor lands in or after the block that will be invalidated.
        Assert.False((await CliJsonAsync("l2_setanchoring", "false")).GetBoolean());
        await MineAsync(1);
        var u2 = await NewAddressAsync();
        var u3 = await NewAddressAsync();
        var kept = await DepositAndSpendAsync(u2, "5", users.V, "1");
        var removed = await DepositAndSpendAsync(u3, "4", users.V, "2");
        Assert.Single((await CliJsonAsync("getblock", removed.L1Block, "1")).GetProperty("tx").EnumerateArray());
        var l1Height = await L1HeightAsync();

        Assert.Equal("", await CliAsync("invalidateblock", removed.L1Block));
        Assert.Equal(l1Height - 1, await L1HeightAsync());
        Assert.Equal(kept.L1Block, await CliAsync("getbestblockhash"));
        _deposited -= Amount.FromCas(4); // back in the L1 mempool, so still the wallet's
        await AssertWalletAsync();
        // The second deposit and its transfer leave the model; the transfer is reported.
        Credit(u3, -_l2[u3]);
        Credit(users.V, -Amount.FromCas(2));
        _sent.RemoveAll(t => t.TxId == removed.Spend);
        JsonElement reported = default;
        await WaitUntilAsync("l2_getreorgs reports the transfer of the removed deposit", async () =>
            (reported = (await RpcAsync("l2_getreorgs")).EnumerateArray().FirstOrDefault(a => a.GetProperty("txid").GetString() == removed.Spend)).ValueKind != JsonValueKind.Undefined);
        Assert.Equal(removed.SpendBlock, reported.GetProperty("revertedblock").GetUInt64());
        Assert.StartsWith("insufficient-funds:", reported.GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Null(await ReceiptAsync(removed.Spend));
        await WaitUntilAsync("the L2 mints the first deposit again", async () => await L2BalanceAsync(u2) != Amount.Zero);
        await ReplayedFeesAsync();
        await AssertL2BalancesAsync();
        Assert.Equal(Amount.Zero, await L2BalanceAsync(u3));

        Assert.Equal("", await CliAsync("reconsiderblock", removed.L1Block));
        Assert.Equal(l1Height, await L1HeightAsync());
        _deposited += Amount.FromCas(4);
        await AssertWalletAsync();
        Credit(u3, Amount.FromCas(4));
        await WaitUntilAsync("the second deposit is minted again", async () => await L2BalanceAsync(u3) == Amount.FromCas(4));
        await AssertL2BalancesAsync();
        Assert.Null(await ReceiptAsync(removed.Spend));
        // Its deposit transaction went back to the L1 mempool when the block was disconnected: it must not be mined twice.
        await MineAsync(1);
        Assert.Equal(Amount.FromCas(29), AmountOf((await ChainInfoAsync()).GetProperty("locked")) + Amount.Parse("1.75"));
        await AssertWalletAsync();
        Assert.True((await CliJsonAsync("l2_setanchoring", "true")).GetBoolean());
    }

    /// <summary>A deposit to a new L2 account, mined alone in an L1 block, and an L2 transfer it funds.</summary>
    private sealed record SpentDeposit(string L1Block, string Spend, ulong SpendBlock);

    private async Task<SpentDeposit> DepositAndSpendAsync(string owner, string amount, string to, string spend)
    {
        await CliAsync("l2_deposit", Text(_chainId), amount, owner);
        await MineAsync(1);
        _deposited += Amount.Parse(amount);
        var block = await CliAsync("getbestblockhash");
        Credit(owner, Amount.Parse(amount));
        await WaitUntilAsync($"the deposit to {owner} is minted", async () => await L2BalanceAsync(owner) == Amount.Parse(amount));
        var receipt = await TransferAsync(owner, to, spend);
        return new SpentDeposit(block, receipt.GetProperty("txid").GetString()!, receipt.GetProperty("blocknumber").GetUInt64());
    }

    /// <summary>
    /// After a reorganization the undone transactions are mined again, at the base fee of their new block:
    /// the model takes each new fee. Every one of them must come back, including those of accounts
    /// funded by a deposit that is still on L1 (the replay credits that deposit first).
    /// </summary>
    private async Task ReplayedFeesAsync()
    {
        var reorgs = (await RpcAsync("l2_getreorgs")).EnumerateArray().Select(a => a.GetProperty("txid").GetString()!).ToHashSet();
        foreach (var sent in _sent.ToList())
        {
            Assert.False(reorgs.Contains(sent.TxId), $"L2 transaction {sent.TxId} of {sent.From} was dropped by the reorganization instead of replayed");
            var receipt = await WaitForReceiptAsync(sent.TxId);
            var fee = AmountOf(receipt.GetProperty("fee"));
            Credit(sent.From, sent.Fee - fee);
            _sent[_sent.IndexOf(sent)] = sent with { Fee = fee };
        }
    }

    /// <summary>
    /// Anchoring stops; one block after the emergency window the chain is EMERGENCY, the L2 stops
    /// producing, deposits close, and each account exits once with its balance proven against the last
    /// final anchor; a second claim and a forged balance are refused.
    /// </summary>
    private async Task EmergencyExitsAsync(Users users)
    {
        await WaitForAnchorAsync(await L2HeadAsync(), users.U);
        Assert.False((await CliJsonAsync("l2_setanchoring", "false")).GetBoolean());
        await MineAsync(1);
        var info = await ChainInfoAsync();
        var anchoredBlock = info.GetProperty("lastanchoredblock").GetUInt64();
        var lastAnchorHeight = info.GetProperty("lastanchorheight").GetUInt64();

        await MineToHeightAsync(lastAnchorHeight + Rules.EmergencyWindow);
        Assert.Equal("ACTIVE", (await ChainInfoAsync()).GetProperty("status").GetString());
        await MineAsync(1);
        Assert.Equal("EMERGENCY", (await ChainInfoAsync()).GetProperty("status").GetString());

        // Production halts: the producer says so, and a waiting transaction is not mined over ten block times.
        await WaitUntilAsync("the producer stops", () => Task.FromResult(Node.ReadLog().Contains("Block production stopped: the chain is in emergency mode", StringComparison.Ordinal)));
        var head = await L2HeadAsync();
        var waiting = (await CliJsonAsync("l2_sendtransaction", users.U, users.V, "0.1")).GetProperty("txid").GetString()!;
        await Task.Delay(TimeSpan.FromMilliseconds(10 * 100));
        Assert.Equal(head, await L2HeadAsync());
        Assert.Null(await ReceiptAsync(waiting));
        await CliFailsAsync(-26, $"chain-status: chain {Text(_chainId)} is emergency: deposits are closed", "l2_deposit", Text(_chainId), "1", users.U);

        await ExitAsync(users.U, anchoredBlock);
        var again = await CliFailsAsync(-26, "", "l2_emergencywithdraw", users.U);
        Assert.EndsWith($" has already exited chain {Text(_chainId)}", again, StringComparison.Ordinal);
        await ForgedExitRefusedAsync(users.V, anchoredBlock);
        await ExitAsync(users.V, anchoredBlock);
    }

    /// <summary>l2_emergencywithdraw pays the balance at the last anchor (the model's, as nothing was mined since) on L1.</summary>
    private async Task ExitAsync(string owner, ulong anchoredBlock)
    {
        var balance = _l2[owner];
        Assert.Equal(balance, await L2BalanceAsync(owner, anchoredBlock));
        var lockedBefore = AmountOf((await ChainInfoAsync()).GetProperty("locked"));
        var exit = await CliAsync("l2_emergencywithdraw", owner);
        var transaction = Succeeded(await MineOutsideAsync(), exit, "emergencywithdraw");
        Assert.Equal(owner, transaction.GetProperty("from").GetString());
        var proven = Assert.IsType<EmergencyWithdrawCall>(L1Call.Decode(L1TransactionKind.EmergencyWithdraw, Convert.FromHexString(transaction.GetProperty("payload").GetString()!)));
        Assert.True(AccountState.TryFromBytes(proven.AccountRecord, out var account));
        // The root must not move during the emergency: every exit proves the balance at the same last final anchor.
        Assert.Equal(balance, account.Balance);
        _paidOut += account.Balance;
        await AssertWalletAsync();
        Assert.Equal(lockedBefore - account.Balance, AmountOf((await ChainInfoAsync()).GetProperty("locked")));
    }

    /// <summary>A real balance proof of <paramref name="owner"/> with a raised balance, sent as a raw L1 transaction: the bridge refuses it.</summary>
    private async Task ForgedExitRefusedAsync(string owner, ulong anchoredBlock)
    {
        var proof = await RpcAsync("l2_getproof", owner, anchoredBlock);
        Assert.True(AccountState.TryFromBytes(Convert.FromHexString(proof.GetProperty("value").GetString()!), out var account));
        var raised = new AccountState(account.Balance + Amount.FromCas(5), account.Nonce, account.CodeHash, account.StorageRoot, account.HatScore, account.LastActivity);
        var forged = new EmergencyWithdrawCall(_chainId, raised.ToBytes(), Convert.FromHexString(proof.GetProperty("proof").GetString()!));
        using var key = await KeyOfAsync(owner);
        // The owner has sent no L1 transaction yet: nonce 0.
        var transaction = L1Transaction.Sign(forged.Kind, 0, Rules.MinimumFee, forged.ToBytes(), key, Network);
        await CliFailsAsync(-26, "bad-proof: the proof does not show this account of ", "sendrawtransaction", Convert.ToHexStringLower(transaction.ToBytes()));
    }
}
