using System.Collections.Concurrent;
using System.Net;
using Cascoin.L2.Primitives;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Network;

/// <summary>
/// Address gossip, as in Bitcoin: a peer's version names the port it listens on, so the node learns
/// its address on connect and passes it on (<c>addr</c> with one entry) to two other peers; an
/// outbound connection asks its peer for more (<c>getaddr</c>, answered once per connection with up to
/// 1,000). Free outbound slots are filled from the <see cref="Addresses"/> book unless -connect asked
/// for those peers only. A node started with one -addnode thereby reaches the rest of the network.
/// </summary>
public sealed partial class P2PNode
{
    private const int RelayFanout = 2;
    private const int MaxRelayedEntries = 10;

    /// <summary>Addresses a peer may have processed per second after its first full message (Bitcoin Core's rate): a peer cannot flood the book.</summary>
    private const double AddressTokensPerSecond = 0.1;

    private readonly ConcurrentDictionary<IPEndPoint, DateTimeOffset> _lastTried = new();
    private readonly ConcurrentDictionary<IPEndPoint, bool> _self = new();

    /// <summary>Addresses heard of through version and addr messages.</summary>
    public AddressBook Addresses { get; } = new();

    private long NowSeconds => _time.GetUtcNow().ToUnixTimeSeconds();

    private void OnHandshakeAddresses(Peer peer)
    {
        if (peer.Version!.ListenPort != 0)
        {
            var address = peer.RemoteEndPoint.Address;
            peer.ListenEndPoint = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, peer.Version.ListenPort);
            var entry = new NetworkAddress(peer.ListenEndPoint, peer.Version.Services, NowSeconds);
            if (Addresses.Add(entry))
                Relay([entry], peer);
        }
        if (!peer.Inbound)
            Send(peer, NetworkCommands.GetAddr, []);
    }

    private void OnGetAddr(Peer peer)
    {
        if (peer.AddressesSent)
            return; // one answer per connection: repeated requests would let a peer scrape the book cheaply
        peer.AddressesSent = true;
        var addresses = Addresses.Recent(AddressMessage.MaxEntries).Where(a => !a.EndPoint.Equals(peer.ListenEndPoint)).ToList();
        if (addresses.Count > 0)
            Send(peer, NetworkCommands.Addr, AddressMessage.Encode(addresses));
    }

    private void OnAddr(Peer peer, byte[] payload)
    {
        IReadOnlyList<NetworkAddress> addresses;
        try
        {
            addresses = AddressMessage.Decode(payload);
        }
        catch (DecodeException ex)
        {
            Misbehaving(peer, 20, $"malformed 'addr': {ex.Message}");
            return;
        }
        var now = NowSeconds;
        var fresh = new List<NetworkAddress>();
        RefillAddressTokens(peer);
        foreach (var address in addresses)
        {
            // Over its rate the rest is dropped, not scored: an honest peer may just be chatty.
            if (peer.AddressTokens < 1)
                break;
            peer.AddressTokens--;
            if (IsSelf(address.EndPoint) || IsBanned(address.EndPoint.Address))
                continue;
            // A time in the future is the sender's clock or a lie: it must not keep an address on top of the book.
            var heard = address with { LastSeen = Math.Min(address.LastSeen, now) };
            if (Addresses.Add(heard))
                fresh.Add(heard);
        }
        // Small messages are announcements worth spreading; large ones answer a getaddr.
        if (addresses.Count <= MaxRelayedEntries && fresh.Count > 0)
            Relay(fresh, peer);
    }

    private void RefillAddressTokens(Peer peer)
    {
        var now = _time.GetTimestamp();
        if (peer.AddressTokensAt != 0)
            peer.AddressTokens = Math.Min(AddressMessage.MaxEntries, peer.AddressTokens + _time.GetElapsedTime(peer.AddressTokensAt, now).TotalSeconds * AddressTokensPerSecond);
        peer.AddressTokensAt = now;
    }

    /// <summary>Passes addresses on to a few random peers other than the one they came from.</summary>
    private void Relay(IReadOnlyList<NetworkAddress> addresses, Peer from)
    {
        var payload = AddressMessage.Encode(addresses);
        var targets = _peers.Values.Where(p => p.HandshakeComplete && p != from && !addresses.Any(a => a.EndPoint.Equals(p.ListenEndPoint)))
            .OrderBy(_ => Random.Shared.Next()).Take(RelayFanout);
        foreach (var target in targets)
            Send(target, NetworkCommands.Addr, payload);
    }

    /// <summary>One new outbound connection per maintenance tick to a gossiped address not already connected or tried lately.</summary>
    private void FillOutboundFromAddresses()
    {
        if (!_options.AutomaticOutbound || !_active || _peers.Values.Count(p => !p.Inbound) >= _options.MaxOutbound)
            return;
        var now = _time.GetUtcNow();
        var connected = _peers.Values.SelectMany(p => new[] { p.RemoteEndPoint, p.ListenEndPoint }).OfType<IPEndPoint>().ToHashSet();
        foreach (var candidate in Addresses.Recent(AddressMessage.MaxEntries))
        {
            var endpoint = candidate.EndPoint;
            if (connected.Contains(endpoint) || _persistent.ContainsKey(endpoint) || IsSelf(endpoint) || IsBanned(endpoint.Address)
                || _lastTried.TryGetValue(endpoint, out var tried) && now - tried < _options.AddressRetryInterval)
                continue;
            _lastTried[endpoint] = now;
            _logger.LogDebug("Connecting to gossiped address {Endpoint}", endpoint);
            _ = ConnectAsync(endpoint);
            return;
        }
    }

    /// <summary>This node's own listening address: dialled back by nonce (<see cref="ForgetSelf"/>), or its port on a loopback or the bound address.</summary>
    private bool IsSelf(IPEndPoint endpoint) =>
        _self.ContainsKey(endpoint)
        || ListenEndPoint is { } listen && endpoint.Port == listen.Port && (IPAddress.IsLoopback(endpoint.Address) || endpoint.Address.Equals(listen.Address));

    /// <summary>An outbound connection reached this very node (its nonce came back): never dial that address again.</summary>
    private void ForgetSelf(Peer peer)
    {
        if (peer.Inbound)
            return;
        _self[peer.RemoteEndPoint] = true;
        Addresses.Remove(peer.RemoteEndPoint);
    }
}
