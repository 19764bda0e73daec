using System.Net;
using System.Net.Sockets;
using Cascoin.L2.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Network.Tests;

/// <summary>Two (or three) real P2P nodes on loopback sockets.</summary>
public sealed class P2PNodeTests
{
    private static P2PNode NewNode(Func<P2POptions, P2POptions>? adjust = null) => LoopbackNodes.Start(adjust);

    private static Task Eventually(Func<bool> condition, string what) => LoopbackNodes.Eventually(condition, what);

    [Fact]
    public async Task Two_nodes_shake_hands_exchange_messages_and_measure_ping()
    {
        await using var a = NewNode();
        await using var b = NewNode();
        a.BestHeights = () => (7, 42);
        var received = new TaskCompletionSource<byte[]>();
        b.Register("l2tx", (_, payload) =>
        {
            received.TrySetResult(payload);
            return Task.CompletedTask;
        });
        var peer = await a.ConnectAsync(b.ListenEndPoint!);
        Assert.NotNull(peer);
        await Eventually(() => peer.HandshakeComplete && b.Peers.Any(p => p.HandshakeComplete), "handshake");
        var inbound = b.Peers.Single();
        Assert.True(inbound.Inbound);
        Assert.Equal(42UL, inbound.Version!.BestL2Height);
        Assert.Equal(7UL, inbound.Version.BestL1Height);
        Assert.Equal(1, a.Broadcast("l2tx", [9, 8, 7]));
        Assert.Equal(new byte[] { 9, 8, 7 }, await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await Eventually(() => peer.LastPingTime is not null, "a ping answered");
        Assert.True(peer.BytesSent > 0 && peer.BytesReceived > 0);
    }

    [Theory]
    [InlineData("wrong magic")]
    [InlineData("oversized")]
    [InlineData("bad checksum")]
    public async Task A_peer_sending_bad_frames_is_disconnected_and_banned(string kind)
    {
        await using var node = NewNode();
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await attacker.ConnectAsync(node.ListenEndPoint!);
        await Eventually(() => node.Peers.Count == 1, "the connection is seen");
        var frame = FrameHeader.Frame(LoopbackNodes.Magic, "ping", new byte[8]);
        switch (kind)
        {
            case "wrong magic":
                frame[0] ^= 0xff;
                break;
            case "oversized":
                BitConverter.GetBytes(uint.MaxValue).CopyTo(frame, 16);
                break;
            default:
                frame[^1] ^= 0xff;
                break;
        }
        await attacker.SendAsync(frame);
        await Eventually(() => node.Peers.Count == 0, "the peer is dropped");
        Assert.True(node.IsBanned(IPAddress.Loopback));
        // A banned address is refused at once.
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await again.ConnectAsync(node.ListenEndPoint!);
        var buffer = new byte[1];
        Assert.Equal(0, await again.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10)));
        node.ClearBanned();
        Assert.False(node.IsBanned(IPAddress.Loopback));
    }

    [Fact]
    public async Task A_peer_is_banned_once_so_its_late_frames_do_not_ban_the_address_again_after_clearbanned()
    {
        await using var node = NewNode();
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await attacker.ConnectAsync(node.ListenEndPoint!);
        await Eventually(() => node.Peers.Count == 1, "the connection is seen");
        var peer = node.Peers.Single();
        node.Misbehaving(peer, 100, "flood");
        Assert.True(node.IsBanned(IPAddress.Loopback));
        Assert.NotNull(peer.CloseReason);
        node.ClearBanned();
        // Frames read before the close are judged after it (a consensus queue, say): more points, no new ban.
        node.Misbehaving(peer, 5, "late vote");
        Assert.False(node.IsBanned(IPAddress.Loopback));
    }

    [Fact]
    public async Task Messages_before_the_handshake_and_malformed_payloads_score_the_peer()
    {
        await using var a = NewNode();
        await using var b = NewNode();
        b.Register("l2tx", (_, _) => throw new DecodeException("not a transaction"));
        var peer = await a.ConnectAsync(b.ListenEndPoint!);
        await Eventually(() => peer!.HandshakeComplete && b.Peers.Any(p => p.HandshakeComplete), "handshake");
        a.Send(peer!, "l2tx", [1]);
        await Eventually(() => b.Peers.Single().Misbehavior == 20, "scored for a malformed payload");
        Assert.True(peer!.HandshakeComplete);
    }

    [Fact]
    public async Task A_persistent_peer_is_reconnected_after_it_drops()
    {
        await using var b = NewNode();
        await using var a = NewNode(o => o with { Persistent = [b.ListenEndPoint!] });
        await Eventually(() => a.Peers.Any(p => p.HandshakeComplete), "first connection");
        a.Peers.Single().Close("test drop");
        // One snapshot per check: the dropped peer leaves the table while the new one joins it.
        await Eventually(() => a.Peers is [{ HandshakeComplete: true, CloseReason: null }], "reconnected");
        Assert.True(a.AddNode(b.ListenEndPoint!, "remove"));
        Assert.Empty(a.AddedNodes);
    }

    [Fact]
    public async Task The_inbound_limit_refuses_extra_connections_and_self_connections_close()
    {
        await using var node = NewNode(o => o with { MaxInbound = 1 });
        await using var first = NewNode();
        await using var second = NewNode();
        var one = await first.ConnectAsync(node.ListenEndPoint!);
        await Eventually(() => one!.HandshakeComplete, "first handshake");
        var two = await second.ConnectAsync(node.ListenEndPoint!);
        await Eventually(() => two is null || two.CloseReason is not null, "second refused");
        Assert.Single(node.Peers);
        var self = await node.ConnectAsync(node.ListenEndPoint!);
        await Eventually(() => self is null || self.CloseReason is not null, "self connection closed");
    }
}
