using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// The L2 chain of a real <c>cascoind -regtest</c> (its only sequencer), driven with the real
/// <c>cascoin-cli</c>; bulk submissions and bulk reads go through JSON-RPC batches over raw HTTP.
/// Transactions are signed in the test process, so the node is checked against values it did not
/// compute. Scenarios: L2ChainTests.Story.cs (transfers, exact balances, blocks, proofs, restart)
/// and L2ChainTests.BadTransactions.cs (every refusal with its code and reason).
/// </summary>
public sealed partial class L2ChainTests(ITestOutputHelper output)
{
    private const ulong ChainId = 1;

    /// <summary>Far above any regtest base fee (10 at genesis, falling while blocks are under half full).</summary>
    private const ulong MaxFee = 20;

    private const ulong TransferGas = IntrinsicGas.Base;

    private static readonly Amount GenesisBalance = Amount.FromCas(1_000_000);

    private static readonly NetworkParameters Network = NetworkParameters.Regtest;

    private static readonly TimeSpan MiningTimeout = TimeSpan.FromSeconds(30);

    // ---- cascoin-cli ----

    private static Task<string> CliAsync(TestNode node, params string[] arguments) => CliCalls.OkAsync(node, arguments);

    private static Task<JsonElement> CliJsonAsync(TestNode node, params string[] arguments) => CliCalls.JsonAsync(node, arguments);

    private static async Task<Amount> CliBalanceAsync(TestNode node, string address, params string[] block) =>
        Amount.Parse(await CliAsync(node, ["l2_getbalance", address, .. block]));

    private static async Task<ulong> CliNonceAsync(TestNode node, string address, params string[] block) =>
        ulong.Parse(await CliAsync(node, ["l2_gettransactioncount", address, .. block]), CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs cascoin-cli expecting an RPC error: nothing on stdout; on stderr bitcoin-cli's
    /// "error code: N / error message: ..." with the message starting with <paramref name="messageStart"/>;
    /// the exit code is bitcoin-cli's, |N| (mod 256, as the OS keeps 8 bits). Returns the message.
    /// </summary>
    private async Task<string> CliFailsAsync(TestNode node, int code, string messageStart, params string[] arguments)
    {
        var result = await node.CliAsync(arguments);
        return AssertCliError(result, code, messageStart, arguments.FirstOrDefault() ?? "");
    }

    private string AssertCliError(ProgramResult result, int code, string messageStart, string what)
    {
        output.WriteLine($"{what} → {result.Stderr.ReplaceLineEndings(" ").Trim()}");
        var message = CliCalls.ErrorMessage(result, code, what);
        Assert.True(message.StartsWith(messageStart, StringComparison.Ordinal), $"{what}: expected a message starting \"{messageStart}\", got \"{message}\"");
        return message;
    }

    // ---- raw JSON-RPC batches ----

    /// <summary>One JSON-RPC 2.0 batch over HTTP; the replies in call order (each has "result" or "error").</summary>
    private static async Task<JsonElement[]> BatchAsync(TestNode node, List<(string Method, object?[] Params)> calls)
    {
        var body = JsonSerializer.Serialize(calls.Select((call, i) => new { jsonrpc = "2.0", id = i, method = call.Method, @params = call.Params }));
        var (status, reply) = await node.PostAsync(body, node.Cookie);
        Assert.True(status == 200, $"batch answered HTTP {status}: {reply[..Math.Min(reply.Length, 500)]}");
        using var document = JsonDocument.Parse(reply);
        var replies = new JsonElement[calls.Count];
        Assert.Equal(calls.Count, document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
            replies[item.GetProperty("id").GetInt32()] = item.Clone();
        return replies;
    }

    /// <summary>The results of a batch whose calls must all succeed.</summary>
    private static async Task<JsonElement[]> BatchResultsAsync(TestNode node, List<(string Method, object?[] Params)> calls)
    {
        var replies = await BatchAsync(node, calls);
        for (var i = 0; i < replies.Length; i++)
        {
            Assert.False(replies[i].TryGetProperty("error", out var error), $"{calls[i].Method} #{i} failed: {error}");
            Assert.True(replies[i].TryGetProperty("result", out _), $"{calls[i].Method} #{i}: no result");
        }
        return [.. replies.Select(r => r.GetProperty("result"))];
    }

    /// <summary>Polls (raw HTTP, every 50 ms) until every transaction has a receipt; returns the receipts in order.</summary>
    private static async Task<JsonElement[]> WaitForReceiptsAsync(TestNode node, Hash256[] ids)
    {
        var calls = ids.Select(id => ("l2_gettransactionreceipt", new object?[] { id.ToString() })).ToList();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var receipts = await BatchResultsAsync(node, calls);
            var missing = receipts.Count(r => r.ValueKind == JsonValueKind.Null);
            if (missing == 0)
                return receipts;
            Assert.True(watch.Elapsed < MiningTimeout, $"{missing} of {ids.Length} transactions still not mined after {MiningTimeout.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls (raw HTTP) until each address has sent exactly its expected number of transactions.</summary>
    private static async Task WaitForNoncesAsync(TestNode node, params (string Address, ulong Nonce)[] expected)
    {
        var calls = expected.Select(e => ("l2_gettransactioncount", new object?[] { e.Address })).ToList();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var nonces = (await BatchResultsAsync(node, calls)).Select(n => n.GetUInt64()).ToList();
            for (var i = 0; i < nonces.Count; i++)
                Assert.True(nonces[i] <= expected[i].Nonce, $"{expected[i].Address} has nonce {nonces[i]}, more than the {expected[i].Nonce} sent");
            if (nonces.Select((n, i) => n == expected[i].Nonce).All(done => done))
                return;
            Assert.True(watch.Elapsed < MiningTimeout,
                $"not all mined after {MiningTimeout.TotalSeconds} s: {string.Join(", ", nonces.Select((n, i) => $"{expected[i].Address} {n}/{expected[i].Nonce}"))}");
            await Task.Delay(50);
        }
    }

    // ---- keys and transactions, made in the test process ----

    private static PrivateKey KeyFromWif(string wif)
    {
        Assert.True(Wif.TryDecode(wif, Network, out var bytes, out var compressed), $"not a regtest WIF: {wif}");
        Assert.True(compressed);
        return PrivateKey.FromBytes(bytes) ?? throw new InvalidOperationException("the WIF holds no valid key");
    }

    private static Address AddressOf(PrivateKey key) => Address.FromPublicKey(key.PublicKey.AsSpan());

    private static Address ParseAddress(string text) => Address.Parse(text, Network);

    private static Transaction Sign(PrivateKey key, ulong nonce, Address to, Amount value, ulong maxFee = MaxFee, ulong priority = 1,
        ulong chainId = ChainId, TransactionType type = TransactionType.Transfer, ulong gas = TransferGas) =>
        Transaction.Sign(Transaction.CreateUnsigned(type, chainId, nonce, to, value, maxFee, priority, gas), key);

    private static string Hex(Transaction transaction) => Convert.ToHexStringLower(transaction.ToBytes());

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static Amount AmountOf(JsonElement element) => Amount.Parse(element.GetRawText());

    /// <summary>SPEC §2's base fee rule, written out independently of the product: toward half-full blocks by at most 1/8, never below 1.</summary>
    private static ulong ExpectedNextBaseFee(ulong baseFee, ulong gasUsed, ulong gasLimit)
    {
        var target = gasLimit / 2;
        ulong next;
        if (gasUsed == target)
            next = baseFee;
        else if (gasUsed > target)
            next = baseFee + Math.Max(1, baseFee * (gasUsed - target) / target / 8);
        else
            next = baseFee - baseFee * (target - gasUsed) / target / 8;
        return Math.Max(next, 1);
    }
}
