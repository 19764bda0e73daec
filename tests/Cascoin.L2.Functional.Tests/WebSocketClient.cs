using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>A plain WebSocket client of a node's /ws (no JSON-RPC library): sends text, reads whole messages.</summary>
internal sealed class WebSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private WebSocketClient()
    {
    }

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<WebSocketClient> ConnectAsync(TestNode node, string? credentials = "cookie")
    {
        var client = new WebSocketClient();
        if (credentials is not null)
        {
            var pair = credentials == "cookie" ? node.Cookie : credentials;
            client._socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client._socket.ConnectAsync(new Uri($"ws://127.0.0.1:{node.RpcPort}/ws"), timeout.Token);
        return client;
    }

    public async Task SendAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next whole message, or null when the server closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    /// <summary>Sends a JSON-RPC 2.0 call and returns its reply, keeping any notification read meanwhile in <paramref name="notifications"/>.</summary>
    public async Task<JsonElement> CallAsync(string method, object?[] parameters, List<JsonElement>? notifications = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        await SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters }));
        while (true)
        {
            var text = await ReceiveAsync() ?? throw new InvalidOperationException($"the node closed the connection before answering {method}");
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement.Clone();
            if (root.TryGetProperty("id", out var replyId) && replyId.ValueKind == JsonValueKind.Number && replyId.GetInt32() == id)
                return root;
            notifications?.Add(root);
        }
    }

    private int _nextId;

    /// <summary>Reads notifications into <paramref name="received"/> until <paramref name="done"/> holds for them (30 s at most).</summary>
    public async Task ReadUntilAsync(List<JsonElement> received, Func<IReadOnlyList<JsonElement>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done(received))
        {
            var left = deadline - DateTime.UtcNow;
            string? text;
            try
            {
                text = left > TimeSpan.Zero ? await ReceiveAsync(left) : throw new OperationCanceledException();
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within 30 s: {what}; received {string.Join(" ", received.Select(r => r.GetRawText()))}");
            }
            using var document = JsonDocument.Parse(text ?? throw new InvalidOperationException($"the node closed the connection: {what}"));
            received.Add(document.RootElement.Clone());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
    }
}
