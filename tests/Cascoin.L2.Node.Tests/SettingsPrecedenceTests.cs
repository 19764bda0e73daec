using Cascoin.L2.Primitives.Configuration;

namespace Cascoin.L2.Node.Tests;

/// <summary>Where a value comes from: command line, then the network's section or file, then the file's top level.</summary>
public class SettingsPrecedenceTests
{
    [Fact]
    public void The_command_line_beats_the_network_section_which_beats_the_top_level()
    {
        using var cfg = new ConfigFixture("precedence");
        cfg.WriteConf("rpcport=1000\nport=1001\ndbcache=100\n[regtest]\nrpcport=2000\nport=2001\n");

        var fromCommandLine = cfg.Node("-regtest", "-rpcport=3000");
        Assert.Equal(3000, fromCommandLine.RpcPort);
        Assert.Equal(2001, fromCommandLine.P2PPort);
        Assert.Equal(100, fromCommandLine.DbCacheMiB);

        var fromSection = cfg.Node("-regtest");
        Assert.Equal(2000, fromSection.RpcPort);

        // On another network the [regtest] section does not apply: the top level does.
        var onMain = cfg.Node();
        Assert.Equal(1000, onMain.RpcPort);
        Assert.Equal(1001, onMain.P2PPort);
        cfg.Succeeded();
    }

    [Fact]
    public void A_network_section_applies_only_to_its_own_network()
    {
        using var cfg = new ConfigFixture("sections");
        cfg.WriteConf("[main]\nrpcport=1111\n[test]\nrpcport=2222\n[regtest]\nrpcport=3333\n");
        Assert.Equal(1111, cfg.Node().RpcPort);
        Assert.Equal(2222, cfg.Node("-testnet").RpcPort);
        Assert.Equal(2222, cfg.Node("-chain=test").RpcPort);
        Assert.Equal(3333, cfg.Node("-chain=regtest").RpcPort);
        cfg.Succeeded();
    }

    [Fact]
    public void A_list_option_is_taken_whole_from_the_highest_layer_that_sets_it()
    {
        using var cfg = new ConfigFixture("list-layers");
        cfg.WriteConf("addnode=1.1.1.1\naddnode=1.1.1.2\n[regtest]\naddnode=2.2.2.2\n");

        Assert.Equal(["2.2.2.2"], cfg.Node("-regtest").AddNode);
        Assert.Equal(["1.1.1.1", "1.1.1.2"], cfg.Node().AddNode);
        Assert.Equal(["3.3.3.3", "3.3.3.4"], cfg.Node("-regtest", "-addnode=3.3.3.3", "-addnode=3.3.3.4").AddNode);
        cfg.Succeeded();
    }

    [Fact]
    public void The_network_can_be_chosen_in_the_file_and_overridden_on_the_command_line()
    {
        using var cfg = new ConfigFixture("network-in-file");
        cfg.WriteConf("regtest=1\n");
        Assert.Equal("regtest", cfg.Node().Network.Name);
        Assert.Equal("main", cfg.Node("-regtest=0").Network.Name);
        Assert.Equal("main", cfg.Node("-noregtest").Network.Name);
        cfg.Succeeded();
    }

    [Fact]
    public void The_root_file_and_the_network_folders_file_are_both_read_and_the_network_file_beats_the_top_level()
    {
        using var cfg = new ConfigFixture("two-files");
        var root = cfg.WriteConf("rpcport=1000\nport=1001\ndbcache=64\n[regtest]\nprinttoconsole=1\n");
        var own = cfg.WriteConf("rpcport=5000\n", "regtest");

        var loaded = cfg.Load("-regtest");
        Assert.Equal([root, own], loaded.ConfigFilesRead);

        var settings = Cascoin.L2.Node.Configuration.NodeSettings.From(loaded);
        Assert.Equal(5000, settings.RpcPort);
        Assert.Equal(1001, settings.P2PPort);
        Assert.Equal(64, settings.DbCacheMiB);
        Assert.True(settings.PrintToConsole);

        // The command line still beats the network's own file.
        Assert.Equal(6000, cfg.Node("-regtest", "-rpcport=6000").RpcPort);

        // Another network does not read the regtest folder's file.
        var main = cfg.Load();
        Assert.Equal([root], main.ConfigFilesRead);
        cfg.Succeeded();
    }

    [Fact]
    public void The_network_folders_file_alone_is_read_when_there_is_no_root_file()
    {
        using var cfg = new ConfigFixture("own-file-only");
        var own = cfg.WriteConf("rpcport=5000\naddnode=9.9.9.9\n", "regtest");
        var loaded = cfg.Load("-regtest");
        Assert.Equal([own], loaded.ConfigFilesRead);
        Assert.Equal(5000, Cascoin.L2.Node.Configuration.NodeSettings.From(loaded).RpcPort);
        Assert.Empty(cfg.Load().ConfigFilesRead);
        cfg.Succeeded();
    }

    [Fact]
    public void A_section_header_inside_the_network_folders_file_is_an_error()
    {
        using var cfg = new ConfigFixture("own-file-section");
        var own = cfg.WriteConf("rpcport=5000\n[regtest]\nport=5001\n", "regtest");
        var message = cfg.Rejects("-regtest");
        Assert.Contains(own + ":2", message, StringComparison.Ordinal);
        Assert.Contains("sections are not allowed", message, StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Fact]
    public void An_explicit_conf_file_is_read_relative_to_the_data_directory_and_must_exist()
    {
        using var cfg = new ConfigFixture("explicit-conf");
        File.WriteAllText(Path.Combine(cfg.DataDirectory, "other.conf"), "rpcport=4242\n");
        cfg.WriteConf("rpcport=1\n");

        Assert.Equal(4242, cfg.Node("-conf=other.conf").RpcPort);
        Assert.Contains("missing.conf", cfg.Rejects("-conf=missing.conf"), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Fact]
    public void Comments_blank_lines_whitespace_and_CRLF_line_ends_are_ignored()
    {
        using var cfg = new ConfigFixture("comments");
        cfg.WriteConf("# a comment line\r\n\r\n   \r\n\trpcport = 1234   # trailing comment\r\n#port=1\r\n  [regtest]  \r\n port=4321\r\n");
        var settings = cfg.Node("-regtest");
        Assert.Equal(1234, settings.RpcPort);
        Assert.Equal(4321, settings.P2PPort);
        Assert.Equal(1234, cfg.Node().RpcPort);
        Assert.Equal(22222, cfg.Node().P2PPort);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("rpcport\n", ":1")]
    [InlineData("rpcport=1\n=5\n", ":2")]
    [InlineData("[regtest\n", ":1")]
    [InlineData("[]\n", ":1")]
    [InlineData("frobnicate=1\n", "frobnicate")]
    [InlineData("rpcport=abc\n", "rpcport")]
    [InlineData("printtoconsole=maybe\n", "printtoconsole")]
    [InlineData("[test]\nnosuchoption=1\n", "nosuchoption")]
    public void A_malformed_strict_conf_file_is_an_error_saying_where(string text, string mentioned)
    {
        using var cfg = new ConfigFixture("bad-conf");
        var path = cfg.WriteConf(text);
        var message = cfg.Rejects();
        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains(mentioned, message, StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Fact]
    public void Non_strict_loading_like_the_CLI_ignores_unknown_names_in_files_but_not_on_the_command_line()
    {
        using var cfg = new ConfigFixture("non-strict");
        cfg.WriteConf("frobnicate=1\nnofrobnicate=1\nrpcport=7777\n[regtest]\nwhatever=2\ndebug=rpc\n");
        var cliSpecs = new[] { OptionSpec.Port("rpcport", "RPC port") };

        var loaded = LoadedSettings.Load([$"-datadir={cfg.DataDirectory}", "-regtest", "getinfo", "-x", "2"], cliSpecs, allowPositional: true, strictFiles: false);
        Assert.Equal(7777, loaded.Settings.GetInteger("rpcport", 0));
        Assert.Equal(["getinfo", "-x", "2"], loaded.Settings.Positional);
        Assert.Equal("regtest", loaded.Network.Name);

        Assert.Throws<ConfigurationException>(() =>
            LoadedSettings.Load([$"-datadir={cfg.DataDirectory}", "-frobnicate"], cliSpecs, allowPositional: true, strictFiles: false));

        // The daemon reads the same file strictly.
        Assert.Contains("frobnicate", cfg.Rejects(), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Fact]
    public void Non_strict_loading_still_checks_the_values_of_known_options()
    {
        using var cfg = new ConfigFixture("non-strict-values");
        cfg.WriteConf("rpcport=70000\n");
        Assert.Throws<ConfigurationException>(() =>
            LoadedSettings.Load([$"-datadir={cfg.DataDirectory}"], [OptionSpec.Port("rpcport", "RPC port")], allowPositional: true, strictFiles: false));
        cfg.Succeeded();
    }
}
