using StreamJsonRpc.Protocol;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>
/// One WebSocket message as its exact bytes. StreamJsonRpc frames the messages; the node's own
/// dispatcher reads them, so a call over /ws gets byte for byte the reply it gets over HTTP
/// (JSON-RPC 1.0 and 2.0, batches, bitcoind's error codes).
/// </summary>
internal sealed class RawJsonMessage(byte[] bytes) : JsonRpcMessage
{
    public byte[] Bytes { get; } = bytes;
}
