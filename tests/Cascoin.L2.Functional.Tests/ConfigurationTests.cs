using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>Start-up configuration as an operator meets it: bad options refuse to start, files and flags combine.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("-nosuchoption")]
    [InlineData("-rpcport=notanumber")]
    [InlineData("-rpcport=70000")]
    [InlineData("-testnet")]
    [InlineData("-debug=nosuchcategory")]
    [InlineData("-rpcuser=alice")]
    [InlineData("stray-argument")]
    public async Task A_bad_option_is_a_clear_error_exit_code_1_and_nothing_is_started(string badOption)
    {
        using var dir = TestDirectory.Create("bad-option");
        var result = await ProgramRun.RunAsync(ProductPaths.Daemon, ["-regtest", $"-datadir={dir.Path}", badOption], TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "regtest")), "a refused start must not create the network directory");
        dir.Succeeded();
    }

    [Fact]
    public async Task Help_lists_the_options_and_exits_zero()
    {
        var result = await ProgramRun.RunAsync(ProductPaths.Daemon, ["-help"], TimeSpan.FromSeconds(60));
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "-datadir=<dir>", "-regtest", "-rpcport=<port>", "-rpcallowip=<ip>", "-nol2", "-l2chainid=<id>", "-printtoconsole", "-debug=<category>" })
            Assert.Contains(option.Replace("-nol2", "-l2", StringComparison.Ordinal), result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_config_file_network_section_applies_and_the_command_line_beats_it()
    {
        using var dir = TestDirectory.Create("conf");
        var filePort = FreePort.Get();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "cascoin.conf"),
            $"# test configuration\nregtest=1\nl2=1\n[regtest]\nrpcport={filePort}\nrpcuser=alice\nrpcpassword=secret\nnol2=1\n");
        await using var node = new TestNode(dir.Path, ["-l2=1"]);
        await node.StartAsync();

        // The node listens on the command-line port (TestNode passes -rpcport), not the file's.
        var wrongPassword = await node.CliAsync("-rpcuser=alice", "-rpcpassword=wrong", "uptime");
        Assert.Equal(1, wrongPassword.ExitCode);
        Assert.Contains("Incorrect rpcuser or rpcpassword", wrongPassword.Stderr, StringComparison.Ordinal);

        // The CLI reads rpcuser/rpcpassword from the same file.
        var info = await node.CliAsync("getblockchaininfo");
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("\"enabled\": true", info.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(node.NetworkDirectory, ".cookie")), "no cookie when a password is configured");

        Assert.Equal(0, (await node.CliAsync("stop")).ExitCode);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        dir.Succeeded();
    }

    [Fact]
    public async Task Cli_reads_extra_arguments_from_stdin_and_sends_named_arguments()
    {
        using var dir = TestDirectory.Create("cli-args");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();

        var fromStdin = await node.CliWithStdinAsync("getblockchaininfo\n", "-stdin", "help");
        Assert.Equal(0, fromStdin.ExitCode);
        Assert.StartsWith("getblockchaininfo", fromStdin.Stdout, StringComparison.Ordinal);

        var named = await node.CliAsync("-named", "help", "command=uptime");
        Assert.Equal(0, named.ExitCode);
        Assert.StartsWith("uptime", named.Stdout, StringComparison.Ordinal);

        var badNamed = await node.CliAsync("-named", "help", "uptime");
        Assert.Equal(1, badNamed.ExitCode);
        Assert.Contains("No '=' in named argument", badNamed.Stderr, StringComparison.Ordinal);
        dir.Succeeded();
    }

    [Fact]
    public async Task Cli_without_a_server_reports_it_cannot_connect()
    {
        using var dir = TestDirectory.Create("cli-noserver");
        Directory.CreateDirectory(Path.Combine(dir.Path, "regtest"));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "regtest", ".cookie"), "__cookie__:abc");
        var result = await ProgramRun.RunAsync(ProductPaths.Cli, ["-regtest", $"-datadir={dir.Path}", $"-rpcport={FreePort.Get()}", "uptime"], TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Could not connect to the server", result.Stderr, StringComparison.Ordinal);
        dir.Succeeded();
    }
}
