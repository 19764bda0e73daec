using System.Text.Json.Nodes;

namespace Cascoin.L2.Rpc.OpenRpc;

[RpcModule("control", MaxConcurrency = 16, TimeoutSeconds = 10)]
internal interface IDiscoveryRpc
{
    [RpcMethod("rpc.discover", "Returns the OpenRPC 1.3 document of every method of this node (the service discovery method of the OpenRPC specification).",
        Returns = "{ openrpc, info, methods } (OpenRPC document)", AllowedInWarmup = true)]
    JsonObject Discover();
}

/// <summary>rpc.discover, built into the method table like help: it describes whatever the table holds.</summary>
internal sealed class DiscoveryModule(RpcMethodTable table, string nodeVersion) : IRpcModule, IDiscoveryRpc
{
    public JsonObject Discover() => OpenRpcDocument.Build(table.Methods, nodeVersion);
}
