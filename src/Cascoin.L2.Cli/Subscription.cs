using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Cascoin.L2.Cli;

/// <summary>
/// <c>cascoin-cli subscribe &lt;topic&gt; [count]</c>: opens the node's WebSocket (/ws) with the usual
/// credentials, subscribes, and prints each notification's result as one line of JSON, until
/// <c>count</c> arrived or the user interrupts it. A shell's window on l2_subscribe.
/// </summary>
internal static class Subscription
{
    public const string Command = "subscribe";

    public const string Usage = "subscribe <topic> [count]";

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, Uri endpoint, string? credentials, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        long? count = null;
        if (arguments.Count is < 1 or > 2 || (arguments.Count == 2 && !(long.TryParse(arguments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (count = n) > 0)))
        {
            await error.WriteLineAsync($"error: usage: cascoin-cli {Usage} (topics: newHeads, finalized, anchors, withdrawals, pendingTransactions; count a positive integer)");
            return 1;
        }
        using var socket = new ClientWebSocket();
        if (credentials is not null)
            socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            var request = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method = "l2_subscribe", @params = new[] { arguments[0] } });
            await socket.SendAsync(Encoding.UTF8.GetBytes(request), WebSocketMessageType.Text, true, cancellationToken);
            var reply = await ReceiveAsync(socket, cancellationToken) ?? throw new CliException("the node closed the connection");
            using (var document = JsonDocument.Parse(reply))
            {
                if (document.RootElement.TryGetProperty("error", out var failure) && failure.ValueKind == JsonValueKind.Object)
                {
                    var code = failure.GetProperty("code").GetInt32();
                    await error.WriteLineAsync($"error code: {code}\nerror message:\n{failure.GetProperty("message").GetString()}");
                    return Math.Abs(code) % 256;
                }
            }
            for (long received = 0; count is null || received < count; received++)
            {
                var message = await ReceiveAsync(socket, cancellationToken);
                if (message is null)
                {
                    await error.WriteLineAsync($"error: the node closed the connection ({socket.CloseStatusDescription})");
                    return 1;
                }
                using var notification = JsonDocument.Parse(message);
                await output.WriteLineAsync(notification.RootElement.GetProperty("params").GetProperty("result").GetRawText());
                await output.FlushAsync(cancellationToken);
            }
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", cancellationToken);
            return 0;
        }
        catch (WebSocketException ex)
        {
            await error.WriteLineAsync($"error: {endpoint}: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.ToArray());
        }
    }
}
