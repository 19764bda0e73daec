using System.Text.Json;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Functional.Tests;

public sealed partial class SettlementStoryTests
{
    /// <summary>An id no withdrawal or message has.</summary>
    private const string UnknownId = "00000000000000000000000000000000000000000000000000000000000000aa";

    /// <summary>
    /// Every refusal has its code and reason, and moves nothing: the wallet's L1 total, the L2 balances,
    /// the bridge's locked total and queue are the same afterwards, and the next block carries none of it.
    /// Then a message each way, read back with the exact bytes.
    /// </summary>
    private async Task BadInputMovesNothingAsync(Users users, PaidWithdrawal paid)
    {
        var before = await BridgeSnapshotAsync();
        var chain = Text(_chainId);

        // Wrong chain id: on L1 (no such chain) and on L2 (a transaction signed for the development chain).
        await CliFailsAsync(-5, "chain 12345 is not deployed", "l2_getchaininfo", "12345");
        await CliFailsAsync(-26, "unknown-chain: unknown chain 12345", "l2_deposit", "12345", "1", users.U);
        await CliFailsAsync(-26, "unknown-chain: unknown chain 12345", "l2_stake", "12345", "1");
        using var keyU = await KeyOfAsync(users.U);
        var otherChain = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, 1, 0, Address.Parse(users.V, Network), Amount.OneCas, 20, 1, IntrinsicGas.Base), keyU);
        await CliFailsAsync(-26, $"wrong-chain-id: transaction is for chain 1, this is chain {chain}", "l2_sendrawtransaction", Convert.ToHexStringLower(otherChain.ToBytes()));

        // Double finalization, and unknown ids.
        await CliFailsAsync(-26, $"already-done: withdrawal {paid.TxId} was already paid", "l2_finalizewithdrawal", paid.TxId);
        await CliFailsAsync(-5, $"no withdrawal {UnknownId} in the L2 state", "l2_finalizewithdrawal", UnknownId);
        await CliFailsAsync(-5, $"no withdrawal {UnknownId} in the L2 state", "l2_getwithdrawalstatus", UnknownId);
        await CliFailsAsync(-5, "no L1→L2 message 999", "l2_getmessage", "999");
        await CliFailsAsync(-5, $"no L2→L1 message {UnknownId} in the L2 state", "l2_getmessage", UnknownId);

        // The real proof of the paid withdrawal replayed under a tampered id: the bridge proves it against the anchored root and refuses.
        await ReplayFinalizationWithTamperedIdAsync(paid);

        // Amounts: a withdrawal over the per-transaction limit (refused on L2, never burned), deposits below the smallest amount.
        var limit = Amount.FromCas(10_000);
        await CliFailsAsync(-26, $"withdrawal-over-limit: withdrawal of 10000.00000001 CAS is above the limit of {limit} CAS", "-named", "l2_withdraw", "amount=10000.00000001", $"fromaddress={users.U}");
        await CliFailsAsync(-3, "Amount must be positive", "l2_deposit", chain, "0", users.U);
        await CliFailsAsync(-3, "Invalid amount '0.000000001'", "l2_deposit", chain, "0.000000001", users.U);

        // The encrypted mempool: this chain was deployed without one, and every way in says so.
        await CliFailsAsync(-5, $"chain {chain} was deployed without an encrypted mempool", "l2_getencryptionkey", chain);
        await CliFailsAsync(-5, $"chain {chain} has no encryption key of epoch 3", "l2_getencryptionkey", chain, "3");
        await CliFailsAsync(-5, $"chain {chain} was deployed without an encrypted mempool", "l2_sendencryptedtransaction", users.U, users.V, "1");
        await CliFailsAsync(-8, "encryption must be off, optional or required, not \"sometimes\"", "l2_deploy", "bad", "100", "30000000", "10", "sometimes");

        Assert.Equal(before, await BridgeSnapshotAsync());
        await AssertL2BalancesAsync();
        await AssertWalletAsync();
        await MineAsync(1);
        var next = await CliJsonAsync("getblock", await CliAsync("getbestblockhash"), "2");
        Assert.All(next.GetProperty("tx").EnumerateArray(), t => Assert.Equal("anchor", t.GetProperty("kind").GetString()));

        await MessagesRoundTripAsync(users);
    }

    /// <summary>What a refused call must leave alone: the bridge's locked total and queue, every L2 nonce of the model's accounts.</summary>
    private async Task<string> BridgeSnapshotAsync()
    {
        var info = await ChainInfoAsync();
        var nonces = new List<string>();
        foreach (var address in _l2.Keys.Order(StringComparer.Ordinal))
            nonces.Add($"{address}:{(await RpcAsync("l2_gettransactioncount", address, "pending")).GetUInt64()}");
        return $"locked {info.GetProperty("locked")} queue {info.GetProperty("l1messages")} withdrawn {info.GetProperty("withdrawntoday")} nonces {string.Join(',', nonces)}";
    }

    private async Task<PrivateKey> KeyOfAsync(string address)
    {
        Assert.True(Wif.TryDecode(await CliAsync("dumpprivkey", address), Network, out var bytes, out _));
        return PrivateKey.FromBytes(bytes) ?? throw new InvalidOperationException("the WIF holds no valid key");
    }

    private async Task ReplayFinalizationWithTamperedIdAsync(PaidWithdrawal paid)
    {
        var payload = Convert.FromHexString(paid.Finalization.GetProperty("payload").GetString()!);
        var real = Assert.IsType<FinalizeWithdrawalCall>(L1Call.Decode(L1TransactionKind.FinalizeWithdrawal, payload));
        Assert.Equal(paid.TxId, real.WithdrawalId.ToString());
        var id = real.WithdrawalId.ToArray();
        id[0] ^= 1;
        var tampered = real with { WithdrawalId = new Hash256(id) };
        using var key = await KeyOfAsync(paid.Recipient);
        // The recipient's next L1 nonce: its finalization was its only L1 transaction.
        var transaction = L1Transaction.Sign(tampered.Kind, paid.Finalization.GetProperty("nonce").GetUInt64() + 1, Rules.MinimumFee, tampered.ToBytes(), key, Network);
        await CliFailsAsync(-26, $"bad-proof: the proof does not show withdrawal {tampered.WithdrawalId} under anchor {Text(real.AnchorIndex)}'s state root",
            "sendrawtransaction", Convert.ToHexStringLower(transaction.ToBytes()));
        await CliFailsAsync(-22, "TX decode failed", "sendrawtransaction", Convert.ToHexStringLower(transaction.ToBytes()[..^1]));
    }

    /// <summary>l2_sendmessage both ways; l2_getmessage gives back the exact bytes (L1→L2 by queue number, as cascoin-cli sends a number).</summary>
    private async Task MessagesRoundTripAsync(Users users)
    {
        byte[] data = [0x00, 0xff, 0x10, 0x00, 0x7f, 0x80];
        var hex = Convert.ToHexStringLower(data);
        var sequence = (await ChainInfoAsync()).GetProperty("l1messages").GetUInt64();
        await CliAsync("l2_sendmessage", "l2", users.V, hex);
        await MineAsync(1);
        JsonElement toL2 = default;
        await WaitUntilAsync("the L1→L2 message is delivered", async () =>
            (toL2 = await CliJsonAsync("l2_getmessage", Text(sequence))).GetProperty("status").GetString() == "delivered");
        Assert.Equal(Text(sequence), toL2.GetProperty("id").GetString());
        Assert.Equal("l1-to-l2", toL2.GetProperty("direction").GetString());
        Assert.Equal(_sequencer, toL2.GetProperty("from").GetString());
        Assert.Equal(users.V, toL2.GetProperty("to").GetString());
        Assert.Equal(hex, toL2.GetProperty("data").GetString());
        Assert.Equal(CompactJson(toL2), CompactJson(await CliJsonAsync("l2_getmessage", $"\"{Text(sequence)}\"")));

        var toL1 = await CliAsync("l2_sendmessage", "l1", users.H, hex, users.U);
        await MinedAsync(toL1, users.U, Amount.Zero, null);
        var sent = await CliJsonAsync("l2_getmessage", toL1);
        Assert.Equal("l2-to-l1", sent.GetProperty("direction").GetString());
        Assert.Equal("pending", sent.GetProperty("status").GetString());
        Assert.Equal(users.U, sent.GetProperty("from").GetString());
        Assert.Equal(users.H, sent.GetProperty("to").GetString());
        Assert.Equal(hex, sent.GetProperty("data").GetString());
        await AssertL2BalancesAsync();
    }

    private static string CompactJson(JsonElement element) => JsonSerializer.Serialize(element);
}
