using System.Text.Json;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Functional.Tests;

public sealed partial class SettlementStoryTests
{
    /// <summary>The story's wallet addresses: U deposits, V receives on L2 and withdraws to R; U (score 90, the fast path) also withdraws to H.</summary>
    private sealed record Users(string U, string V, string R, string H);

    /// <summary>A withdrawal paid on L1, and the finalization transaction as mined (getblock verbosity 2).</summary>
    private sealed record PaidWithdrawal(string TxId, string Recipient, JsonElement Finalization);

    private async Task<(Users Users, PaidWithdrawal Paid)> DepositTransferWithdrawAndFinalizeAsync()
    {
        var users = new Users(await NewAddressAsync(), await NewAddressAsync(), await NewAddressAsync(), await NewAddressAsync());
        var (u, v, r, h) = users;

        // Some L1 CAS for each so they pay their own L1 fees (finalization, emergency exit); U gets the fast-withdrawal score.
        foreach (var address in new[] { u, v, r, h })
            await CliAsync("sendtoaddress", address, "1");
        // The fast path follows the withdrawal's owner (its L2 sender), not its recipient or whoever finalizes it.
        await CliAsync("setreputation", u, "90");
        await MineAsync(1);
        // The fast path reads the owner's score on the L2, so U's L1 score must flow there (queued before the deposit).
        await CliAsync("l2_importreputation", u);
        var deposit = await CliAsync("l2_deposit", Text(_chainId), "20", u);
        await MineAsync(1);
        var depositHeight = await L1HeightAsync();
        _deposited += Amount.FromCas(20);
        var depositBlock = await CliJsonAsync("getblock", await CliAsync("getblockhash", Text(depositHeight)), "2");
        Succeeded(depositBlock.GetProperty("tx").EnumerateArray().ToArray(), deposit, "deposit");
        await AssertWalletAsync();

        // Minted on L2 once its L1 block has the one confirmation regtest asks for.
        Credit(u, Amount.FromCas(20));
        await WaitUntilAsync("the deposit is minted on L2", async () => await L2BalanceAsync(u) == Amount.FromCas(20));
        var info = await ChainInfoAsync();
        Assert.Equal(Amount.FromCas(20), AmountOf(info.GetProperty("locked")));
        Assert.Equal(2UL, info.GetProperty("l1messages").GetUInt64());
        Assert.Equal(90, (await CliJsonAsync("l2_getreputation", u)).GetProperty("aggregate").GetInt32());

        await TransferAsync(u, v, "3");
        await TransferAsync(v, u, "0.5");
        await AssertL2BalancesAsync();

        // A WebSocket subscriber follows the withdrawals, anchors and finality from here on.
        await using var ws = await WebSocketClient.ConnectAsync(Node);
        var subscriptions = new Dictionary<string, string>();
        foreach (var topic in new[] { "withdrawals", "anchors", "finalized" })
            subscriptions[(await ws.CallAsync("l2_subscribe", [topic])).GetProperty("result").GetString()!] = topic;

        // Two withdrawals in one batch: V's to R (V's score 0: the whole challenge period) and U's to H (U's score 90: a quarter of it).
        var toR = await WithdrawAsync(v, r, "1.5");
        var toH = await WithdrawAsync(u, h, "0.25");
        await AssertL2BalancesAsync();
        var pending = await CliJsonAsync("l2_getwithdrawalstatus", toR.TxId);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(r, pending.GetProperty("recipient").GetString());
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("finalatheight").ValueKind);

        info = await WaitForAnchorAsync(Math.Max(toR.L2Block, toH.L2Block), u);
        Assert.Equal(info.GetProperty("lastanchorheight").GetUInt64(), await L1HeightAsync());
        var fastPeriod = Rules.DefaultChallengePeriod / Rules.FastWithdrawalDivisor;

        // Each is refused one block before its period ends and paid in the first block that may pay it.
        var (hAnchor, hPosted) = await AnchorOfAsync(toH);
        await BatchOnL1Async(hAnchor, toR, toH);
        await FinalizeAtTheBoundaryAsync(toH, hAnchor, hPosted + fastPeriod);
        var (rAnchor, rPosted) = await AnchorOfAsync(toR);
        var paid = await FinalizeAtTheBoundaryAsync(toR, rAnchor, rPosted + Rules.DefaultChallengePeriod);
        await SubscribedAsync(ws, subscriptions, toR, rAnchor, toH, hAnchor);
        info = await ChainInfoAsync();
        Assert.Equal(Amount.FromCas(20) - Amount.Parse("1.75"), AmountOf(info.GetProperty("locked")));
        Assert.Equal(Amount.Parse("1.75"), AmountOf(info.GetProperty("withdrawntoday")));
        await AssertL2BalancesAsync();
        return (users, paid);
    }

    /// <summary>
    /// What the subscriber heard: each withdrawal pending in its L2 block, then anchored by its anchor,
    /// then finalizable or paid once that anchor was final (H, on the fast path, was paid by then);
    /// the anchors as recorded; and a finalized block covering both.
    /// </summary>
    private static async Task SubscribedAsync(WebSocketClient ws, Dictionary<string, string> subscriptions, SentWithdrawal toR, ulong rAnchor, SentWithdrawal toH, ulong hAnchor)
    {
        var received = new List<JsonElement>();
        IEnumerable<JsonElement> Of(IReadOnlyList<JsonElement> all, string topic) => all
            .Where(n => subscriptions[n.GetProperty("params").GetProperty("subscription").GetString()!] == topic)
            .Select(n => n.GetProperty("params").GetProperty("result"));
        var last = Math.Max(toR.L2Block, toH.L2Block);
        await ws.ReadUntilAsync(received, all => Of(all, "finalized").Any(f => f.GetProperty("number").GetUInt64() >= last)
            && Of(all, "withdrawals").Count(w => w.GetProperty("status").GetString() is "finalizable" or "paid") >= 2, "the withdrawals' anchor is final");

        foreach (var (withdrawal, anchor, final) in new[] { (toR, rAnchor, new[] { "finalizable", "paid" }), (toH, hAnchor, new[] { "paid" }) })
        {
            var events = Of(received, "withdrawals").Where(w => w.GetProperty("txid").GetString() == withdrawal.TxId).ToList();
            Assert.Equal(3, events.Count);
            Assert.Equal(["pending", "anchored"], events.Take(2).Select(e => e.GetProperty("status").GetString()));
            Assert.Contains(events[2].GetProperty("status").GetString(), final);
            Assert.All(events, e => Assert.Equal(withdrawal.L2Block, e.GetProperty("l2block").GetUInt64()));
            Assert.All(events, e => Assert.Equal(withdrawal.Recipient, e.GetProperty("recipient").GetString()));
            Assert.Equal(anchor, events[1].GetProperty("anchorindex").GetUInt64());
            Assert.Contains(Of(received, "anchors"), a => a.GetProperty("index").GetUInt64() == anchor
                && a.GetProperty("firstblock").GetUInt64() <= withdrawal.L2Block && withdrawal.L2Block <= a.GetProperty("lastblock").GetUInt64());
        }
        var anchors = Of(received, "anchors").Select(a => a.GetProperty("index").GetUInt64()).ToList();
        Assert.Equal(anchors.Order(), anchors);
    }

    /// <summary>The anchor that covers <paramref name="withdrawal"/> (as l2_getwithdrawalstatus says) and the L1 height that posted it.</summary>
    private async Task<(ulong Index, ulong PostedAt)> AnchorOfAsync(SentWithdrawal withdrawal)
    {
        var index = (await CliJsonAsync("l2_getwithdrawalstatus", withdrawal.TxId)).GetProperty("anchorindex").GetUInt64();
        return (index, _anchorPostedAt[index]);
    }

    /// <summary>A withdrawal sent with l2_withdraw, mined (burned) on L2.</summary>
    private sealed record SentWithdrawal(string TxId, string Recipient, Amount Amount, ulong L2Block);

    private async Task<SentWithdrawal> WithdrawAsync(string from, string l1Recipient, string amount)
    {
        var txid = await CliAsync("-named", "l2_withdraw", $"amount={amount}", $"l1address={l1Recipient}", $"fromaddress={from}");
        var receipt = await MinedAsync(txid, from, Amount.Parse(amount), null);
        return new SentWithdrawal(txid, l1Recipient, Amount.Parse(amount), receipt.GetProperty("blocknumber").GetUInt64());
    }

    /// <summary>
    /// With the tip two blocks before <paramref name="finalAt"/>: status "anchored" and l2_finalizewithdrawal
    /// refused (it would be mined one block early); one block later "finalizable", accepted and paid in block
    /// <paramref name="finalAt"/>, the recipient paying its own fee (which leaves the wallet: mined outside).
    /// </summary>
    private async Task<PaidWithdrawal> FinalizeAtTheBoundaryAsync(SentWithdrawal withdrawal, ulong anchorIndex, ulong finalAt)
    {
        await MineToHeightAsync(finalAt - 2);
        var early = await CliJsonAsync("l2_getwithdrawalstatus", withdrawal.TxId);
        Assert.Equal("anchored", early.GetProperty("status").GetString());
        Assert.Equal(anchorIndex, early.GetProperty("anchorindex").GetUInt64());
        Assert.Equal(finalAt, early.GetProperty("finalatheight").GetUInt64());
        Assert.Equal(withdrawal.Amount, AmountOf(early.GetProperty("amount")));
        await CliFailsAsync(-26, $"too-early: withdrawal {withdrawal.TxId} can be paid from L1 height {Text(finalAt)} (now {Text(finalAt - 1)})", "l2_finalizewithdrawal", withdrawal.TxId);

        await MineAsync(1);
        Assert.Equal("finalizable", (await CliJsonAsync("l2_getwithdrawalstatus", withdrawal.TxId)).GetProperty("status").GetString());
        var finalization = await CliAsync("l2_finalizewithdrawal", withdrawal.TxId);
        var mined = await MineOutsideAsync();
        Assert.Equal(finalAt, await L1HeightAsync());
        var transaction = Succeeded(mined, finalization, "finalizewithdrawal");
        Assert.Equal(withdrawal.Recipient, transaction.GetProperty("from").GetString());
        _paidOut += withdrawal.Amount;
        await AssertWalletAsync();
        var status = await CliJsonAsync("l2_getwithdrawalstatus", withdrawal.TxId);
        Assert.Equal("paid", status.GetProperty("status").GetString());
        // Paid, it still names the anchor it was proven against and the height it became payable.
        Assert.Equal(anchorIndex, status.GetProperty("anchorindex").GetUInt64());
        Assert.Equal(finalAt, status.GetProperty("finalatheight").GetUInt64());
        return new PaidWithdrawal(withdrawal.TxId, withdrawal.Recipient, transaction);
    }
}
