using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cascoin.L2.Primitives;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Network;

/// <summary>A message for the layers above: the sender and the payload (the checksum has been verified).</summary>
public delegate Task MessageHandler(Peer peer, byte[] payload);

/// <summary>
/// The P2P transport (SPEC §8): one TCP port, Bitcoin-style frames, the version/verack handshake,
/// ping/pong, persistent outbound peers (-connect/-addnode) with reconnection, inbound and outbound
/// limits, misbehaviour scores with a 24 h ban, and a registry of handlers for the commands of the
/// layers above (like Bitcoin Core's net vs net_processing), and addr gossip (P2PNode.Addresses.cs). Malformed, oversized or wrong-magic
/// input disconnects the peer and counts against it.
/// </summary>
public sealed partial class P2PNode : IAsyncDisposable
{
    private readonly P2POptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<P2PNode> _logger;
    private readonly ConcurrentDictionary<long, Peer> _peers = new();
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _banned = new();
    private readonly ConcurrentDictionary<string, MessageHandler> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPEndPoint, bool> _persistent = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ulong _localNonce = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private readonly Lock _handshakeLock = new();
    private Socket? _listener;
    private long _nextId;
    private int _stopped;

    public P2PNode(P2POptions options, TimeProvider time, ILogger<P2PNode> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _logger = logger;
        foreach (var endpoint in options.Persistent)
            _persistent[endpoint] = true;
    }

    /// <summary>The heights this node announces in its version message.</summary>
    public Func<(ulong L1, ulong L2)> BestHeights { get; set; } = () => (0, 0);

    /// <summary>Raised when a peer completed the handshake.</summary>
    public event Action<Peer>? PeerConnected;

    /// <summary>An address banned for misbehaviour: the address, until when, and why (the audit log).</summary>
    public event Action<IPAddress, DateTimeOffset, string>? PeerBanned;

    public IReadOnlyList<Peer> Peers => _peers.Values.OrderBy(p => p.Id).ToList();

    public IPEndPoint? ListenEndPoint => _listener?.LocalEndPoint as IPEndPoint;

    public IReadOnlyDictionary<IPAddress, DateTimeOffset> Banned =>
        _banned.Where(b => b.Value > _time.GetUtcNow()).ToDictionary(b => b.Key, b => b.Value);

    /// <summary>Routes <paramref name="command"/> to <paramref name="handler"/> (one handler per command).</summary>
    public void Register(string command, MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (NetworkCommands.All.Contains(command))
            throw new InvalidOperationException($"command '{command}' is the P2P layer's own");
        if (!_handlers.TryAdd(command, handler))
            throw new InvalidOperationException($"command '{command}' already has a handler");
    }

    public void Start()
    {
        if (_options.Listen is { } listen)
        {
            _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(listen);
            _listener.Listen(128);
            _loops.Add(Task.Run(AcceptLoopAsync));
            _logger.LogInformation("P2P listening on {Endpoint}", _listener.LocalEndPoint);
        }
        _loops.Add(Task.Run(MaintainLoopAsync));
    }

    /// <summary>addnode: keep a connection to <paramref name="endpoint"/> (add), stop doing so (remove), or connect once (onetry).</summary>
    public bool AddNode(IPEndPoint endpoint, string command)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        switch (command)
        {
            case "add":
                return _persistent.TryAdd(endpoint, true);
            case "remove":
                return _persistent.TryRemove(endpoint, out _);
            case "onetry":
                _ = ConnectAsync(endpoint);
                return true;
            default:
                throw new ArgumentException("command must be add, remove or onetry", nameof(command));
        }
    }

    public IReadOnlyCollection<IPEndPoint> AddedNodes => _persistent.Keys.ToList();

    /// <summary>Sends a message to one peer.</summary>
    public bool Send(Peer peer, string command, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return peer.Send(FrameHeader.Frame(_options.Magic.Span, command, payload));
    }

    /// <summary>Sends a message to every peer that completed the handshake (except <paramref name="except"/>).</summary>
    public int Broadcast(string command, ReadOnlySpan<byte> payload, Peer? except = null)
    {
        var frame = FrameHeader.Frame(_options.Magic.Span, command, payload);
        var sent = 0;
        foreach (var peer in _peers.Values)
        {
            if (peer.HandshakeComplete && peer != except && peer.Send(frame))
                sent++;
        }
        return sent;
    }

    /// <summary>Adds misbehaviour points; at the threshold the peer is disconnected and its address banned for the ban duration.</summary>
    public void Misbehaving(Peer peer, int points, string reason)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var score = peer.AddMisbehavior(points);
        _logger.LogWarning("Misbehaving {Peer}: {Reason} (+{Points}, score {Score})", peer, reason, points, score);
        // Ban once, when the score crosses the threshold: frames of a peer already cut off may still be
        // judged afterwards, and must not ban the address again after an operator's clearbanned.
        if (score < _options.BanThreshold || score - points >= _options.BanThreshold)
            return;
        var until = _time.GetUtcNow() + _options.BanDuration;
        _banned[peer.RemoteEndPoint.Address] = until;
        _logger.LogWarning("Banned {Address} until {Until:u}", peer.RemoteEndPoint.Address, until);
        PeerBanned?.Invoke(peer.RemoteEndPoint.Address, until, reason);
        peer.Close($"banned: {reason}");
    }

    public bool IsBanned(IPAddress address) => _banned.TryGetValue(address, out var until) && until > _time.GetUtcNow();

    public void ClearBanned() => _banned.Clear();

    private volatile bool _active = true;

    /// <summary>
    /// Whether the node talks to peers (bitcoind's setnetworkactive). Off closes every connection,
    /// refuses inbound ones and stops reconnecting; on resumes, persistent peers included.
    /// </summary>
    public bool Active
    {
        get => _active;
        set
        {
            _active = value;
            if (value)
                return;
            foreach (var peer in _peers.Values)
                peer.Close("network deactivated");
            _logger.LogInformation("P2P network deactivated");
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogDebug("Accept failed: {Error}", ex.SocketErrorCode);
                continue;
            }
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (!_active || IsBanned(remote.Address) || _peers.Values.Count(p => p.Inbound) >= _options.MaxInbound)
            {
                _logger.LogDebug("Refused inbound connection from {Remote}: {Why}", remote, !_active ? "network inactive" : IsBanned(remote.Address) ? "banned" : "inbound limit");
                socket.Dispose();
                continue;
            }
            StartPeer(socket, inbound: true);
        }
    }

    /// <summary>Keeps the persistent peers connected and pings and times out the connected ones.</summary>
    private async Task MaintainLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.ReconnectInterval, _time);
        try
        {
            do
            {
                foreach (var endpoint in _persistent.Keys)
                {
                    if (!_active)
                        break;
                    if (_peers.Values.Any(p => !p.Inbound && p.RemoteEndPoint.Equals(endpoint) || endpoint.Equals(p.ListenEndPoint)))
                        continue;
                    if (_peers.Values.Count(p => !p.Inbound) >= _options.MaxOutbound)
                        break;
                    _ = ConnectAsync(endpoint);
                }
                FillOutboundFromAddresses();
                var now = _time.GetUtcNow();
                foreach (var peer in _peers.Values)
                {
                    if (!peer.HandshakeComplete && now - peer.ConnectedAt > _options.HandshakeTimeout)
                        peer.Close("no handshake within the timeout");
                    else if (peer.HandshakeComplete && now - peer.LastReceive > _options.InactivityTimeout)
                        peer.Close("inactive");
                    else if (peer.HandshakeComplete && peer.PendingPingNonce == 0 && now - peer.LastReceive > _options.PingInterval / 2)
                        SendPing(peer);
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void SendPing(Peer peer)
    {
        var nonce = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) | 1;
        peer.PendingPingNonce = nonce;
        peer.PingSentAt = _time.GetTimestamp();
        Send(peer, NetworkCommands.Ping, BitConverter.GetBytes(nonce));
    }

    /// <summary>Opens an outbound connection; failures are logged, the maintenance loop retries persistent peers.</summary>
    public async Task<Peer?> ConnectAsync(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!_active || IsBanned(endpoint.Address))
            return null;
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            await socket.ConnectAsync(endpoint, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            _logger.LogDebug("Could not connect to {Endpoint}: {Error}", endpoint, ex.Message);
            return null;
        }
        return StartPeer(socket, inbound: false);
    }

    private Peer StartPeer(Socket socket, bool inbound)
    {
        socket.NoDelay = true;
        var peer = new Peer(Interlocked.Increment(ref _nextId), socket, inbound, _options.MaxSendQueue, _options.MaxSendQueueBytes, _time.GetUtcNow()) { LastReceive = _time.GetUtcNow() };
        _peers[peer.Id] = peer;
        _ = peer.Closed.ContinueWith(_ =>
        {
            _peers.TryRemove(peer.Id, out Peer? _);
            _logger.LogInformation("Disconnected {Peer}: {Reason}", peer, peer.CloseReason);
            peer.Dispose();
        }, TaskScheduler.Default);
        // Our version is queued before the read loop starts: answering the other side's version with a
        // verack first would put our verack ahead of our version on the wire, which the peer punishes.
        var (l1, l2) = BestHeights();
        var version = new VersionMessage(VersionMessage.CurrentProtocolVersion, _options.Services, _time.GetUtcNow().ToUnixTimeSeconds(), _localNonce,
            _options.UserAgent, l1, l2, (ushort)(ListenEndPoint?.Port ?? 0));
        Send(peer, NetworkCommands.Version, version.ToBytes());
        _ = Task.Run(peer.SendLoopAsync);
        _ = Task.Run(() => ReadLoopAsync(peer));
        _logger.LogDebug("Connected {Peer}", peer);
        return peer;
    }

    private async Task ReadLoopAsync(Peer peer)
    {
        var header = new byte[FrameHeader.Size];
        try
        {
            while (!peer.Stopping.IsCancellationRequested)
            {
                await ReadExactlyAsync(peer, header);
                if (FrameHeader.TryRead(header, _options.Magic.Span, _options.MaxPayloadBytes, out var error) is not { } frame)
                {
                    Misbehaving(peer, _options.BanThreshold, $"bad frame header: {error}");
                    peer.Close($"bad frame: {error}");
                    return;
                }
                var payload = new byte[frame.Length];
                await ReadExactlyAsync(peer, payload);
                if (FrameHeader.ChecksumOf(payload) != frame.Checksum)
                {
                    Misbehaving(peer, _options.BanThreshold, $"bad checksum on '{frame.Command}'");
                    peer.Close("bad checksum");
                    return;
                }
                peer.LastReceive = _time.GetUtcNow();
                await DispatchAsync(peer, frame.Command, payload);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            peer.Close(ex is EndOfStreamException ? "connection closed by peer" : "connection lost");
        }
    }

    private static async Task ReadExactlyAsync(Peer peer, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var count = await peer.Socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, peer.Stopping);
            if (count == 0)
                throw new EndOfStreamException();
            read += count;
            peer.CountReceived(count);
        }
    }

    private async Task DispatchAsync(Peer peer, string command, byte[] payload)
    {
        switch (command)
        {
            case NetworkCommands.Version:
                OnVersion(peer, payload);
                return;
            case NetworkCommands.Verack:
                if (peer.Version is null || payload.Length != 0)
                {
                    Misbehaving(peer, 10, "verack before version, or with a payload");
                    return;
                }
                peer.VerackReceived = true;
                CompleteHandshake(peer);
                return;
        }
        if (!peer.HandshakeComplete)
        {
            Misbehaving(peer, 10, $"'{command}' before the handshake");
            return;
        }
        switch (command)
        {
            case NetworkCommands.Ping when payload.Length == 8:
                Send(peer, NetworkCommands.Pong, payload);
                return;
            case NetworkCommands.Pong when payload.Length == 8:
                if (BinaryPrimitives.ReadUInt64LittleEndian(payload) == peer.PendingPingNonce && peer.PendingPingNonce != 0)
                {
                    peer.LastPingTime = _time.GetElapsedTime(peer.PingSentAt);
                    peer.PendingPingNonce = 0;
                }
                return;
            case NetworkCommands.Ping or NetworkCommands.Pong:
                Misbehaving(peer, 10, $"'{command}' without an 8-byte nonce");
                return;
            case NetworkCommands.GetAddr:
                OnGetAddr(peer);
                return;
            case NetworkCommands.Addr:
                OnAddr(peer, payload);
                return;
        }
        if (!_handlers.TryGetValue(command, out var handler))
        {
            // Unknown commands are ignored, as in Bitcoin: newer peers may speak more.
            _logger.LogDebug("Ignored unknown command '{Command}' from {Peer}", command, peer);
            return;
        }
        try
        {
            await handler(peer, payload);
        }
        catch (DecodeException ex)
        {
            Misbehaving(peer, 20, $"malformed '{command}': {ex.Message}");
        }
    }

    private void OnVersion(Peer peer, byte[] payload)
    {
        if (peer.Version is not null)
        {
            Misbehaving(peer, 1, "duplicate version");
            return;
        }
        VersionMessage version;
        try
        {
            version = VersionMessage.FromBytes(payload);
        }
        catch (DecodeException ex)
        {
            Misbehaving(peer, _options.BanThreshold, $"malformed version: {ex.Message}");
            return;
        }
        if (version.Nonce == _localNonce)
        {
            ForgetSelf(peer);
            peer.Close("connected to self");
            return;
        }
        if (version.ProtocolVersion < VersionMessage.CurrentProtocolVersion)
        {
            peer.Close($"obsolete protocol version {version.ProtocolVersion}");
            return;
        }
        // Checked and recorded under one lock: two connections of one pair handshaking at once must see each other.
        lock (_handshakeLock)
        {
            if (DuplicateOf(peer, version) is { } duplicate)
            {
                duplicate.Close("duplicate connection to the same node");
                if (duplicate == peer)
                    return;
            }
            peer.Version = version;
        }
        Send(peer, NetworkCommands.Verack, []);
        CompleteHandshake(peer);
    }

    /// <summary>
    /// Of two connections to one node (same version nonce: both dialled each other, or gossip found a
    /// peer already connected), the one to close. Both ends must pick the same: the connection opened
    /// by the node with the lower nonce stays.
    /// </summary>
    private Peer? DuplicateOf(Peer peer, VersionMessage version)
    {
        var existing = _peers.Values.FirstOrDefault(p => p != peer && p.Version?.Nonce == version.Nonce && p.CloseReason is null);
        if (existing is null)
            return null;
        var keepOutbound = _localNonce < version.Nonce;
        return existing.Inbound == peer.Inbound || existing.Inbound != keepOutbound ? peer : existing;
    }

    private void CompleteHandshake(Peer peer)
    {
        if (peer.HandshakeComplete || peer.Version is null || !peer.VerackReceived)
            return;
        peer.HandshakeComplete = true;
        _logger.LogInformation("Handshake with {Peer}: {Agent}, protocol {Protocol}, L1 {L1} L2 {L2}",
            peer, peer.Version.UserAgent, peer.Version.ProtocolVersion, peer.Version.BestL1Height, peer.Version.BestL2Height);
        OnHandshakeAddresses(peer);
        PeerConnected?.Invoke(peer);
    }

    /// <summary>Closes the listener and every connection and waits for the loops; later calls do nothing,
    /// because the host both stops the service and disposes the singleton.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        await _stop.CancelAsync();
        _listener?.Dispose();
        foreach (var peer in _peers.Values)
            peer.Close("shutting down");
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
            // The loops stop by cancellation.
        }
        _stop.Dispose();
    }
}
