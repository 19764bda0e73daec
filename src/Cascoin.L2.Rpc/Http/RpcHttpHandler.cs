using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Rpc.Http;

/// <summary>
/// The HTTP edge of JSON-RPC: address filter, basic auth (401 after a delay), size limit (413),
/// then the dispatcher. Every failure here is answered; none reaches the node's services.
/// </summary>
public sealed class RpcHttpHandler
{
    private readonly JsonRpcDispatcher _dispatcher;
    private readonly RpcAllowList _allowList;
    private readonly Func<RpcAuthenticator> _authenticator;
    private readonly RpcServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RpcHttpHandler> _logger;

    public RpcHttpHandler(
        JsonRpcDispatcher dispatcher,
        RpcAllowList allowList,
        Func<RpcAuthenticator> authenticator,
        RpcServerOptions options,
        TimeProvider time,
        ILogger<RpcHttpHandler> logger)
    {
        _dispatcher = dispatcher;
        _allowList = allowList;
        _authenticator = authenticator;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;

        if (!_allowList.IsAllowed(context.Connection.RemoteIpAddress))
        {
            _logger.LogWarning("RPC request from {Address} refused: not in -rpcallowip", context.Connection.RemoteIpAddress);
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!_authenticator().Check(request.Headers.Authorization))
        {
            if (request.Headers.Authorization.Count > 0)
            {
                // A wrong password waits before the answer, to make guessing slow (bitcoind does the same).
                _logger.LogWarning("RPC authentication failed from {Address}", context.Connection.RemoteIpAddress);
                await Task.Delay(_options.AuthFailureDelay, _time, cancellationToken);
            }
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = "Basic realm=\"jsonrpc\"";
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            await response.WriteAsync("JSONRPC server handles only POST requests", cancellationToken);
            return;
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            await WriteAsync(response, StatusCodes.Status413PayloadTooLarge,
                JsonRpcDispatcher.ErrorEnvelope(null, RpcErrorCode.InvalidRequest, $"request larger than {_options.MaxRequestBytes} bytes", version2: false),
                cancellationToken);
            return;
        }

        var reply = await _dispatcher.DispatchAsync(body.Value, cancellationToken);
        if (reply.Body is null)
        {
            response.StatusCode = reply.StatusCode;
            return;
        }
        await WriteAsync(response, reply.StatusCode, reply.Body, cancellationToken);
    }

    /// <summary>The whole body, or null when it exceeds the limit (checked before and while reading).</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > _options.MaxRequestBytes)
            return null;
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, _options.MaxRequestBytes) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
                return buffer.WrittenMemory;
            buffer.Advance(read);
            if (buffer.WrittenCount > _options.MaxRequestBytes)
                return null;
        }
    }

    private static async Task WriteAsync(HttpResponse response, int status, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length + 1;
        await response.Body.WriteAsync(body, cancellationToken);
        // bitcoind ends every reply with a newline; some clients read line by line.
        await response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }
}
