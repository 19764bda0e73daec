using System.Net.WebSockets;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>Thrown when a client's WebSocket message grows past the request limit.</summary>
public sealed class WebSocketMessageTooLargeException(long limit) : IOException($"a message larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// A WebSocket that refuses a message growing past <paramref name="limit"/> bytes. StreamJsonRpc
/// gathers a message's frames until its end without a bound; this one closes the connection (1009,
/// "message too big") first, so a client cannot fill the node's memory with one endless message.
/// </summary>
internal sealed class SizeLimitedWebSocket(WebSocket inner, long limit) : WebSocket
{
    private long _received;

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override void Abort() => inner.Abort();

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Dispose() => inner.Dispose();

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await inner.ReceiveAsync(buffer, cancellationToken);
        await CountAsync(result.Count, result.EndOfMessage, cancellationToken);
        return result;
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await inner.ReceiveAsync(buffer, cancellationToken);
        await CountAsync(result.Count, result.EndOfMessage, cancellationToken);
        return result;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    private async Task CountAsync(int count, bool endOfMessage, CancellationToken cancellationToken)
    {
        _received += count;
        if (_received > limit)
        {
            await inner.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {limit} bytes", cancellationToken);
            throw new WebSocketMessageTooLargeException(limit);
        }
        if (endOfMessage)
            _received = 0;
    }
}
