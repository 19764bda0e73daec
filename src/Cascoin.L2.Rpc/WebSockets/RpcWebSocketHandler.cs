using Cascoin.L2.Rpc.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>
/// The /ws endpoint: the same address filter and credentials as HTTP JSON-RPC, checked on the
/// upgrade request (a browser sends the page's basic credentials with it), then one
/// <see cref="RpcWebSocketSession"/> per connection, up to a limit.
/// </summary>
public sealed partial class RpcWebSocketHandler
{
    private readonly JsonRpcDispatcher _dispatcher;
    private readonly RpcAccess _access;
    private readonly SubscriptionHub _hub;
    private readonly RpcWebSocketOptions _options;
    private readonly ILogger<RpcWebSocketHandler> _logger;
    private int _open;

    public RpcWebSocketHandler(JsonRpcDispatcher dispatcher, RpcAccess access, SubscriptionHub hub, RpcWebSocketOptions options, ILogger<RpcWebSocketHandler> logger)
    {
        _dispatcher = dispatcher;
        _access = access;
        _hub = hub;
        _options = options;
        _logger = logger;
    }

    /// <summary>Open /ws connections.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await _access.AdmitAsync(context))
            return;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("/ws takes WebSocket upgrade requests only; JSON-RPC over HTTP is at /\n", context.RequestAborted);
            return;
        }
        if (Interlocked.Increment(ref _open) > _options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"too many WebSocket connections (at most {_options.MaxConnections})\n", context.RequestAborted);
            return;
        }
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var peer = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
            LogOpened(_logger, peer);
            using var session = new RpcWebSocketSession(socket, _dispatcher, _hub, _options, peer, _logger);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, context.RequestAborted);
            await session.RunAsync(linked.Token);
            LogClosed(_logger, peer);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket client {Peer} connected")]
    private static partial void LogOpened(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket client {Peer} disconnected")]
    private static partial void LogClosed(ILogger logger, string peer);
}
