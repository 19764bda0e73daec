using System.Globalization;
using System.Net;
using Cascoin.L2.Node.Logging;
using Cascoin.L2.Primitives;
using Cascoin.L2.Primitives.Configuration;
using Cascoin.L2.Rpc.Http;

namespace Cascoin.L2.Node.Configuration;

/// <summary>The daemon's validated settings. Built once from the command line and configuration files.</summary>
public sealed record NodeSettings
{
    public required NetworkParameters Network { get; init; }
    public required string DataDirectory { get; init; }
    public required string NetworkDirectory { get; init; }
    public required bool L2Enabled { get; init; }
    public ulong? L2ChainId { get; init; }

    /// <summary>Null: the network's default block time.</summary>
    public long? L2BlockTimeMs { get; init; }

    /// <summary>-l2sync=l1: derive the deployed chain's blocks from the settlement chain's batches alone (no blocks from peers, no production).</summary>
    public bool L2SyncFromL1 { get; init; }

    /// <summary>-l2challenge: open fraud-proof games on anchors this node's execution disagrees with.</summary>
    public bool L2Challenge { get; init; }

    /// <summary>-l2faultyroot (regtest only): the L2 block this node executes wrongly.</summary>
    public ulong? L2FaultyRoot { get; init; }

    /// <summary>-l2equivocate (regtest only): propose a conflicting second block whenever this node leads.</summary>
    public bool L2Equivocate { get; init; }

    /// <summary>-l2withholdshares, -l2badshares and -l2earlyshares (regtest only): how this sequencer misbehaves with its decryption shares.</summary>
    public bool L2WithholdShares { get; init; }

    public bool L2BadShares { get; init; }

    public bool L2EarlyShares { get; init; }

    /// <summary>-l2leadertimeout: leader silence before failover on a deployed chain.</summary>
    public TimeSpan L2LeaderTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public string? L2GenesisPath { get; init; }
    public required int MaxMempoolTransactions { get; init; }
    public required int P2PPort { get; init; }

    /// <summary>Accept P2P connections on -port (default on).</summary>
    public bool Listen { get; init; } = true;
    public required int RpcPort { get; init; }
    public required IReadOnlyList<IPEndPoint> RpcEndpoints { get; init; }
    public required IReadOnlyList<string> RpcAllowIp { get; init; }
    public string? RpcUser { get; init; }
    public string? RpcPassword { get; init; }
    public required IReadOnlyList<string> Connect { get; init; }
    public required IReadOnlyList<string> AddNode { get; init; }
    public required bool PrintToConsole { get; init; }
    public required IReadOnlyList<string> DebugCategories { get; init; }
    public required long DbCacheMiB { get; init; }

    /// <summary>Things the operator asked for that this build cannot do yet; logged and shown in RPC warnings.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>The L2 chain's database: <c>db</c> for the development chain, <c>db-&lt;chainid&gt;</c> for a deployed one (one data directory can run several chains in turn).</summary>
    public string DatabaseDirectory => Path.Combine(NetworkDirectory, EffectiveL2ChainId == DevelopmentChain.ChainId ? "db" : $"db-{EffectiveL2ChainId}");

    /// <summary>The embedded settlement chain's database.</summary>
    public string L1DatabaseDirectory => Path.Combine(NetworkDirectory, "l1");

    /// <summary>Null: mine settlement blocks only on request (generate).</summary>
    public long? L1BlockTimeSeconds { get; init; }
    public string CookiePath => Path.Combine(NetworkDirectory, ".cookie");
    public string DebugLogPath => Path.Combine(NetworkDirectory, "debug.log");
    public string WalletPath => Path.Combine(NetworkDirectory, "wallet.keys");
    public string SequencerKeyPath => Path.Combine(NetworkDirectory, "sequencer.key");

    /// <summary>
    /// Whether this node runs an L2 chain now: on regtest as the single sequencer of the development
    /// chain (or of -l2chainid). Elsewhere a chain is found through the settlement layer, which this
    /// version does not have yet.
    /// </summary>
    public bool RunsL2Chain => L2Enabled && Network.Name == "regtest";

    /// <summary>Regtest carries its own settlement chain (SPEC §6, -l1=embedded).</summary>
    public bool RunsEmbeddedSettlement => Network.Name == "regtest";

    /// <summary>The chain id this node uses: -l2chainid, or on regtest the development chain's.</summary>
    public ulong EffectiveL2ChainId => L2ChainId ?? DevelopmentChain.ChainId;

    /// <summary>Checks every value; a <see cref="ConfigurationException"/> names the first bad one.</summary>
    public static NodeSettings From(LoadedSettings loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var s = loaded.Settings;
        var network = loaded.Network;
        var warnings = new List<string>();

        // An empty value means "not set" (bitcoind does the same), never an empty password.
        var user = NullIfEmpty(s.GetText("rpcuser"));
        var password = NullIfEmpty(s.GetText("rpcpassword"));
        if (user is not null && password is null || user is null && password is not null)
            throw new ConfigurationException("-rpcuser and -rpcpassword must be given together");
        if (user is not null && user.Contains(':', StringComparison.Ordinal))
            throw new ConfigurationException("-rpcuser must not contain ':'");

        var allowIp = s.GetList("rpcallowip");
        foreach (var entry in allowIp)
        {
            try
            {
                RpcAllowList.ParseSubnet(entry);
            }
            catch (FormatException ex)
            {
                throw new ConfigurationException(ex.Message);
            }
        }

        var rpcPort = (int)s.GetInteger("rpcport", network.DefaultRpcPort);
        var endpoints = new List<IPEndPoint>();
        var binds = s.GetList("rpcbind");
        if (binds.Count > 0 && allowIp.Count == 0)
            warnings.Add("-rpcbind was ignored because -rpcallowip was not given: RPC listens on loopback only");
        if (binds.Count > 0 && allowIp.Count > 0)
        {
            foreach (var bind in binds)
                endpoints.Add(ParseEndpoint(bind, rpcPort, "-rpcbind"));
        }
        else
        {
            endpoints.Add(new IPEndPoint(IPAddress.Loopback, rpcPort));
            if (System.Net.Sockets.Socket.OSSupportsIPv6)
                endpoints.Add(new IPEndPoint(IPAddress.IPv6Loopback, rpcPort));
        }

        var debug = s.GetList("debug");
        foreach (var category in debug)
        {
            if (!LogCategories.IsKnown(category))
                throw new ConfigurationException($"unsupported logging category -debug={category}; known: {string.Join(", ", LogCategories.Names)}");
        }

        var connect = s.GetList("connect");
        var addNode = s.GetList("addnode");
        foreach (var peer in connect.Concat(addNode))
            ParseEndpoint(peer, network.DefaultP2PPort, "-connect/-addnode");
        var l2Enabled = s.GetFlag("l2", true);
        if (l2Enabled && network.Name != "regtest")
            warnings.Add("this version runs an L2 chain on regtest only: following a chain on main or test needs the settlement layer");
        var equivocate = s.GetFlag("l2equivocate", false);
        ulong? faultyRoot = s.GetText("l2faultyroot") is null ? null : (ulong)s.GetInteger("l2faultyroot", 0);
        if (faultyRoot is not null && network.Name != "regtest")
            throw new ConfigurationException("-l2faultyroot is a regtest fault injection: it makes the node sign wrong state roots, which are slashed");
        if (equivocate && network.Name != "regtest")
            throw new ConfigurationException("-l2equivocate is a regtest fault injection: it makes the node double sign, which is slashed");
        var withhold = s.GetFlag("l2withholdshares", false);
        var badShares = s.GetFlag("l2badshares", false);
        var earlyShares = s.GetFlag("l2earlyshares", false);
        if ((withhold || badShares || earlyShares) && network.Name != "regtest")
            throw new ConfigurationException("-l2withholdshares, -l2badshares and -l2earlyshares are regtest fault injections: they make the node misbehave with its decryption shares");
        var sync = NullIfEmpty(s.GetText("l2sync")) ?? "p2p";
        if (sync is not ("p2p" or "l1"))
            throw new ConfigurationException($"-l2sync={sync}: expected p2p or l1");
        var chainId = ParseChainId(s.GetText("l2chainid"));
        if (sync == "l1" && (network.Name != "regtest" || chainId is null or DevelopmentChain.ChainId))
            throw new ConfigurationException("-l2sync=l1 derives a deployed chain from the embedded settlement chain: give -l2chainid=<a deployed chain> on regtest");
        var genesis = NullIfEmpty(s.GetText("l2genesis"));
        if (genesis is not null)
        {
            try
            {
                genesis = Path.GetFullPath(genesis, loaded.NetworkDirectory);
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException($"-l2genesis: not a path ({ex.Message})");
            }
            if (!File.Exists(genesis))
                throw new ConfigurationException($"-l2genesis={s.GetText("l2genesis")}: file not found ({genesis})");
        }

        return new NodeSettings
        {
            Network = network,
            DataDirectory = loaded.DataDirectory,
            NetworkDirectory = loaded.NetworkDirectory,
            L2Enabled = l2Enabled,
            L2ChainId = chainId,
            L2SyncFromL1 = sync == "l1",
            L2BlockTimeMs = s.GetText("l2blocktime") is null ? null : s.GetInteger("l2blocktime", 0),
            L2LeaderTimeout = TimeSpan.FromMilliseconds(s.GetInteger("l2leadertimeout", 2000)),
            L2Equivocate = equivocate,
            L2WithholdShares = withhold,
            L2BadShares = badShares,
            L2EarlyShares = earlyShares,
            L2FaultyRoot = faultyRoot,
            L2Challenge = s.GetFlag("l2challenge", false),
            L2GenesisPath = genesis,
            MaxMempoolTransactions = (int)s.GetInteger("maxmempooltx", 100_000),
            L1BlockTimeSeconds = s.GetText("l1blocktime") is null ? null : s.GetInteger("l1blocktime", 0),
            P2PPort = (int)s.GetInteger("port", network.DefaultP2PPort),
            Listen = s.GetFlag("listen", true),
            RpcPort = rpcPort,
            RpcEndpoints = endpoints,
            RpcAllowIp = allowIp,
            RpcUser = user,
            RpcPassword = password,
            Connect = connect,
            AddNode = addNode,
            PrintToConsole = s.GetFlag("printtoconsole", false),
            DebugCategories = debug,
            DbCacheMiB = s.GetInteger("dbcache", 256),
            Warnings = warnings,
        };
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static ulong? ParseChainId(string? text)
    {
        if (text is null)
            return null;
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value == 0)
            throw new ConfigurationException($"invalid -l2chainid={text}: expected a non-zero 64-bit number (decimal or 0x-hex)");
        return value;
    }

    /// <summary>"host", "host:port", "[v6]:port" with a default port; host must be an IP address here.</summary>
    public static IPEndPoint ParseEndpoint(string text, int defaultPort, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IPAddress.TryParse(text, out var bare) && !text.StartsWith('['))
            return new IPEndPoint(bare, defaultPort);
        if (IPEndPoint.TryParse(text, out var endpoint))
            return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, defaultPort) : endpoint;
        throw new ConfigurationException($"invalid {option} value '{text}': expected ip or ip:port");
    }
}
