using System.Net;
using System.Net.Sockets;
using Cascoin.L2.Node.Logging;

namespace Cascoin.L2.Node.Tests;

/// <summary>The daemon's options read from the command line and checked by NodeSettings.From.</summary>
public class NodeSettingsTests
{
    [Fact]
    public void Defaults_on_main()
    {
        using var cfg = new ConfigFixture("defaults");
        var settings = cfg.Node();
        Assert.Equal("main", settings.Network.Name);
        Assert.Equal(62457, settings.RpcPort);
        Assert.Equal(22222, settings.P2PPort);
        Assert.True(settings.L2Enabled);
        Assert.Null(settings.L2ChainId);
        Assert.Null(settings.RpcUser);
        Assert.Null(settings.RpcPassword);
        Assert.False(settings.PrintToConsole);
        Assert.Equal(256, settings.DbCacheMiB);
        Assert.Empty(settings.DebugCategories);
        // No L2 chain can run on main yet (no settlement layer): said once, not silently ignored.
        Assert.False(settings.RunsL2Chain);
        Assert.Contains(settings.Warnings, w => w.Contains("regtest only", StringComparison.Ordinal));
        Assert.Single(settings.Warnings);
        Assert.Equal(Path.GetFullPath(cfg.DataDirectory), settings.DataDirectory);
        Assert.Equal(Path.Combine(settings.DataDirectory, "main"), settings.NetworkDirectory);
        Assert.Equal(Path.Combine(settings.NetworkDirectory, "db"), settings.DatabaseDirectory);
        Assert.Equal(Path.Combine(settings.NetworkDirectory, ".cookie"), settings.CookiePath);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData(new string[0], "main", 62457, 22222)]
    [InlineData(new[] { "-chain=main" }, "main", 62457, 22222)]
    [InlineData(new[] { "-testnet" }, "test", 62455, 22223)]
    [InlineData(new[] { "-chain=test" }, "test", 62455, 22223)]
    [InlineData(new[] { "-regtest" }, "regtest", 19443, 22224)]
    [InlineData(new[] { "-chain=regtest" }, "regtest", 19443, 22224)]
    [InlineData(new[] { "-regtest", "-chain=regtest" }, "regtest", 19443, 22224)]
    [InlineData(new[] { "-regtest", "-testnet=0" }, "regtest", 19443, 22224)]
    public void Each_network_has_its_default_ports_and_directory(string[] args, string network, int rpcPort, int p2pPort)
    {
        using var cfg = new ConfigFixture("network-defaults");
        var settings = cfg.Node(args);
        Assert.Equal(network, settings.Network.Name);
        Assert.Equal(rpcPort, settings.RpcPort);
        Assert.Equal(p2pPort, settings.P2PPort);
        Assert.Equal(Path.Combine(settings.DataDirectory, network), settings.NetworkDirectory);
        Assert.All(settings.RpcEndpoints, e => Assert.Equal(rpcPort, e.Port));
        cfg.Succeeded();
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "-nol2" }, false)]
    [InlineData(new[] { "-nol2=1" }, false)]
    [InlineData(new[] { "-nol2=0" }, true)]
    [InlineData(new[] { "-l2" }, true)]
    [InlineData(new[] { "-l2=0" }, false)]
    [InlineData(new[] { "-l2=false" }, false)]
    [InlineData(new[] { "-l2=no" }, false)]
    [InlineData(new[] { "-l2=TRUE" }, true)]
    [InlineData(new[] { "-nol2", "-l2" }, true)]
    [InlineData(new[] { "-l2", "-nol2" }, false)]
    [InlineData(new[] { "--nol2" }, false)]
    public void The_l2_flag_and_its_negation(string[] args, bool enabled)
    {
        using var cfg = new ConfigFixture("l2-flag");
        Assert.Equal(enabled, cfg.Node(args).L2Enabled);
        cfg.Succeeded();
    }

    [Fact]
    public void A_negated_flag_in_the_file_works_like_on_the_command_line()
    {
        using var cfg = new ConfigFixture("l2-flag-file");
        cfg.WriteConf("nol2=1\nprinttoconsole=1\n");
        Assert.False(cfg.Node().L2Enabled);
        Assert.True(cfg.Node().PrintToConsole);
        Assert.True(cfg.Node("-l2").L2Enabled);
        Assert.False(cfg.Node("-noprinttoconsole").PrintToConsole);
        cfg.Succeeded();
    }

    [Fact]
    public void Double_dash_options_are_accepted_like_single_dash_ones()
    {
        using var cfg = new ConfigFixture("double-dash");
        Assert.Equal(1, cfg.Node("--rpcport=1").RpcPort);
        Assert.Equal(1, cfg.Node("-rpcport=1").RpcPort);
        Assert.Equal("regtest", cfg.Node("--regtest").Network.Name);
        Assert.Equal(["1.2.3.4"], cfg.Node("--addnode=1.2.3.4").AddNode);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("-help")]
    [InlineData("--help")]
    public void Help_spellings_request_help(string arg)
    {
        using var cfg = new ConfigFixture("help-flag");
        var loaded = cfg.Load(arg);
        Assert.True(loaded.HelpRequested);
        Assert.False(loaded.VersionRequested);
        Assert.True(cfg.Load("-version").VersionRequested);
        Assert.False(cfg.Load().HelpRequested);
        cfg.Succeeded();
    }

    [Fact]
    public void An_unknown_option_is_an_error_naming_it()
    {
        using var cfg = new ConfigFixture("unknown-option");
        Assert.Contains("-frobnicate", cfg.Rejects("-frobnicate=1"), StringComparison.Ordinal);
        Assert.Contains("-nofrobnicate", cfg.Rejects("-nofrobnicate"), StringComparison.Ordinal);
        // "no" negates flags only: -debug is a list option.
        Assert.Contains("-nodebug", cfg.Rejects("-nodebug"), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("-rpcport=abc", "rpcport")]
    [InlineData("-rpcport=1.5", "rpcport")]
    [InlineData("-rpcport=", "rpcport")]
    [InlineData("-rpcport", "rpcport")]
    [InlineData("-rpcport=99999999999999999999", "rpcport")]
    [InlineData("-rpcport=0", "rpcport")]
    [InlineData("-rpcport=65536", "rpcport")]
    [InlineData("-port=-1", "port")]
    [InlineData("-port=70000", "port")]
    [InlineData("-dbcache=3", "dbcache")]
    [InlineData("-dbcache=x", "dbcache")]
    [InlineData("-printtoconsole=maybe", "printtoconsole")]
    [InlineData("-l2=2", "l2")]
    [InlineData("-nol2=maybe", "l2")]
    [InlineData("-chain=foo", "chain")]
    [InlineData("-chain=Regtest", "chain")]
    [InlineData("-debug=foo", "foo")]
    [InlineData("-rpcallowip=10.0.0.0/33", "10.0.0.0/33")]
    [InlineData("-rpcallowip=notanip", "notanip")]
    [InlineData("-l2chainid=0", "l2chainid")]
    [InlineData("-l2chainid=0x0", "l2chainid")]
    [InlineData("-l2chainid=abc", "l2chainid")]
    [InlineData("-l2chainid=-1", "l2chainid")]
    [InlineData("-l2chainid=+5", "l2chainid")]
    [InlineData("-l2chainid=0x", "l2chainid")]
    [InlineData("-l2chainid=18446744073709551616", "l2chainid")]
    [InlineData("-l2chainid=0x10000000000000000", "l2chainid")]
    [InlineData("-l2chainid=", "l2chainid")]
    [InlineData("-connect=not-an-ip", "not-an-ip")]
    [InlineData("-addnode=1.2.3.4:99999", "1.2.3.4:99999")]
    [InlineData("-rpcuser", "rpcuser")]
    [InlineData("stray", "stray")]
    [InlineData("-", "-")]
    [InlineData("--", "unrecognized")]
    public void A_bad_value_is_a_configuration_error_mentioning_it(string arg, string mentioned)
    {
        using var cfg = new ConfigFixture("bad-value");
        Assert.Contains(mentioned, cfg.Rejects(arg), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("-regtest", "-testnet")]
    [InlineData("-regtest", "-chain=main")]
    [InlineData("-testnet", "-chain=regtest")]
    [InlineData("-regtest", "-testnet", "-chain=main")]
    public void Conflicting_network_choices_are_an_error(params string[] args)
    {
        using var cfg = new ConfigFixture("network-conflict");
        Assert.Contains("pick one network", cfg.Rejects(args), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Fact]
    public void A_network_conflict_between_the_file_and_the_command_line_is_an_error()
    {
        using var cfg = new ConfigFixture("network-conflict-file");
        cfg.WriteConf("testnet=1\n");
        Assert.Contains("pick one network", cfg.Rejects("-regtest"), StringComparison.Ordinal);
        Assert.Equal("regtest", cfg.Node("-regtest", "-testnet=0").Network.Name);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("-rpcuser=alice")]
    [InlineData("-rpcpassword=secret")]
    public void Rpcuser_and_rpcpassword_must_be_given_together(string arg)
    {
        using var cfg = new ConfigFixture("rpc-credentials");
        Assert.Contains("together", cfg.Rejects(arg), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Fact]
    public void Rpcuser_and_rpcpassword_are_kept_and_a_colon_in_the_user_is_refused()
    {
        using var cfg = new ConfigFixture("rpc-credentials-ok");
        var settings = cfg.Node("-rpcuser=alice", "-rpcpassword=p:w=d");
        Assert.Equal("alice", settings.RpcUser);
        Assert.Equal("p:w=d", settings.RpcPassword);
        Assert.Contains("':'", cfg.Rejects("-rpcuser=al:ice", "-rpcpassword=x"), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    /// <summary>
    /// An empty -rpcpassword (say, a blank line left in a template) must not turn on password authentication
    /// with an empty password: bitcoind then falls back to the cookie. Either a refusal or the cookie is fine.
    /// </summary>
    [Theory]
    [InlineData("-rpcuser=alice", "-rpcpassword=")]
    [InlineData("-rpcuser=", "-rpcpassword=")]
    public void An_empty_rpcpassword_never_means_an_empty_password(params string[] args)
    {
        using var cfg = new ConfigFixture("rpc-empty-password");
        var outcome = Record.Exception(() => cfg.Node(args));
        if (outcome is null)
            Assert.Null(cfg.Node(args).RpcPassword);
        else
            Assert.IsType<Cascoin.L2.Primitives.Configuration.ConfigurationException>(outcome);
        cfg.Succeeded();
    }

    /// <summary>
    /// '#' starts a comment, so "rpcpassword=abc#def" silently sets the password "abc": a shorter password than the
    /// operator wrote. bitcoind refuses such a line ("using # in rpcpassword can be ambiguous and should be avoided").
    /// </summary>
    [Fact]
    public void A_hash_sign_in_an_rpcpassword_line_is_refused_rather_than_silently_truncating_the_password()
    {
        using var cfg = new ConfigFixture("rpc-password-hash");
        cfg.WriteConf("rpcuser=alice\nrpcpassword=abc#def\n");
        var outcome = Record.Exception(() => cfg.Node());
        Assert.IsType<Cascoin.L2.Primitives.Configuration.ConfigurationException>(outcome);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("-l2chainid=0x10", 16UL)]
    [InlineData("-l2chainid=0X10", 16UL)]
    [InlineData("-l2chainid=16", 16UL)]
    [InlineData("-l2chainid=1", 1UL)]
    [InlineData("-l2chainid=0xffffffffffffffff", ulong.MaxValue)]
    [InlineData("-l2chainid=18446744073709551615", ulong.MaxValue)]
    [InlineData("-l2chainid=0x00000000000000000001", 1UL)]
    public void The_l2_chain_id_is_read_as_decimal_or_hex(string arg, ulong expected)
    {
        using var cfg = new ConfigFixture("l2chainid");
        Assert.Equal(expected, cfg.Node(arg).L2ChainId);
        cfg.Succeeded();
    }

    [Fact]
    public void List_options_accumulate_in_order()
    {
        using var cfg = new ConfigFixture("lists");
        var settings = cfg.Node("-addnode=1.2.3.4", "-addnode=[2001:db8::1]:9999", "-connect=5.6.7.8:1234", "-debug=rpc", "-debug=db");
        Assert.Equal(["1.2.3.4", "[2001:db8::1]:9999"], settings.AddNode);
        Assert.Equal(["5.6.7.8:1234"], settings.Connect);
        Assert.Equal(["rpc", "db"], settings.DebugCategories);
        // The P2P transport uses both lists, so neither draws an "ignored" warning any more.
        Assert.DoesNotContain(settings.Warnings, w => w.Contains("-addnode", StringComparison.Ordinal) || w.Contains("-connect", StringComparison.Ordinal));
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("-debug")]
    [InlineData("-debug=")]
    [InlineData("-debug=1")]
    public void A_bare_debug_means_every_category(string arg)
    {
        using var cfg = new ConfigFixture("debug-all");
        var categories = cfg.Node(arg).DebugCategories;
        Assert.Equal(["1"], categories);
        Assert.True(LogCategories.IsAll(categories[0]));
        cfg.Succeeded();
    }

    [Fact]
    public void Every_named_debug_category_is_accepted()
    {
        using var cfg = new ConfigFixture("debug-names");
        var args = LogCategories.Names.Select(n => "-debug=" + n).Concat(["-debug=all", "-debug=none", "-debug=0"]).ToArray();
        Assert.Equal(LogCategories.Names.Concat(["all", "none", "0"]), cfg.Node(args).DebugCategories);
        cfg.Succeeded();
    }

    [Fact]
    public void Rpcbind_without_rpcallowip_is_ignored_with_a_warning_and_RPC_listens_on_loopback()
    {
        using var cfg = new ConfigFixture("rpcbind-ignored");
        var settings = cfg.Node("-regtest", "-rpcbind=0.0.0.0", "-rpcbind=192.168.1.1:5555");

        Assert.Contains(settings.Warnings, w => w.Contains("-rpcbind was ignored", StringComparison.Ordinal));
        Assert.All(settings.RpcEndpoints, e => Assert.True(IPAddress.IsLoopback(e.Address)));
        Assert.All(settings.RpcEndpoints, e => Assert.Equal(19443, e.Port));
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 19443), settings.RpcEndpoints);
        Assert.Equal(Socket.OSSupportsIPv6, settings.RpcEndpoints.Contains(new IPEndPoint(IPAddress.IPv6Loopback, 19443)));
        cfg.Succeeded();
    }

    [Fact]
    public void Rpcbind_with_rpcallowip_binds_as_given_with_the_rpc_port_as_default()
    {
        using var cfg = new ConfigFixture("rpcbind");
        var settings = cfg.Node("-regtest", "-rpcport=4000", "-rpcallowip=10.0.0.0/8", "-rpcbind=0.0.0.0", "-rpcbind=[::]:5555", "-rpcbind=192.168.1.1:6666");

        Assert.Equal(
            [new IPEndPoint(IPAddress.Any, 4000), new IPEndPoint(IPAddress.IPv6Any, 5555), new IPEndPoint(IPAddress.Parse("192.168.1.1"), 6666)],
            settings.RpcEndpoints);
        Assert.Equal(["10.0.0.0/8"], settings.RpcAllowIp);
        Assert.DoesNotContain(settings.Warnings, w => w.Contains("rpcbind", StringComparison.Ordinal));
        cfg.Succeeded();
    }

    [Fact]
    public void Rpcallowip_alone_keeps_the_loopback_endpoints()
    {
        using var cfg = new ConfigFixture("rpcallowip-only");
        var settings = cfg.Node("-rpcallowip=192.168.0.0/255.255.0.0", "-rpcallowip=2001:db8::/32");
        Assert.All(settings.RpcEndpoints, e => Assert.True(IPAddress.IsLoopback(e.Address)));
        Assert.Equal(["192.168.0.0/255.255.0.0", "2001:db8::/32"], settings.RpcAllowIp);
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("1.2.3.4", "1.2.3.4", 777)]
    [InlineData("1.2.3.4:80", "1.2.3.4", 80)]
    [InlineData("::1", "::1", 777)]
    [InlineData("[::1]", "::1", 777)]
    [InlineData("[2001:db8::1]:8333", "2001:db8::1", 8333)]
    public void ParseEndpoint_reads_addresses_with_an_optional_port(string text, string address, int port)
    {
        var endpoint = Cascoin.L2.Node.Configuration.NodeSettings.ParseEndpoint(text, 777, "-test");
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Fact]
    public void A_data_directory_that_does_not_exist_is_an_error()
    {
        using var cfg = new ConfigFixture("datadir-missing");
        var missing = Path.Combine(cfg.DataDirectory, "nope");
        var message = cfg.Rejects($"-datadir={missing}");
        Assert.Contains(missing, message, StringComparison.Ordinal);
        Assert.Contains("does not exist", cfg.Rejects("-datadir="), StringComparison.Ordinal);
        cfg.Succeeded();
    }

    [Fact]
    public void A_relative_data_directory_is_made_absolute()
    {
        using var cfg = new ConfigFixture("datadir-relative");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, cfg.DataDirectory);
        var settings = cfg.Node($"-datadir={relative}");
        Assert.True(Path.IsPathRooted(settings.DataDirectory));
        Assert.Equal(Path.GetFullPath(cfg.DataDirectory), settings.DataDirectory);
        cfg.Succeeded();
    }
}
