namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>Limits of JSON-RPC over /ws: each bounds the memory one client can hold.</summary>
public sealed record RpcWebSocketOptions
{
    /// <summary>Open /ws connections at once; more are refused with 503.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>Messages queued to send on one connection (replies and notifications); a subscriber that lets it fill is cut off.</summary>
    public int QueueCapacity { get; init; } = 1024;

    public int MaxSubscriptionsPerConnection { get; init; } = 32;

    /// <summary>Largest message a client may send (as -rpc's request limit).</summary>
    public long MaxMessageBytes { get; init; } = 32L * 1024 * 1024;
}
