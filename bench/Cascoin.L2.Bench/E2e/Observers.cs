using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Cascoin.L2.Bench.E2e;

/// <summary>
/// What watches a node in production while it works, for <c>--observers 1</c>: a WebSocket client
/// subscribed to newHeads (reading every notification), the dashboard's page as it runs in a browser
/// (its four subscriptions on another connection, /l2/api/stats every 5 s), and Prometheus scraping
/// /metrics every 5 s. Reports what they received and what a scrape cost.
/// </summary>
internal sealed class Observers : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly List<double> _scrapeMs = [];
    private long _heads;
    private long _dashboardNotifications;
    private long _statsPolls;

    public static Observers Start(RegtestNode node)
    {
        var observers = new Observers();
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(node.Cookie));
        observers._tasks.Add(observers.SubscribeAsync(node, credentials, ["newHeads"], () => Interlocked.Increment(ref observers._heads)));
        observers._tasks.Add(observers.SubscribeAsync(node, credentials, ["newHeads", "finalized", "anchors", "withdrawals"], () => Interlocked.Increment(ref observers._dashboardNotifications)));
        observers._tasks.Add(observers.PollAsync(node, credentials, "/l2/api/stats", _ => Interlocked.Increment(ref observers._statsPolls)));
        observers._tasks.Add(observers.PollAsync(node, credentials, "/metrics", elapsed =>
        {
            lock (observers._scrapeMs)
                observers._scrapeMs.Add(elapsed.TotalMilliseconds);
        }));
        return observers;
    }

    public void Write(Utf8JsonWriter result)
    {
        result.WriteNumber("observer_heads", Interlocked.Read(ref _heads));
        result.WriteNumber("observer_dashboard_notifications", Interlocked.Read(ref _dashboardNotifications));
        result.WriteNumber("observer_stats_polls", Interlocked.Read(ref _statsPolls));
        lock (_scrapeMs)
        {
            result.WriteNumber("metrics_scrapes", _scrapeMs.Count);
            result.WriteNumber("metrics_scrape_ms_mean", _scrapeMs.Count == 0 ? 0 : Math.Round(_scrapeMs.Average(), 2));
            result.WriteNumber("metrics_scrape_ms_max", _scrapeMs.Count == 0 ? 0 : Math.Round(_scrapeMs.Max(), 2));
        }
    }

    private async Task SubscribeAsync(RegtestNode node, string credentials, string[] topics, Action notified)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Basic " + credentials);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{node.RpcPort}/ws"), _stop.Token);
        for (var i = 0; i < topics.Length; i++)
        {
            var request = JsonSerializer.SerializeToUtf8Bytes(new { jsonrpc = "2.0", id = i, method = "l2_subscribe", @params = new[] { topics[i] } });
            await socket.SendAsync(request, WebSocketMessageType.Text, true, _stop.Token);
        }
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                    throw new InvalidOperationException("the node closed an observer's WebSocket");
                if (received.EndOfMessage && buffer.AsSpan(0, received.Count).IndexOf("l2_subscription"u8) >= 0)
                    notified();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PollAsync(RegtestNode node, string credentials, string path, Action<TimeSpan> polled)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.RpcPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                using (var response = await http.GetAsync(path, _stop.Token))
                {
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync(_stop.Token);
                }
                polled(watch.Elapsed);
                await Task.Delay(Interval, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_tasks);
        _stop.Dispose();
    }
}
