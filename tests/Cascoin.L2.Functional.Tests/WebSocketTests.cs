using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// JSON-RPC over the WebSocket at /ws of a real cascoind -regtest, from plain clients: the same
/// answers as HTTP, the same credentials, subscriptions in order, and the bound on a client that
/// stops reading (doc/rpc.md, "WebSocket").
/// </summary>
public sealed class WebSocketTests(ITestOutputHelper output)
{

    [Fact]
    public async Task Every_method_answers_over_ws_as_over_http_and_credentials_are_checked_on_the_upgrade()
    {
        using var dir = TestDirectory.Create("ws-methods");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();

        // Without credentials, or with a wrong password, the upgrade is refused before any JSON-RPC.
        var anonymous = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(node, credentials: null));
        output.WriteLine($"no credentials: {anonymous.Message}");
        await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(node, "__cookie__:wrong"));

        await using var ws = await WebSocketClient.ConnectAsync(node);
        // Byte for byte for a deterministic call, in JSON-RPC 1.0 (bitcoind's shape) and in a 2.0 batch.
        foreach (var body in new[]
        {
            """{"jsonrpc":"1.0","id":"x","method":"help","params":["l2_getbalance"]}""",
            """[{"jsonrpc":"2.0","id":1,"method":"getblockcount"},{"jsonrpc":"2.0","id":2,"method":"nosuchmethod"},{"jsonrpc":"2.0","method":"uptime"}]""",
            """{"jsonrpc":"2.0","id":3,"method":"l2_getbalance","params":{"address":"nonsense"}}""",
            "{not json",
        })
        {
            var (_, overHttp) = await node.PostAsync(body, node.Cookie);
            await ws.SendAsync(body);
            Assert.Equal(overHttp.TrimEnd('\n'), await ws.ReceiveAsync());
        }

        // Every method help lists, called alike over both with no parameters: the same error, or a result of the same shape.
        var help = (await node.RpcAsync("help")).GetProperty("result").GetString()!;
        var methods = help.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("==", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
        Assert.Contains("l2_subscribe", methods);
        var compared = 0;
        foreach (var method in methods.Where(m => m is not ("stop" or "l2_subscribe" or "l2_unsubscribe")))
        {
            var overHttp = await node.RpcWithParamsAsync(method, Array.Empty<object>());
            var overWs = await ws.CallAsync(method, []);
            AssertSameAnswer(method, overHttp, overWs);
            compared++;
        }
        output.WriteLine($"{compared} methods answered alike over HTTP and /ws");

        // Subscriptions need the WebSocket: over HTTP they say so.
        var refused = await node.RpcAsync("l2_subscribe", "newHeads");
        Assert.Contains("needs a WebSocket connection", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var unknown = await ws.CallAsync("l2_subscribe", ["everything"]);
        Assert.Equal(-8, unknown.GetProperty("error").GetProperty("code").GetInt32());

        // A message past the request limit (32 MB) closes that connection with 1009 before it is all in memory.
        await using (var flooder = await WebSocketClient.ConnectAsync(node))
        {
            await flooder.SendAsync("[" + new string(' ', 33 * 1024 * 1024) + "]");
            Assert.Null(await flooder.ReceiveAsync());
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, flooder.CloseStatus);
        }
        await TestWait.UntilAsync(() => Task.FromResult(node.ReadLog()), log => log.Contains("a message larger than 33554432 bytes", StringComparison.Ordinal),
            "the node logs why it closed the connection");

        // stop over /ws stops the node, and the session does not hold the shutdown.
        Assert.Equal("cascoind stopping", (await ws.CallAsync("stop", [])).GetProperty("result").GetString());
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        dir.Succeeded();
    }

    private static void AssertSameAnswer(string method, JsonElement overHttp, JsonElement overWs)
    {
        var httpError = overHttp.TryGetProperty("error", out var e1) && e1.ValueKind == JsonValueKind.Object ? e1 : (JsonElement?)null;
        var wsError = overWs.TryGetProperty("error", out var e2) && e2.ValueKind == JsonValueKind.Object ? e2 : (JsonElement?)null;
        Assert.True(httpError.HasValue == wsError.HasValue, $"{method}: HTTP {overHttp} against /ws {overWs}");
        if (httpError is { } a && wsError is { } b)
        {
            Assert.Equal(a.GetProperty("code").GetInt32(), b.GetProperty("code").GetInt32());
            Assert.Equal(a.GetProperty("message").GetString(), b.GetProperty("message").GetString());
            return;
        }
        var r1 = overHttp.GetProperty("result");
        var r2 = overWs.GetProperty("result");
        Assert.True(r1.ValueKind == r2.ValueKind, $"{method}: HTTP {r1.ValueKind} against /ws {r2.ValueKind}");
        if (r1.ValueKind == JsonValueKind.Object)
            Assert.Equal(r1.EnumerateObject().Select(p => p.Name), r2.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_newHeads_subscription_gets_every_block_in_order_and_pendingTransactions_every_id()
    {
        using var dir = TestDirectory.Create("ws-newheads");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        await using var ws = await WebSocketClient.ConnectAsync(node);
        var notifications = new List<JsonElement>();
        Assert.Equal(JsonValueKind.Null, (await ws.CallAsync("importprivkey", [DevelopmentAccount.Wif])).GetProperty("result").ValueKind);
        var heads = (await ws.CallAsync("l2_subscribe", ["newHeads"])).GetProperty("result").GetString()!;
        var pending = (await ws.CallAsync("l2_subscribe", ["pendingTransactions"])).GetProperty("result").GetString()!;
        Assert.NotEqual(heads, pending);
        var start = (await ws.CallAsync("l2_blocknumber", [])).GetProperty("result").GetUInt64();

        // Calls go over the same connection while notifications arrive between the replies.
        var sent = new List<string>();
        for (var round = 0; round < 6; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                var reply = await ws.CallAsync("l2_sendtransaction", [DevelopmentAccount.Address, DevelopmentAccount.Address, "0.001"], notifications);
                sent.Add(reply.GetProperty("result").GetProperty("txid").GetString()!);
            }
            await Task.Delay(150);
        }
        var last = await TestWait.UntilAsync(async () =>
        {
            var info = await node.RpcAsync("l2_gettransactionreceipt", sent[^1]);
            return info.GetProperty("result");
        }, r => r.ValueKind == JsonValueKind.Object, "the last transfer is in a block");
        var top = last.GetProperty("blocknumber").GetUInt64();
        while (!notifications.Any(n => IsOf(n, heads) && Result(n).GetProperty("number").GetUInt64() == top))
            notifications.Add(JsonDocument.Parse(await ws.ReceiveAsync() ?? throw new InvalidOperationException("closed")).RootElement.Clone());

        var numbers = notifications.Where(n => IsOf(n, heads)).Select(n => Result(n).GetProperty("number").GetUInt64()).ToList();
        Assert.Equal(Enumerable.Range(0, (int)(top - start)).Select(i => start + 1 + (ulong)i), numbers);
        foreach (var head in notifications.Where(n => IsOf(n, heads)).Select(Result))
        {
            var block = (await node.RpcAsync("l2_getblockbynumber", head.GetProperty("number").GetUInt64().ToString(CultureInfo.InvariantCulture))).GetProperty("result");
            Assert.Equal(block.GetProperty("hash").GetString(), head.GetProperty("hash").GetString());
            Assert.Equal(block.GetProperty("parenthash").GetString(), head.GetProperty("parenthash").GetString());
            Assert.Equal(block.GetProperty("stateroot").GetString(), head.GetProperty("stateroot").GetString());
        }
        Assert.Equal(sent, notifications.Where(n => IsOf(n, pending)).Select(n => Result(n).GetString()!));
        output.WriteLine($"{numbers.Count} heads ({start + 1}..{top}) and {sent.Count} pending ids, in order");

        Assert.True((await ws.CallAsync("l2_unsubscribe", [pending])).GetProperty("result").GetBoolean());
        Assert.False((await ws.CallAsync("l2_unsubscribe", [pending])).GetProperty("result").GetBoolean());
        dir.Succeeded();
    }

    private static bool IsOf(JsonElement notification, string subscription) =>
        notification.TryGetProperty("method", out var method) && method.GetString() == "l2_subscription"
        && notification.GetProperty("params").GetProperty("subscription").GetString() == subscription;

    private static JsonElement Result(JsonElement notification) => notification.GetProperty("params").GetProperty("result");

    [Fact]
    public async Task A_subscriber_that_stops_reading_is_cut_off_and_the_node_goes_on()
    {
        using var dir = TestDirectory.Create("ws-slow");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();
        await node.RpcAsync("importprivkey", DevelopmentAccount.Wif);

        // A raw client with a tiny receive window that subscribes, then never reads again.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, node.RpcPort);
        await using var stream = new NetworkStream(socket);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(node.Cookie));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{node.RpcPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Basic {credentials}\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 101", await ReadHeadAsync(stream), StringComparison.Ordinal);
        for (var i = 0; i < 31; i++)
            await stream.WriteAsync(MaskedTextFrame($$"""{"jsonrpc":"2.0","id":{{i}},"method":"l2_subscribe","params":["pendingTransactions"]}"""));
        await stream.WriteAsync(MaskedTextFrame("""{"jsonrpc":"2.0","id":99,"method":"l2_subscribe","params":["newHeads"]}"""));

        var rssBefore = ResidentBytes(node);
        var sent = 0;
        await TestWait.UntilAsync(async () =>
        {
            var batch = string.Join(',', Enumerable.Range(0, 100).Select(i =>
                $$"""{"jsonrpc":"2.0","id":{{i}},"method":"l2_sendtransaction","params":["{{DevelopmentAccount.Address}}","{{DevelopmentAccount.Address}}","0.001"]}"""));
            await node.PostAsync("[" + batch + "]", node.Cookie);
            sent += 100;
            await Task.Delay(200);
            return node.ReadLog();
        }, log => log.Contains("cut off", StringComparison.Ordinal), "the node cuts the reader off", TimeSpan.FromSeconds(120));
        var rssAfter = ResidentBytes(node);
        output.WriteLine($"cut off after {sent} transfers ({31 * sent} pending-transaction notifications); resident memory {rssBefore / 1_000_000} → {rssAfter / 1_000_000} MB");
        Assert.Contains("1024 messages queued and unread", node.ReadLog(), StringComparison.Ordinal);

        // The connection is gone (what the kernel still held arrives, then the end), and the node serves everyone else.
        await DrainUntilClosedAsync(stream);
        Assert.Equal(JsonValueKind.Number, (await node.RpcAsync("l2_blocknumber")).GetProperty("result").ValueKind);
        await using var next = await WebSocketClient.ConnectAsync(node);
        Assert.Equal(JsonValueKind.String, (await next.CallAsync("l2_subscribe", ["newHeads"])).GetProperty("result").ValueKind);
        dir.Succeeded();
    }

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one));
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    /// <summary>A client's text frame (RFC 6455 §5.2: a client masks what it sends).</summary>
    private static byte[] MaskedTextFrame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        Assert.True(payload.Length < 126);
        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81;
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        return frame;
    }

    private static async Task DrainUntilClosedAsync(Stream stream)
    {
        var buffer = new byte[1 << 20];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the node: closed as well.
        }
    }

    private static long ResidentBytes(TestNode node)
    {
        var status = File.ReadAllLines($"/proc/{node.Process.ProcessId}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
