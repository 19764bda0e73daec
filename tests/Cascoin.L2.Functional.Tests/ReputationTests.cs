using System.Globalization;
using System.Text;
using System.Text.Json;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// Reputation on a deployed chain (doc/reputation.md), on one real node: an address whose L1 score is
/// imported pays half the base fee and may send 500 transactions a block; a spammer that fills its
/// allowance loses its score, and its allowance follows it down to 100.
/// </summary>
public sealed class ReputationTests(ITestOutputHelper output) : DeployedChainTest("reputation")
{
    private static readonly NetworkParameters Network = NetworkParameters.Regtest;

    private ulong _chainId;


    [Fact]
    public async Task An_imported_L1_score_gives_the_discount_and_the_high_tier_and_spam_takes_them_away()
    {
        // One block a second: the spammer's 1,000 transactions (one batch call, well under a second) are all waiting when a block
        // is made, so a block takes the full allowance of 500 whatever the machine's load.
        var chainId = await DeployAsync("reputation", blockTimeMs: 1_000);
        _chainId = ulong.Parse(chainId, CultureInfo.InvariantCulture);
        using var good = PrivateKey.Generate();
        using var spammer = PrivateKey.Generate();
        var (goodAddress, spamAddress) = (await ImportAsync(good), await ImportAsync(spammer));
        foreach (var address in new[] { goodAddress, spamAddress })
        {
            await Cli("sendtoaddress", address, "1");
            await Cli("l2_deposit", chainId, "30", address);
        }
        await Cli("setreputation", goodAddress, "90");
        await Cli("setreputation", spamAddress, "80");
        await Json("generate", "1");
        foreach (var address in new[] { goodAddress, spamAddress })
            await Cli("l2_importreputation", address);
        await Json("generate", "2");

        var reputation = await TestWait.UntilAsync(() => Json("l2_getreputation", goodAddress), r => r.GetProperty("aggregate").GetInt32() == 90,
            "the imported score reaches the L2", TimeSpan.FromSeconds(30));
        Assert.Equal(500, reputation.GetProperty("ratelimit").GetInt32());
        Assert.True(reputation.GetProperty("feediscount").GetBoolean());
        Assert.True(reputation.GetProperty("follows").GetBoolean());
        Assert.Equal("l1import", reputation.GetProperty("recent")[0].GetProperty("event").GetString());
        await TestWait.UntilAsync(() => Cli("l2_getbalance", spamAddress), b => b == "30.00000000", "the deposits are minted", TimeSpan.FromSeconds(30));

        // The discount: with no tip the price paid is exactly half the block's base fee (rounded up).
        var txid = await SendAsync(good, 0, TestKit.DeterministicKeys.AddressOf(spammer), maxFee: 1_000, tip: 0);
        var receipt = await CliCalls.ReceiptAsync(Node, txid, "the good address's transfer");
        var block = await Json("l2_getblockbynumber", receipt.GetProperty("blocknumber").GetUInt64().ToString(CultureInfo.InvariantCulture));
        var baseFee = block.GetProperty("basefeepergas").GetUInt64();
        Assert.Equal(baseFee - baseFee / 2, receipt.GetProperty("effectivegasprice").GetUInt64());

        // The spammer: 80 gives the 500 tier. Its transactions arrive faster than blocks take them.
        var first = ulong.Parse(await Cli("l2_blocknumber"), CultureInfo.InvariantCulture);
        const int Count = 1_000; // the most one sender may have pending (TxPoolOptions.MaxPerSender)
        var batch = new StringBuilder("[");
        for (var nonce = 0; nonce < Count; nonce++)
        {
            var raw = Convert.ToHexStringLower(Sign(spammer, (ulong)nonce, TestKit.DeterministicKeys.AddressOf(good), maxFee: 50, tip: 1).ToBytes());
            batch.Append(nonce == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"jsonrpc\":\"2.0\",\"id\":{nonce},\"method\":\"l2_sendrawtransaction\",\"params\":[\"{raw}\"]}}");
        }
        var (status, body) = await Node.PostAsync(batch.Append(']').ToString(), Node.Cookie);
        Assert.Equal(200, status);
        var refused = body.IndexOf("\"error\":{", StringComparison.Ordinal);
        Assert.True(refused < 0, $"a spam transaction was refused: {(refused < 0 ? "" : body.Substring(refused, Math.Min(300, body.Length - refused)))}");
        await TestWait.UntilAsync(() => Json("l2_gettransactioncount", spamAddress), n => n.GetUInt64() == Count, "every spam transaction is in a block", TimeSpan.FromSeconds(60));

        // Per block: up to 500 while the score is above 70; once a full allowance took it to 70 or below, never more than 100.
        var last = ulong.Parse(await Cli("l2_blocknumber"), CultureInfo.InvariantCulture);
        var perBlock = new List<int>();
        for (var number = first + 1; number <= last; number++)
        {
            var count = (await Json("l2_getblockbynumber", number.ToString(CultureInfo.InvariantCulture))).GetProperty("ntx").GetInt32();
            if (count > 0)
                perBlock.Add(count);
        }
        output.WriteLine($"spam transactions per block: {string.Join(' ', perBlock)}");
        Assert.Equal(Count, perBlock.Sum());
        var full = perBlock.FindIndex(c => c == 500);
        Assert.True(full >= 0, "no block took the spammer's full allowance of 500");
        // One full allowance costs 10 points: 80 → 70, the 100 tier from the next block on.
        Assert.All(perBlock.Skip(full + 1), c => Assert.True(c <= 100, $"a block after the score fell took {c} of the spammer's transactions"));
        var spam = await Json("l2_getreputation", spamAddress);
        output.WriteLine($"spammer: {spam}");
        Assert.True(spam.GetProperty("aggregate").GetInt32() <= 70);
        Assert.Equal(100, spam.GetProperty("ratelimit").GetInt32());
        Assert.False(spam.GetProperty("feediscount").GetBoolean());
        Assert.Equal("ratelimithit", spam.GetProperty("recent")[0].GetProperty("event").GetString());
        Directory.Succeeded();
    }

    /// <summary>Puts the key in the node wallet (it signs the L1 import and pays its fee) and returns its address.</summary>
    private async Task<string> ImportAsync(PrivateKey key)
    {
        await Cli("importprivkey", Wif.Encode(key.ToArray(), compressed: true, Network));
        return TestKit.DeterministicKeys.AddressOf(key).ToBase58(Network);
    }

    private Transaction Sign(PrivateKey key, ulong nonce, Address to, ulong maxFee, ulong tip) =>
        Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, _chainId, nonce, to, Amount.FromSat(1), maxFee, tip,
            IntrinsicGas.Base, null), key);

    private async Task<string> SendAsync(PrivateKey key, ulong nonce, Address to, ulong maxFee, ulong tip) =>
        await Cli("l2_sendrawtransaction", Convert.ToHexStringLower(Sign(key, nonce, to, maxFee, tip).ToBytes()));
}
