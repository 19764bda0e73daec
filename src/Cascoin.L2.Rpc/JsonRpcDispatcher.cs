using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Cascoin.L2.Rpc.WebSockets;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Rpc;

/// <summary>A reply to an HTTP JSON-RPC request: the body (none for notifications) and bitcoind's HTTP status.</summary>
public readonly record struct RpcReply(byte[]? Body, int StatusCode);

/// <summary>
/// Decodes JSON-RPC 1.0 and 2.0 requests (single or batch), calls the methods and writes replies the
/// way bitcoind does, so bitcoin-cli/litecoin-cli and JSON-RPC 2.0 clients both work:
/// 1.0 replies carry "result" and "error" and use HTTP 404/400/500 for errors; 2.0 replies carry
/// "jsonrpc":"2.0", use HTTP 200, and notifications (no id) get no reply.
/// </summary>
public sealed class JsonRpcDispatcher
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = RpcJson.Options.Encoder, SkipValidation = true };

    private readonly RpcMethodTable _methods;
    private readonly RpcWarmup _warmup;
    private readonly ILogger<JsonRpcDispatcher> _logger;

    public JsonRpcDispatcher(RpcMethodTable methods, RpcWarmup warmup, ILogger<JsonRpcDispatcher> logger)
    {
        _methods = methods;
        _warmup = warmup;
        _logger = logger;
    }

    public int MaxBatchSize { get; init; } = 10_000;

    /// <summary>Told of every call to a known method: its name, how long it took, and its error code (null on success). For metrics.</summary>
    public Action<string, TimeSpan, int?>? Observed { get; init; }

    /// <summary>Answers one request body; <paramref name="connection"/> is the WebSocket connection it came over (null over HTTP).</summary>
    public async Task<RpcReply> DispatchAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken, RpcConnection? connection = null)
    {
        // System.Text.Json checks UTF-8 inside strings only when a string is read; check it all up front so a
        // bad byte in a method name or parameter is the client's parse error, not an exception later.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            return new RpcReply(ErrorEnvelope(null, RpcErrorCode.ParseError, "Parse error: invalid UTF-8", version2: false), 500);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return new RpcReply(ErrorEnvelope(null, RpcErrorCode.ParseError, "Parse error", version2: false), 500);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
                return await DispatchBatchAsync(root, connection, cancellationToken);
            if (root.ValueKind != JsonValueKind.Object)
                return new RpcReply(ErrorEnvelope(null, RpcErrorCode.InvalidRequest, "Top-level object parse error", version2: false), 400);

            var outcome = await CallAsync(root, connection, cancellationToken);
            if (outcome.IsNotification)
                return new RpcReply(null, 204);
            var status = outcome.Version2 || outcome.ErrorCode is null ? 200 : HttpStatusFor(outcome.ErrorCode.Value);
            return new RpcReply(outcome.Body, status);
        }
    }

    private async Task<RpcReply> DispatchBatchAsync(JsonElement batch, RpcConnection? connection, CancellationToken cancellationToken)
    {
        var count = batch.GetArrayLength();
        if (count == 0)
            return new RpcReply(ErrorEnvelope(null, RpcErrorCode.InvalidRequest, "empty batch", version2: true), 400);
        if (count > MaxBatchSize)
            return new RpcReply(ErrorEnvelope(null, RpcErrorCode.InvalidRequest, $"batch of {count} requests exceeds the limit of {MaxBatchSize}", version2: true), 400);

        // Calls run in order, like bitcoind: a batch is a script, and later calls may depend on earlier ones.
        var output = new ArrayBufferWriter<byte>();
        output.Write("["u8);
        var written = 0;
        foreach (var request in batch.EnumerateArray())
        {
            var outcome = request.ValueKind == JsonValueKind.Object
                ? await CallAsync(request, connection, cancellationToken)
                : new CallOutcome(ErrorEnvelope(null, RpcErrorCode.InvalidRequest, "Invalid Request object", version2: true), RpcErrorCode.InvalidRequest, true, false);
            if (outcome.IsNotification)
                continue;
            if (written++ > 0)
                output.Write(","u8);
            output.Write(outcome.Body);
        }
        output.Write("]"u8);
        return written == 0 ? new RpcReply(null, 204) : new RpcReply(output.WrittenSpan.ToArray(), 200);
    }

    private readonly record struct CallOutcome(byte[] Body, int? ErrorCode, bool Version2, bool IsNotification);

    private async Task<CallOutcome> CallAsync(JsonElement request, RpcConnection? connection, CancellationToken cancellationToken)
    {
        var version2 = request.TryGetProperty("jsonrpc", out var version) && version.ValueKind == JsonValueKind.String && version.ValueEquals("2.0");
        var hasId = request.TryGetProperty("id", out var idElement);
        JsonElement? id = hasId ? idElement : null;
        var isNotification = version2 && !hasId;

        try
        {
            if (!request.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
                throw new RpcException(RpcErrorCode.InvalidRequest, "Method must be a string");
            if (hasId && idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                throw new RpcException(RpcErrorCode.InvalidRequest, "id must be a string, a number or null");
            var name = methodElement.GetString()!;
            JsonElement? parameters = request.TryGetProperty("params", out var p) ? p : null;
            if (parameters is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null) })
                throw new RpcException(RpcErrorCode.InvalidRequest, "Params must be an array or object");
            if (!_methods.TryGet(name, out var method))
                throw new RpcException(RpcErrorCode.MethodNotFound, "Method not found");
            if (_warmup.InWarmup && !method.AllowedInWarmup)
                throw new RpcException(RpcErrorCode.InWarmup, _warmup.Status);

            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await InvokeAsync(method, parameters, connection, cancellationToken);
                var body = SerializeResult(method, id, result, version2);
                Observed?.Invoke(method.Name, Stopwatch.GetElapsedTime(started), null);
                return new CallOutcome(body, null, version2, isNotification);
            }
            catch (RpcException ex)
            {
                Observed?.Invoke(method.Name, Stopwatch.GetElapsedTime(started), ex.Code);
                throw;
            }
        }
        catch (RpcException ex)
        {
            return new CallOutcome(ErrorEnvelope(id, ex.Code, ex.Message, version2), ex.Code, version2, isNotification);
        }
    }

    private async Task<object?> InvokeAsync(RpcMethodDescriptor method, JsonElement? parameters, RpcConnection? connection, CancellationToken cancellationToken)
    {
        var gate = method.Gate;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(gate.Timeout);
        try
        {
            if (!await gate.EnterAsync(cancellationToken))
                throw new RpcException(RpcErrorCode.MiscError, $"too many concurrent '{gate.Category}' calls; try again");
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(RpcErrorCode.MiscError, "request cancelled: the node is shutting down");
        }
        try
        {
            var arguments = RpcParameterBinder.Bind(method, parameters, timeout.Token, connection);
            var returned = method.Method.Invoke(method.Target, arguments);
            return returned is Task task ? await UnwrapAsync(task) : returned;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw Translate(method, ex.InnerException, timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Translate(method, ex, timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested);
        }
        finally
        {
            gate.Exit();
        }
    }

    private static async Task<object?> UnwrapAsync(Task task)
    {
        await task;
        var type = task.GetType();
        // Task<T> exposes Result; a plain Task (and the runtime's VoidTaskResult) yields no value.
        if (!type.IsGenericType)
            return null;
        var result = type.GetProperty("Result")!.GetValue(task);
        return result?.GetType().Name == "VoidTaskResult" ? null : result;
    }

    private RpcException Translate(RpcMethodDescriptor method, Exception ex, bool timedOut)
    {
        switch (ex)
        {
            case RpcException rpc:
                return rpc;
            case OperationCanceledException when timedOut:
                return new RpcException(RpcErrorCode.MiscError, $"{method.Name} timed out after {method.Gate.Timeout.TotalSeconds:0} s");
            case OperationCanceledException:
                return new RpcException(RpcErrorCode.MiscError, "request cancelled: the node is shutting down");
            default:
                // An exception escaping a method is a bug: log it whole, tell the caller briefly.
                _logger.LogError(ex, "RPC {Method} failed", method.Name);
                return new RpcException(RpcErrorCode.InternalError, $"internal error in {method.Name}: {ex.Message}");
        }
    }

    /// <summary>The reply for a result; a result JSON cannot express (NaN, a cycle) is a bug in the method: -32603.</summary>
    /// <exception cref="RpcException">The result cannot be serialized.</exception>
    private byte[] SerializeResult(RpcMethodDescriptor method, JsonElement? id, object? result, bool version2)
    {
        try
        {
            return ResultEnvelope(id, result, version2);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or NotSupportedException or InvalidOperationException)
        {
            _logger.LogError(ex, "RPC {Method} returned a result that cannot be written as JSON", method.Name);
            throw new RpcException(RpcErrorCode.InternalError, $"internal error in {method.Name}: the result cannot be written as JSON");
        }
    }

    /// <summary>bitcoind's HTTP status for a JSON-RPC 1.0 error reply.</summary>
    public static int HttpStatusFor(int errorCode) => errorCode switch
    {
        RpcErrorCode.InvalidRequest => 400,
        RpcErrorCode.MethodNotFound => 404,
        _ => 500,
    };

    private static byte[] ResultEnvelope(JsonElement? id, object? result, bool version2)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (version2)
                writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("result");
            if (result is null)
                writer.WriteNullValue();
            else
                JsonSerializer.Serialize(writer, result, result.GetType(), RpcJson.Options);
            if (!version2)
                writer.WriteNull("error");
            WriteId(writer, id);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ErrorEnvelope(JsonElement? id, int code, string message, bool version2)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (version2)
                writer.WriteString("jsonrpc", "2.0");
            else
                writer.WriteNull("result");
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            WriteId(writer, id);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteId(Utf8JsonWriter writer, JsonElement? id)
    {
        writer.WritePropertyName("id");
        if (id is { } value)
            value.WriteTo(writer);
        else
            writer.WriteNullValue();
    }
}
