using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Cascoin.L2.Rpc.Http;

/// <summary>
/// The HTTP edge of JSON-RPC: address filter, basic auth (401 after a delay), size limit (413),
/// then the dispatcher. Every failure here is answered; none reaches the node's services.
/// </summary>
public sealed class RpcHttpHandler
{
    private readonly JsonRpcDispatcher _dispatcher;
    private readonly RpcAccess _access;
    private readonly RpcServerOptions _options;

    public RpcHttpHandler(JsonRpcDispatcher dispatcher, RpcAccess access, RpcServerOptions options)
    {
        _dispatcher = dispatcher;
        _access = access;
        _options = options;
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        if (!await _access.AdmitAsync(context))
            return;

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
