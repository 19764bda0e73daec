using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cascoin.L2.Bench.E2e;

/// <summary>A minimal JSON-RPC 2.0 client over one HTTP connection pool with the node's cookie.</summary>
internal sealed class RpcClient : IDisposable
{
    private readonly HttpClient _http;
    private long _nextId;

    public RpcClient(int port, string cookie)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromMinutes(5),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(cookie)));
    }

    /// <summary>One call; a JSON-RPC error becomes an exception with its code and message.</summary>
    public async Task<JsonElement> CallAsync(string method, params object?[] parameters)
    {
        var replies = await BatchAsync([(method, parameters)]);
        var reply = replies[0];
        if (reply.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            throw new InvalidOperationException($"{method}: {error.GetRawText()}");
        return reply.GetProperty("result");
    }

    /// <summary>Several calls in one request; the replies in request order.</summary>
    public async Task<JsonElement[]> BatchAsync(IReadOnlyList<(string Method, object?[] Parameters)> calls)
    {
        var first = Interlocked.Add(ref _nextId, calls.Count) - calls.Count;
        var body = JsonSerializer.SerializeToUtf8Bytes(calls.Select((c, i) => new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = first + i,
            ["method"] = c.Method,
            ["params"] = c.Parameters,
        }).ToList());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync("", content);
        var text = await response.Content.ReadAsByteArrayAsync();
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(text)}");
        var replies = document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        return [.. replies.OrderBy(r => r.GetProperty("id").GetInt64())];
    }

    public void Dispose() => _http.Dispose();
}
