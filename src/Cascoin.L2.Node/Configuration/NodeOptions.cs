using Cascoin.L2.Node.Logging;
using Cascoin.L2.Primitives.Configuration;

namespace Cascoin.L2.Node.Configuration;

/// <summary>Every option cascoind accepts (besides <see cref="CommonOptions"/>), with its -help text.</summary>
public static class NodeOptions
{
    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        OptionSpec.Flag("printtoconsole", "Send trace/debug info to console (default: 0; debug.log is always written)"),
        OptionSpec.Integer("dbcache", "n", "Maximum database cache size <n> MiB (default: 256)", 4, 1 << 20),
        OptionSpec.List("debug", "category", "Output debug logging for <category> (default: none). -debug or -debug=1 logs every category. Categories: " + string.Join(", ", LogCategories.Names), "Debugging/Testing options") with { ImplicitValue = "1" },
        OptionSpec.Flag("l2", "Run the layer-2 node (default: 1; -nol2 runs the settlement side only)", "Layer 2 options"),
        OptionSpec.Text("l2chainid", "id", "Follow the L2 chain with this 64-bit chain id (decimal or 0x-hex; regtest default: 1, the development chain)", "Layer 2 options"),
        OptionSpec.Integer("l2leadertimeout", "ms", "A deployed chain's next sequencer claims the height after the leader is silent this long (default: 2000)", 200, 600_000, "Layer 2 options"),
        OptionSpec.Integer("l2blocktime", "ms", "Produce an L2 block every <ms> milliseconds when transactions wait (default: 500, regtest: 100)", 10, 60_000, "Layer 2 options"),
        OptionSpec.Text("l2genesis", "file", "Create the L2 genesis state from this JSON file: {\"timestamp\": ms, \"alloc\": {\"<address>\": {\"balance\": CAS, \"hatscore\": 0..100}}} (regtest default: the development account of README.md)", "Layer 2 options"),
        OptionSpec.Text("l2sync", "p2p|l1", "How a deployed chain's blocks reach this node: p2p (default) from the sequencers and peers, derived from L1 when peers withhold anchored blocks; l1 derived from the batches on the settlement chain alone, re-executed and checked against every anchored root (blocks from peers are ignored)", "Layer 2 options"),
        OptionSpec.Flag("l2challenge", "Open fraud-proof games on anchors whose state roots this node's own execution does not reach, bonding the chain's challenge bond from the sequencer key (default: 0; every node checks anchors and its signers' games are defended either way)", "Layer 2 options"),
        OptionSpec.Integer("l2faultyroot", "height", "Regtest fault injection: execute L2 block <height> wrongly (its fee split mints 1 CAS to the producer) and sign the wrong roots from there on, as a dishonest majority would (to exercise fraud proofs; default: off)", 1, long.MaxValue, "Debugging/Testing options"),
        OptionSpec.Flag("l2equivocate", "Regtest fault injection: when this node leads, it also proposes a second, conflicting block at each height, as a Byzantine sequencer would (to exercise double-sign detection and slashing; default: 0)", "Debugging/Testing options"),
        OptionSpec.Flag("l2withholdshares", "Regtest fault injection: make no decryption shares of the encrypted mempool's envelopes, as a sequencer that withholds them would (default: 0)", "Debugging/Testing options"),
        OptionSpec.Flag("l2earlyshares", "Regtest fault injection: release decryption shares that name no commit certificate, as a sequencer that makes them before its block is final would; the others report it on L1 and it is slashed (default: 0)", "Debugging/Testing options"),
        OptionSpec.Flag("l2badshares", "Regtest fault injection: send decryption shares whose proof does not check, as a sequencer that tries to break the decryption would (default: 0)", "Debugging/Testing options"),
        OptionSpec.Integer("l1blocktime", "s", "Regtest: mine a block of the embedded settlement chain every <s> seconds (default: only on generate)", 1, 3600, "Settlement options"),
        OptionSpec.Integer("maxmempooltx", "n", "Keep at most <n> L2 transactions in the mempool (default: 100000)", 100, 10_000_000, "Layer 2 options"),
        OptionSpec.Port("port", "Listen for P2P connections on <port> (default: 22222, testnet: 22223, regtest: 22224)", "Connection options"),
        OptionSpec.Flag("listen", "Accept connections from outside (default: 1)", "Connection options"),
        OptionSpec.List("connect", "ip[:port]", "Connect only to the specified node(s)", "Connection options"),
        OptionSpec.List("addnode", "ip[:port]", "Add a node to connect to and attempt to keep the connection open", "Connection options"),
        OptionSpec.Port("rpcport", "Listen for JSON-RPC connections on <port> (default: 62457, testnet: 62455, regtest: 19443)", "RPC server options"),
        OptionSpec.List("rpcbind", "addr[:port]", "Bind to the given address to listen for JSON-RPC connections. Ignored unless -rpcallowip is also given (default: 127.0.0.1 and ::1)", "RPC server options"),
        OptionSpec.List("rpcallowip", "ip", "Allow JSON-RPC connections from the specified source: a single IP, a network/CIDR or a network/netmask. Loopback is always allowed", "RPC server options"),
        OptionSpec.Text("rpcuser", "user", "Username for JSON-RPC connections", "RPC server options"),
        OptionSpec.Text("rpcpassword", "pw", "Password for JSON-RPC connections (without it, a random cookie is written to <datadir>/<network>/.cookie)", "RPC server options"),
    ];
}
