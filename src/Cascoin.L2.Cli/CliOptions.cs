using Cascoin.L2.Primitives.Configuration;

namespace Cascoin.L2.Cli;

/// <summary>The options cascoin-cli accepts (besides <see cref="CommonOptions"/>), named as in bitcoin-cli.</summary>
internal static class CliOptions
{
    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        OptionSpec.Text("rpcconnect", "ip", "Send commands to node running on <ip> (default: 127.0.0.1)"),
        OptionSpec.Port("rpcport", "Connect to JSON-RPC on <port> (default: 62457, testnet: 62455, regtest: 19443)"),
        OptionSpec.Text("rpcuser", "user", "Username for JSON-RPC connections"),
        OptionSpec.Text("rpcpassword", "pw", "Password for JSON-RPC connections"),
        OptionSpec.Text("rpccookiefile", "loc", "Location of the auth cookie (default: <datadir>/<network>/.cookie)"),
        OptionSpec.Flag("rpcwait", "Wait for RPC server to start"),
        OptionSpec.Integer("rpcwaittimeout", "n", "Timeout in seconds to wait for the RPC server to start, or 0 for no timeout (default: 0)", 0, int.MaxValue),
        OptionSpec.Integer("rpcclienttimeout", "n", "Timeout in seconds during HTTP requests, or 0 for no timeout (default: 900)", 0, int.MaxValue),
        OptionSpec.Flag("named", "Pass named instead of positional arguments (name=value)"),
        OptionSpec.Flag("stdin", "Read extra arguments from standard input, one per line until EOF"),
        OptionSpec.Flag("l2", "Prefix the command with l2_ (cascoin-cli --l2 getbalance = cascoin-cli l2_getbalance)"),
    ];
}
