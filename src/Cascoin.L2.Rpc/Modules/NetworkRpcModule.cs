using System.Text.Json.Serialization;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("network", MaxConcurrency = 16, TimeoutSeconds = 10)]
public interface INetworkRpc
{
    [RpcMethod("getnetworkinfo", "Returns an object containing various state info regarding P2P networking.",
        Returns = "{ version, subversion, protocolversion, localservices, networkactive, connections, connections_in, connections_out, networks, localaddresses, warnings }")]
    NetworkInfo GetNetworkInfo();

    [RpcMethod("getpeerinfo", "Returns data about each connected peer.",
        Returns = "[ { id, addr, inbound, version, subver, services, startingheight, l2height, bytessent, bytesrecv, conntime, lastrecv, pingtime, banscore, handshake } ]")]
    IReadOnlyList<PeerInfo> GetPeerInfo();

    [RpcMethod("addnode", "Adds a peer to keep connected to, removes one, or tries a connection once.", Returns = "null")]
    object? AddNode([RpcParam("ip:port")] string node, [RpcParam("\"add\", \"remove\" or \"onetry\"")] string command);

    [RpcMethod("getnodeaddresses", "Returns addresses known from addr gossip, the most recently heard of first (0: all).",
        Returns = "[ { time, services, address, port } ]")]
    IReadOnlyList<NodeAddressInfo> GetNodeAddresses([RpcParam("how many (default 1, 0 for all)")] int count = 1);

    [RpcMethod("listbanned", "Lists banned addresses.", Returns = "[ { address, banned_until } ]")]
    IReadOnlyList<BanInfo> ListBanned();

    [RpcMethod("clearbanned", "Lifts every ban.", Returns = "null")]
    object? ClearBanned();

    [RpcMethod("setnetworkactive", "Disables (false) or enables (true) all P2P activity: off closes every connection and refuses new ones.", Returns = "true|false (the new state)")]
    bool SetNetworkActive([RpcParam("true to enable, false to disable")] bool state);
}

public sealed record PeerInfo(long Id, string Addr, bool Inbound, uint Version, string Subver, string Services, ulong StartingHeight,
    ulong L2Height, long BytesSent, long BytesRecv, long ConnTime, long LastRecv, double? PingTime, int BanScore, bool Handshake);

public sealed record NodeAddressInfo(long Time, string Services, string Address, int Port);

public sealed record BanInfo(string Address, [property: JsonPropertyName("banned_until")] long BannedUntil);

public sealed record NetworkInfo(
    int Version,
    string Subversion,
    int ProtocolVersion,
    string LocalServices,
    [property: JsonPropertyName("localservicesnames")] IReadOnlyList<string> LocalServicesNames,
    bool LocalRelay,
    long TimeOffset,
    bool NetworkActive,
    int Connections,
    [property: JsonPropertyName("connections_in")] int ConnectionsIn,
    [property: JsonPropertyName("connections_out")] int ConnectionsOut,
    IReadOnlyList<string> Networks,
    IReadOnlyList<string> LocalAddresses,
    string Warnings);

/// <summary>P2P status and peer management (the transport is <see cref="Network.P2PNode"/>).</summary>
public sealed class NetworkRpcModule : IRpcModule, INetworkRpc
{
    /// <summary>The protocol version reported by getnetworkinfo (bitcoind's field); the wire protocol's own is in the version message.</summary>
    public const int ProtocolVersion = 70100;

    private readonly RpcNodeContext _node;
    private readonly Network.P2PNode? _p2p;

    public NetworkRpcModule(RpcNodeContext node, Network.P2PNode? p2p = null)
    {
        _node = node;
        _p2p = p2p;
    }

    private Network.P2PNode P2P => _p2p ?? throw new RpcException(RpcErrorCode.ClientNotConnected, "P2P networking is disabled");

    public IReadOnlyList<PeerInfo> GetPeerInfo() => P2P.Peers.Select(p => new PeerInfo(
        p.Id, p.RemoteEndPoint.ToString(), p.Inbound, p.Version?.ProtocolVersion ?? 0, p.Version?.UserAgent ?? "",
        ((ulong)(p.Version?.Services ?? Network.NodeServices.None)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        p.Version?.BestL1Height ?? 0, p.Version?.BestL2Height ?? 0, p.BytesSent, p.BytesReceived, p.ConnectedAt.ToUnixTimeSeconds(),
        p.LastReceive.ToUnixTimeSeconds(), p.LastPingTime?.TotalSeconds, p.Misbehavior, p.HandshakeComplete)).ToList();

    public object? AddNode(string node, string command)
    {
        if (!System.Net.IPEndPoint.TryParse(node, out var endpoint) || endpoint.Port == 0)
            throw RpcException.InvalidParameter($"node must be ip:port, got '{node}'");
        if (command is not ("add" or "remove" or "onetry"))
            throw RpcException.InvalidParameter("command must be add, remove or onetry");
        var changed = P2P.AddNode(endpoint, command);
        if (!changed && command == "add")
            throw new RpcException(RpcErrorCode.ClientNodeAlreadyAdded, "Error: Node already added");
        if (!changed && command == "remove")
            throw new RpcException(RpcErrorCode.ClientNodeNotAdded, "Error: Node has not been added.");
        return null;
    }

    public IReadOnlyList<NodeAddressInfo> GetNodeAddresses(int count = 1)
    {
        if (count < 0)
            throw RpcException.InvalidParameter("Address count out of range");
        return P2P.Addresses.Recent(count == 0 ? int.MaxValue : count).Select(a => new NodeAddressInfo(a.LastSeen,
            ((ulong)a.Services).ToString("x16", System.Globalization.CultureInfo.InvariantCulture), a.EndPoint.Address.ToString(), a.EndPoint.Port)).ToList();
    }

    public IReadOnlyList<BanInfo> ListBanned() =>
        P2P.Banned.Select(b => new BanInfo(b.Key.ToString(), b.Value.ToUnixTimeSeconds())).ToList();

    public bool SetNetworkActive(bool state)
    {
        P2P.Active = state;
        return state;
    }

    public object? ClearBanned()
    {
        P2P.ClearBanned();
        return null;
    }

    public NetworkInfo GetNetworkInfo() => new(
        _node.NumericVersion,
        $"/cascoind:{_node.Version}/",
        ProtocolVersion,
        "0000000000000000",
        [],
        LocalRelay: false,
        TimeOffset: 0,
        NetworkActive: _p2p?.Active ?? false,
        Connections: _p2p?.Peers.Count ?? 0,
        ConnectionsIn: _p2p?.Peers.Count(p => p.Inbound) ?? 0,
        ConnectionsOut: _p2p?.Peers.Count(p => !p.Inbound) ?? 0,
        Networks: [],
        LocalAddresses: [],
        Warnings: string.Join("; ", _node.Warnings));
}
