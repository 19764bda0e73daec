using System.Net.Sockets;

namespace Cascoin.L2.Network.Tests;

/// <summary>A peer that asks and never reads (issue 11): what waits for it is bounded in bytes, not just in frames.</summary>
public sealed class SendQueueTests
{
    [Fact]
    public async Task A_peer_that_never_reads_is_disconnected_once_its_queue_passes_the_byte_limit()
    {
        const long limit = 4L * 1024 * 1024;
        await using var node = LoopbackNodes.Start(o => o with { MaxSendQueueBytes = limit });
        var reply = new byte[256 * 1024];
        long largestQueue = 0;
        // A small request, a large answer: the shape of l2getblocks → l2blocks.
        node.Register("getbig", (peer, _) =>
        {
            node.Send(peer, "big", reply);
            largestQueue = Math.Max(largestQueue, peer.QueuedBytes);
            return Task.CompletedTask;
        });
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await attacker.ConnectAsync(node.ListenEndPoint!);
        var version = new VersionMessage(VersionMessage.CurrentProtocolVersion, NodeServices.L2, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 12345, "/attacker/", 0, 0, 0);
        await attacker.SendAsync(FrameHeader.Frame(LoopbackNodes.Magic, "version", version.ToBytes()));
        await attacker.SendAsync(FrameHeader.Frame(LoopbackNodes.Magic, "verack", []));
        await LoopbackNodes.Eventually(() => node.Peers.Any(p => p.HandshakeComplete), "the attacker's handshake");
        var victim = node.Peers.Single();

        // 400 requests would queue 100 MB of answers; the attacker reads none of them.
        var request = FrameHeader.Frame(LoopbackNodes.Magic, "getbig", []);
        for (var i = 0; i < 400 && victim.CloseReason is null; i++)
        {
            try
            {
                await attacker.SendAsync(request);
            }
            catch (SocketException)
            {
                break; // already cut off
            }
        }

        await LoopbackNodes.Eventually(() => victim.CloseReason is not null, "the peer that does not read is disconnected");
        Assert.Contains("send queue full", victim.CloseReason, StringComparison.Ordinal);
        Assert.True(largestQueue <= limit, $"at most {limit} bytes waited for the peer, saw {largestQueue}");
        // The node forgets a closed peer once its loops have seen the close, a moment after CloseReason is set.
        await LoopbackNodes.Eventually(() => node.Peers.Count == 0, "the closed peer is forgotten");
    }
}
