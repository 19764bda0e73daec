using System.Buffers;
using System.Text;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>
/// The formatter of <see cref="RawJsonMessage"/>: bytes in, bytes out, UTF-8 only. A text formatter,
/// so StreamJsonRpc's WebSocket handler sends text frames, which browsers read as strings.
/// </summary>
internal sealed class RawJsonFormatter : IJsonRpcMessageTextFormatter
{
    public Encoding Encoding
    {
        get => Encoding.UTF8;
        set
        {
            if (value is not UTF8Encoding)
                throw new NotSupportedException("JSON-RPC over /ws is UTF-8 only");
        }
    }

    public JsonRpcMessage Deserialize(ReadOnlySequence<byte> contentBuffer) => new RawJsonMessage(contentBuffer.ToArray());

    public JsonRpcMessage Deserialize(ReadOnlySequence<byte> contentBuffer, Encoding encoding)
    {
        Encoding = encoding;
        return Deserialize(contentBuffer);
    }

    public void Serialize(IBufferWriter<byte> bufferWriter, JsonRpcMessage message)
    {
        ArgumentNullException.ThrowIfNull(bufferWriter);
        if (message is not RawJsonMessage raw)
            throw new NotSupportedException($"only raw JSON messages go out on /ws, not {message?.GetType().Name}");
        bufferWriter.Write(raw.Bytes);
    }

    public object GetJsonText(JsonRpcMessage message) => message is RawJsonMessage raw ? Encoding.UTF8.GetString(raw.Bytes) : "";
}
