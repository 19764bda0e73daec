using System.Diagnostics;
using System.Text.Json;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>The real cascoind, driven by the real cascoin-cli and raw HTTP, from start to clean stop.</summary>
public sealed class DaemonLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cli_drives_the_daemon_and_stop_exits_zero_leaving_no_lock_or_cookie()
    {
        using var dir = TestDirectory.Create("lifecycle");
        output.WriteLine($"data directory: {dir}");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();

        var help = await node.CliAsync("help");
        Assert.Equal(0, help.ExitCode);
        foreach (var method in new[] { "getblockchaininfo", "getnetworkinfo", "uptime", "stop", "help ( command )" })
            Assert.Contains(method, help.Stdout, StringComparison.Ordinal);

        var helpOne = await node.CliAsync("help", "uptime");
        Assert.Equal(0, helpOne.ExitCode);
        Assert.StartsWith("uptime", helpOne.Stdout, StringComparison.Ordinal);

        var info = await node.CliAsync("getblockchaininfo");
        Assert.Equal(0, info.ExitCode);
        using (var json = JsonDocument.Parse(info.Stdout))
        {
            Assert.Equal("regtest", json.RootElement.GetProperty("chain").GetString());
            Assert.Equal(0, json.RootElement.GetProperty("blocks").GetInt64());
            Assert.True(json.RootElement.GetProperty("l2").GetProperty("enabled").GetBoolean());
            // The development chain: its height grows with heartbeat blocks, so only its identity is fixed.
            Assert.Equal(1UL, json.RootElement.GetProperty("l2").GetProperty("chainid").GetUInt64());
            Assert.True(json.RootElement.GetProperty("l2").GetProperty("blocks").GetInt64() >= 0);
        }

        var uptime = await node.CliAsync("uptime");
        Assert.Equal(0, uptime.ExitCode);
        Assert.True(long.Parse(uptime.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture) >= 0);

        // The same method by its mixed-case name, and the l2 prefix flag reaching an unknown method.
        Assert.Equal(0, (await node.CliAsync("getBlockchainInfo")).ExitCode);
        var l2 = await node.CliAsync("--l2", "blocknumber");
        Assert.Equal(0, l2.ExitCode);
        var unknown = await node.CliAsync("--l2", "nosuchmethod");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("error code: -32601", unknown.Stderr, StringComparison.Ordinal);

        var stop = await node.CliAsync("stop");
        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("cascoind stopping", stop.Stdout.Trim());
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(Path.Combine(node.NetworkDirectory, ".lock")), "lock file left behind");
        Assert.False(File.Exists(Path.Combine(node.NetworkDirectory, ".cookie")), "cookie left behind");
        Assert.Contains("Closed database", node.ReadLog(), StringComparison.Ordinal);
        dir.Succeeded();
    }

    [Fact]
    public async Task Http_edge_answers_bad_auth_bad_json_and_bad_calls_with_the_right_codes()
    {
        using var dir = TestDirectory.Create("http-edge");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        var cookie = node.Cookie;

        var (noAuth, _) = await node.PostAsync("""{"method":"uptime","id":1}""", credentials: null);
        Assert.Equal(401, noAuth);

        var watch = Stopwatch.StartNew();
        var (wrongAuth, _) = await node.PostAsync("""{"method":"uptime","id":1}""", "__cookie__:wrong");
        Assert.Equal(401, wrongAuth);
        Assert.True(watch.ElapsedMilliseconds >= 200, $"wrong password answered after {watch.ElapsedMilliseconds} ms, expected a delay");

        var (parseStatus, parseBody) = await node.PostAsync("{\"method\": \"uptime\", ", cookie);
        Assert.Equal(500, parseStatus);
        Assert.Equal(-32700, ErrorCode(parseBody));

        var (notFoundStatus, notFoundBody) = await node.PostAsync("""{"method":"nosuchmethod","id":7}""", cookie);
        Assert.Equal(404, notFoundStatus);
        Assert.Equal(-32601, ErrorCode(notFoundBody));

        var (typeStatus, typeBody) = await node.PostAsync("""{"method":"help","params":[42],"id":1}""", cookie);
        Assert.Equal(500, typeStatus);
        Assert.Equal(-32602, ErrorCode(typeBody));

        var (invalidStatus, invalidBody) = await node.PostAsync("""{"params":[],"id":1}""", cookie);
        Assert.Equal(400, invalidStatus);
        Assert.Equal(-32600, ErrorCode(invalidBody));

        // JSON-RPC 2.0: errors travel with HTTP 200; a batch answers in order; a notification gets nothing.
        var (batchStatus, batchBody) = await node.PostAsync(
            """[{"jsonrpc":"2.0","method":"uptime","id":"a"},{"jsonrpc":"2.0","method":"nope","id":"b"},{"jsonrpc":"2.0","method":"uptime"}]""", cookie);
        Assert.Equal(200, batchStatus);
        using (var batch = JsonDocument.Parse(batchBody))
        {
            Assert.Equal(2, batch.RootElement.GetArrayLength());
            Assert.Equal("a", batch.RootElement[0].GetProperty("id").GetString());
            Assert.True(batch.RootElement[0].GetProperty("result").GetInt64() >= 0);
            Assert.Equal(-32601, batch.RootElement[1].GetProperty("error").GetProperty("code").GetInt32());
        }

        var named = await node.RpcWithParamsAsync("help", new Dictionary<string, object?> { ["command"] = "stop" });
        Assert.Equal(JsonValueKind.Null, named.GetProperty("error").ValueKind);
        Assert.StartsWith("stop", named.GetProperty("result").GetString(), StringComparison.Ordinal);

        var oversized = "{\"method\":\"help\",\"params\":[\"" + new string('x', 33 * 1024 * 1024) + "\"],\"id\":1}";
        var (tooLarge, _) = await node.PostAsync(oversized, cookie, expectContinue: true);
        Assert.Equal(413, tooLarge);

        // After all of that the node still answers.
        Assert.Equal(0, (await node.CliAsync("uptime")).ExitCode);
        Assert.False(node.Process.HasExited);
        dir.Succeeded();
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_data_directory_fails_with_a_clear_message_and_the_first_keeps_running()
    {
        using var dir = TestDirectory.Create("second-daemon");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();

        var second = await ProgramRun.RunAsync(ProductPaths.Daemon,
            ["-regtest", $"-datadir={dir.Path}", $"-rpcport={FreePort.Get()}", $"-port={FreePort.Get()}"], TimeSpan.FromSeconds(60));
        output.WriteLine(second.ToString());
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("Cannot obtain a lock on data directory", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("already running", second.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await node.CliAsync("uptime")).ExitCode);
        Assert.False(node.Process.HasExited);
        dir.Succeeded();
    }

    [Theory]
    [InlineData(15)]
    [InlineData(2)]
    public async Task A_termination_signal_shuts_down_cleanly_with_exit_code_zero(int signal)
    {
        using var dir = TestDirectory.Create("signal");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        node.Process.Signal(signal);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(File.Exists(Path.Combine(node.NetworkDirectory, ".lock")));
        Assert.Contains("Closed database", node.ReadLog(), StringComparison.Ordinal);
        dir.Succeeded();
    }

    private static int ErrorCode(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("error").GetProperty("code").GetInt32();
    }
}
