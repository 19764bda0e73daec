using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>
/// One /ws connection: StreamJsonRpc's WebSocket handler frames the messages, the node's dispatcher
/// answers them in order (as a batch over HTTP would be), and subscriptions add notifications.
/// Everything sent goes through one bounded queue: a reply waits for room (the client that does not
/// read stops being read), a notification never waits, and a client that lets the queue fill is cut
/// off. So a slow subscriber costs the node at most the queue, never more.
/// </summary>
internal sealed partial class RpcWebSocketSession : RpcConnection, SubscriptionHub.ISubscriber, IDisposable
{
    private readonly WebSocket _socket;
    private readonly JsonRpcDispatcher _dispatcher;
    private readonly SubscriptionHub _hub;
    private readonly ILogger _logger;
    private readonly string _peer;
    private readonly Channel<byte[]> _outgoing;
    private readonly int _capacity;
    private readonly int _maxSubscriptions;
    private readonly CancellationTokenSource _cutOff = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SubscriptionHub.Subscription> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private bool _closed;
    private int _cuttingOff;

    public RpcWebSocketSession(WebSocket socket, JsonRpcDispatcher dispatcher, SubscriptionHub hub, RpcWebSocketOptions options, string peer, ILogger logger)
    {
        _socket = new SizeLimitedWebSocket(socket, options.MaxMessageBytes);
        _dispatcher = dispatcher;
        _hub = hub;
        _logger = logger;
        _peer = peer;
        _capacity = options.QueueCapacity;
        _maxSubscriptions = options.MaxSubscriptionsPerConnection;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Serves the connection until the client closes it, breaks a rule, or the node stops.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(stopping, _cutOff.Token);
        using var handler = new WebSocketMessageHandler(_socket, new RawJsonFormatter());
        var writer = WriteLoopAsync(handler, _cutOff.Token);
        try
        {
            while (await handler.ReadAsync(reading.Token) is RawJsonMessage message)
            {
                var reply = await _dispatcher.DispatchAsync(message.Bytes, reading.Token, this);
                // Queued even when the node began to stop meanwhile: the reply to "stop" itself goes out.
                if (reply.Body is { } body)
                    await _outgoing.Writer.WriteAsync(body, _cutOff.Token);
            }
        }
        catch (WebSocketMessageTooLargeException ex)
        {
            LogTooLarge(_logger, _peer, ex.Limit);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The client went away, was cut off, or the node is stopping: nothing more to read.
        }
        finally
        {
            UnsubscribeAll();
            _outgoing.Writer.TryComplete();
            // What was answered still goes out, for a few seconds at most.
            _cutOff.CancelAfter(DrainTimeout);
            try
            {
                await writer;
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
            {
            }
        }
        await CloseAsync(stopping.IsCancellationRequested ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.NormalClosure,
            stopping.IsCancellationRequested ? "the node is stopping" : "");
    }

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        using var timeout = new CancellationTokenSource(DrainTimeout);
        try
        {
            await _socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task WriteLoopAsync(WebSocketMessageHandler handler, CancellationToken token)
    {
        await foreach (var message in _outgoing.Reader.ReadAllAsync(token))
            await handler.WriteAsync(new RawJsonMessage(message), token);
    }

    public override string Subscribe(SubscriptionTopic topic)
    {
        lock (_lock)
        {
            if (_closed)
                throw new RpcException(RpcErrorCode.MiscError, "the connection is closing");
            if (_subscriptions.Count >= _maxSubscriptions)
                throw new RpcException(RpcErrorCode.MiscError, $"at most {_maxSubscriptions} subscriptions per connection");
            var subscription = _hub.Add(topic, this);
            _subscriptions.Add(subscription.Id, subscription);
            return subscription.Id;
        }
    }

    public override bool Unsubscribe(string id)
    {
        lock (_lock)
        {
            if (!_subscriptions.Remove(id, out var subscription))
                return false;
            _hub.Remove(subscription);
            return true;
        }
    }

    public void Offer(byte[] notification)
    {
        if (_outgoing.Writer.TryWrite(notification) || Interlocked.Exchange(ref _cuttingOff, 1) == 1)
            return;
        // The client stopped reading (or reads slower than events come): drop it rather than buffer without end.
        // Publishers call this where events happen (a block's commit, say): the connection is torn down on
        // the thread pool, so no session code runs on theirs.
        LogCutOff(_logger, _peer, _capacity);
        UnsubscribeAll();
        ThreadPool.QueueUserWorkItem(static session =>
        {
            session._cutOff.Cancel();
            session._socket.Abort();
        }, this, preferLocal: false);
    }

    private void UnsubscribeAll()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var subscription in _subscriptions.Values)
                _hub.Remove(subscription);
            _subscriptions.Clear();
        }
    }

    public void Dispose()
    {
        _cutOff.Dispose();
        _socket.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket client {Peer} cut off: {Count} messages queued and unread")]
    private static partial void LogCutOff(ILogger logger, string peer, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WebSocket client {Peer} closed: a message larger than {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, string peer, long limit);
}
