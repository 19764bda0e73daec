using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Cascoin.L2.Network;

/// <summary>
/// One connection: a read loop that decodes frames (bounded by the payload limit) and a send loop
/// fed by a bounded queue. Statistics for getpeerinfo. Closed once; <see cref="Closed"/> completes then.
/// </summary>
public sealed class Peer : IDisposable
{
    private readonly Socket _socket;
    private readonly Channel<byte[]> _sendQueue;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;
    private long _bytesSent;
    private long _bytesReceived;
    private int _misbehavior;
    private int _closing;

    internal Peer(long id, Socket socket, bool inbound, int maxSendQueue, long maxSendQueueBytes, DateTimeOffset connectedAt)
    {
        _maxQueuedBytes = maxSendQueueBytes;
        Id = id;
        _socket = socket;
        Inbound = inbound;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        ConnectedAt = connectedAt;
        Stopping = _stop.Token;
        _sendQueue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(maxSendQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public long Id { get; }

    public bool Inbound { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The peer's version message, once received.</summary>
    public VersionMessage? Version { get; internal set; }

    /// <summary>Where the peer accepts connections (its address with the port its version names); null when it does not listen.</summary>
    public IPEndPoint? ListenEndPoint { get; internal set; }

    /// <summary>Whether this connection's one <c>getaddr</c> was answered (later ones are ignored).</summary>
    internal bool AddressesSent { get; set; }

    /// <summary>How many more gossiped addresses this peer may have processed now (see P2PNode.Addresses); starts with one full addr message.</summary>
    internal double AddressTokens { get; set; } = AddressMessage.MaxEntries;

    internal long AddressTokensAt { get; set; }

    /// <summary>True once both sides sent version and verack.</summary>
    public bool HandshakeComplete { get; internal set; }

    internal bool VerackReceived { get; set; }

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public int Misbehavior => Volatile.Read(ref _misbehavior);

    public TimeSpan? LastPingTime { get; internal set; }

    internal ulong PendingPingNonce { get; set; }

    internal long PingSentAt { get; set; }

    public DateTimeOffset LastReceive { get; internal set; }

    /// <summary>Why the connection ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    public Task Closed => _closed.Task;

    internal CancellationToken Stopping { get; private set; }

    internal Socket Socket => _socket;

    internal int AddMisbehavior(int points) => Interlocked.Add(ref _misbehavior, points);

    internal void CountReceived(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    /// <summary>Bytes queued for this peer and not yet handed to the socket.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>
    /// Queues a frame; false (and the peer is closed) when its queue is full, in frames or in bytes:
    /// a peer that does not read is not buffered without end.
    /// </summary>
    public bool Send(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Volatile.Read(ref _closing) != 0)
            return false;
        if (Interlocked.Add(ref _queuedBytes, frame.Length) <= _maxQueuedBytes && _sendQueue.Writer.TryWrite(frame))
            return true;
        Interlocked.Add(ref _queuedBytes, -frame.Length);
        Close($"send queue full ({QueuedBytes} bytes waiting): the peer does not read");
        return false;
    }

    internal async Task SendLoopAsync()
    {
        try
        {
            await foreach (var frame in _sendQueue.Reader.ReadAllAsync(Stopping))
            {
                await _socket.SendAsync(frame, SocketFlags.None, Stopping);
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                Interlocked.Add(ref _bytesSent, frame.Length);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Close(ex is SocketException socket ? $"send failed: {socket.SocketErrorCode}" : "closed");
        }
    }

    /// <summary>Closes the connection (idempotent).</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
            return;
        CloseReason = reason;
        _sendQueue.Writer.TryComplete();
        _stop.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
        _socket.Dispose();
        _closed.TrySetResult();
    }

    /// <summary>Closes the connection and releases its cancellation source (after the loops have seen the close).</summary>
    public void Dispose()
    {
        Close("disposed");
        _stop.Dispose();
    }

    public override string ToString() => $"peer {Id} ({RemoteEndPoint}, {(Inbound ? "inbound" : "outbound")})";
}
