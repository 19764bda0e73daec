using System.Text.Json.Serialization;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("network", MaxConcurrency = 16, TimeoutSeconds = 10)]
public interface INetworkRpc
{
    [RpcMethod("getnetworkinfo", "Returns an object containing various state info regarding P2P networking.",
        Returns = "{ version, subversion, protocolversion, localservices, networkactive, connections, connections_in, connections_out, networks, localaddresses, warnings }")]
    NetworkInfo GetNetworkInfo();
}

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

/// <summary>P2P status. There is no P2P transport yet, so the network is reported inactive, with a warning.</summary>
public sealed class NetworkRpcModule : IRpcModule, INetworkRpc
{
    /// <summary>The P2P protocol version this node will speak; announced in version messages.</summary>
    public const int ProtocolVersion = 70100;

    private readonly RpcNodeContext _node;

    public NetworkRpcModule(RpcNodeContext node)
    {
        _node = node;
    }

    public NetworkInfo GetNetworkInfo() => new(
        _node.NumericVersion,
        $"/cascoind:{_node.Version}/",
        ProtocolVersion,
        "0000000000000000",
        [],
        LocalRelay: false,
        TimeOffset: 0,
        NetworkActive: false,
        Connections: 0,
        ConnectionsIn: 0,
        ConnectionsOut: 0,
        Networks: [],
        LocalAddresses: [],
        Warnings: string.Join("; ", _node.Warnings));
}
