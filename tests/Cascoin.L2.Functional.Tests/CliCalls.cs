using System.Globalization;
using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// cascoin-cli calls with the checks every functional test makes: a success is exit code 0 with an
/// empty stderr; an RPC error is bitcoin-cli's "error code: N / error message: ..." on stderr, nothing
/// on stdout and the exit code |N| (mod 256, as the OS keeps 8 bits).
/// </summary>
internal static class CliCalls
{
    /// <summary>Runs cascoin-cli, requires success; returns stdout without the final newline.</summary>
    public static async Task<string> OkAsync(TestNode node, params string[] arguments)
    {
        var result = await node.CliAsync(arguments);
        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, $"cascoin-cli {string.Join(' ', arguments)}: {result}");
        return result.Stdout.TrimEnd('\n');
    }

    public static async Task<JsonElement> JsonAsync(TestNode node, params string[] arguments)
    {
        using var document = JsonDocument.Parse(await OkAsync(node, arguments));
        return document.RootElement.Clone();
    }

    /// <summary>Waits for <paramref name="txid"/>'s receipt on <paramref name="node"/> (cascoin-cli prints nothing while it is null, as bitcoin-cli does).</summary>
    public static async Task<JsonElement> ReceiptAsync(TestNode node, string txid, string what)
    {
        var text = await TestWait.UntilAsync(() => OkAsync(node, "l2_gettransactionreceipt", txid), t => t.Length > 0, what);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Waits until <paramref name="node"/> holds <paramref name="txid"/> (in its mempool or chain) and
    /// returns it: "No such mempool or blockchain transaction" (-5) means "not relayed yet" while
    /// gossip runs; any other failure fails at once.
    /// </summary>
    public static async Task<JsonElement> TransactionAsync(TestNode node, string txid, string what)
    {
        var result = await TestWait.UntilAsync(() => node.CliAsync("l2_gettransaction", txid), r => r.ExitCode != 5, what);
        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0, $"cascoin-cli l2_gettransaction {txid}: {result}");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Checks that <paramref name="result"/> is the RPC error <paramref name="code"/> and returns its message.</summary>
    public static string ErrorMessage(ProgramResult result, int code, string what)
    {
        Assert.True(result.ExitCode == Math.Abs(code) % 256, $"{what}: expected exit code {Math.Abs(code) % 256}: {result}");
        Assert.Equal("", result.Stdout);
        var header = $"error code: {code.ToString(CultureInfo.InvariantCulture)}\nerror message:\n";
        Assert.True(result.Stderr.StartsWith(header, StringComparison.Ordinal), $"{what}: expected \"{header}\": {result}");
        return result.Stderr[header.Length..].TrimEnd('\n');
    }
}
