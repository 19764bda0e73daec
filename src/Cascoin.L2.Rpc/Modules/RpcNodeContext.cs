using Cascoin.L2.Primitives;

namespace Cascoin.L2.Rpc.Modules;

/// <summary>The facts about this node that RPC reports and that no domain service owns.</summary>
public sealed record RpcNodeContext
{
    public required NetworkParameters Network { get; init; }

    /// <summary><c>&lt;datadir&gt;/&lt;network&gt;</c>.</summary>
    public required string NetworkDirectory { get; init; }

    /// <summary>Where the node database lives, for size_on_disk.</summary>
    public required string DatabaseDirectory { get; init; }

    public required bool L2Enabled { get; init; }

    public ulong? L2ChainId { get; init; }

    /// <summary>The client version, e.g. "0.1.0".</summary>
    public required string Version { get; init; }

    /// <summary>When the process started, from the node's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Messages an operator should see in getnetworkinfo/getblockchaininfo "warnings".</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>bitcoind's integer version: MAJOR*10000 + MINOR*100 + PATCH.</summary>
    public int NumericVersion
    {
        get
        {
            var parts = Version.Split('.').Select(p => int.TryParse(p, out var n) ? n : 0).Concat([0, 0, 0]).ToArray();
            return parts[0] * 10000 + parts[1] * 100 + parts[2];
        }
    }
}
