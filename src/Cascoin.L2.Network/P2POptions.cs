using System.Net;

namespace Cascoin.L2.Network;

public sealed record P2POptions
{
    /// <summary>The network's message start (magic), first 4 bytes of every frame.</summary>
    public required ReadOnlyMemory<byte> Magic { get; init; }

    /// <summary>Where to accept connections; null: no listening.</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>Peers to keep connected to (-connect / -addnode): reconnected when they drop.</summary>
    public IReadOnlyList<IPEndPoint> Persistent { get; init; } = [];

    /// <summary>Fill free outbound slots from addresses learnt by <c>addr</c> gossip (off with -connect, which means "only these").</summary>
    public bool AutomaticOutbound { get; init; } = true;

    /// <summary>How long after a failed or dropped attempt a gossiped address is tried again.</summary>
    public TimeSpan AddressRetryInterval { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxInbound { get; init; } = 117;

    public int MaxOutbound { get; init; } = 8;

    /// <summary>Largest payload accepted; a larger length in a header disconnects and scores the peer.</summary>
    public uint MaxPayloadBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Frames waiting to be sent to one peer; a peer that does not read is disconnected rather than buffered without end.</summary>
    public int MaxSendQueue { get; init; } = 4096;

    /// <summary>
    /// Bytes waiting to be sent to one peer. Frames alone do not bound memory: a peer that asks for
    /// blocks (a small request, a reply of megabytes) and never reads would pin gigabytes.
    /// </summary>
    public long MaxSendQueueBytes { get; init; } = 64L * 1024 * 1024;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A peer silent for this long (no pong, no message) is disconnected.</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Misbehaviour points at which a peer is disconnected and its address banned.</summary>
    public int BanThreshold { get; init; } = 100;

    public TimeSpan BanDuration { get; init; } = TimeSpan.FromHours(24);

    public NodeServices Services { get; init; } = NodeServices.Settlement | NodeServices.L2;

    public string UserAgent { get; init; } = "/cascoind/";
}
