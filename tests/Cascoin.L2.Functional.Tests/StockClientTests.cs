using System.Diagnostics;
using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// A stock litecoin-cli (Debian's litecoind package, installed by contrib/install-deps.sh) speaks
/// to cascoind with the same port and cookie: the wire protocol is bitcoind's.
/// </summary>
public sealed class StockClientTests
{
    private const string LitecoinCli = "/usr/bin/litecoin-cli";

    [SkippableFact]
    public async Task Litecoin_cli_reads_the_cookie_calls_methods_and_stops_the_node()
    {
        Skip.IfNot(File.Exists(LitecoinCli), "litecoin-cli is not installed (run contrib/install-deps.sh as root to install Debian's litecoind)");
        using var dir = TestDirectory.Create("litecoin-cli");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        string[] common = ["-regtest", $"-datadir={dir.Path}", $"-rpcport={node.RpcPort}"];

        var info = await RunAsync([.. common, "getblockchaininfo"]);
        Assert.Equal(0, info.ExitCode);
        using (var json = JsonDocument.Parse(info.Stdout))
            Assert.Equal("regtest", json.RootElement.GetProperty("chain").GetString());

        var missing = await RunAsync([.. common, "nosuchmethod"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("-32601", missing.Stderr, StringComparison.Ordinal);

        var named = await RunAsync([.. common, "-named", "help", "command=uptime"]);
        Assert.Equal(0, named.ExitCode);
        Assert.StartsWith("uptime", named.Stdout, StringComparison.Ordinal);

        var stop = await RunAsync([.. common, "stop"]);
        Assert.Equal(0, stop.ExitCode);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        dir.Succeeded();
    }

    private static async Task<ProgramResult> RunAsync(string[] arguments)
    {
        var info = new ProcessStartInfo(LitecoinCli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new ProgramResult(process.ExitCode, await stdout, await stderr);
    }
}
