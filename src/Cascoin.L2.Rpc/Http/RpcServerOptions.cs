using System.Net;

namespace Cascoin.L2.Rpc.Http;

/// <summary>Settings of the JSON-RPC HTTP listener, taken from -rpcbind, -rpcport, -rpcallowip, -rpcuser, -rpcpassword.</summary>
public sealed record RpcServerOptions
{
    public required IReadOnlyList<IPEndPoint> Endpoints { get; init; }

    public IReadOnlyList<string> AllowIp { get; init; } = [];

    public string? User { get; init; }

    public string? Password { get; init; }

    /// <summary>Where the cookie file is written when no -rpcpassword is set.</summary>
    public required string CookiePath { get; init; }

    /// <summary>Largest request body accepted; bitcoind's limit is 32 MB as well.</summary>
    public long MaxRequestBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>bitcoind waits 250 ms before answering a wrong password, to slow down guessing.</summary>
    public TimeSpan AuthFailureDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public int MaxBatchSize { get; init; } = 10_000;
}
