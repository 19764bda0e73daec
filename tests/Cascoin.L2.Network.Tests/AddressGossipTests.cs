using System.Net;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Network.Tests;

/// <summary>addr gossip: nodes that know one peer find the others; bad addr messages score the sender.</summary>
public sealed class AddressGossipTests
{
    private static bool Linked(P2PNode a, P2PNode b) =>
        a.Peers.Any(p => p.HandshakeComplete && b.ListenEndPoint!.Equals(p.ListenEndPoint))
        || b.Peers.Any(p => p.HandshakeComplete && a.ListenEndPoint!.Equals(p.ListenEndPoint));

    [Fact]
    public async Task Two_nodes_that_only_know_a_third_learn_of_each_other_and_connect()
    {
        await using var hub = LoopbackNodes.Start();
        await using var b = LoopbackNodes.Start(o => o with { Persistent = [hub.ListenEndPoint!] });
        await using var c = LoopbackNodes.Start(o => o with { Persistent = [hub.ListenEndPoint!] });

        await LoopbackNodes.Eventually(() => Linked(b, c), "b and c connect through addresses the hub passed on");

        Assert.Contains(b.Addresses.Recent(10), a => a.EndPoint.Equals(c.ListenEndPoint));
        Assert.Contains(c.Addresses.Recent(10), a => a.EndPoint.Equals(b.ListenEndPoint));
        // Nobody dials itself or doubles a link: one connection per pair.
        Assert.All(new[] { hub, b, c }, node => Assert.Equal(2, node.Peers.Count(p => p.HandshakeComplete)));
    }

    [Fact]
    public async Task Without_automatic_outbound_learnt_addresses_are_kept_but_not_dialled()
    {
        await using var hub = LoopbackNodes.Start();
        await using var b = LoopbackNodes.Start(o => o with { Persistent = [hub.ListenEndPoint!], AutomaticOutbound = false });
        await using var c = LoopbackNodes.Start(o => o with { Persistent = [hub.ListenEndPoint!], AutomaticOutbound = false });

        await LoopbackNodes.Eventually(() => b.Addresses.Recent(10).Any(a => a.EndPoint.Equals(c.ListenEndPoint))
            || c.Addresses.Recent(10).Any(a => a.EndPoint.Equals(b.ListenEndPoint)), "one of them hears of the other");
        // Ten maintenance ticks: still only the -connect peer.
        await Task.Delay(1000);
        Assert.False(Linked(b, c));
        Assert.Single(b.Peers);
        Assert.Single(c.Peers);
    }

    [Theory]
    [InlineData("too many entries")]
    [InlineData("port zero")]
    [InlineData("truncated")]
    public async Task A_bad_addr_message_scores_its_sender_and_the_connection_survives(string kind)
    {
        await using var a = LoopbackNodes.Start();
        await using var b = LoopbackNodes.Start();
        var peer = await a.ConnectAsync(b.ListenEndPoint!);
        await LoopbackNodes.Eventually(() => peer!.HandshakeComplete && b.Peers.Any(p => p.HandshakeComplete), "handshake");
        var entry = new NetworkAddress(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 9), NodeServices.L2, 1);
        var payload = kind switch
        {
            // CompactSize 1001, then 1001 well-formed entries' worth of bytes.
            "too many entries" => [0xfd, 0xe9, 0x03, .. new byte[34 * 1001]],
            "port zero" => AddressMessage.Encode([entry with { EndPoint = new IPEndPoint(entry.EndPoint.Address, 0) }]),
            _ => AddressMessage.Encode([entry])[..^1],
        };

        a.Send(peer!, "addr", payload);

        await LoopbackNodes.Eventually(() => b.Peers.Single().Misbehavior == 20, "scored for a bad addr");
        Assert.True(peer!.HandshakeComplete);
        Assert.DoesNotContain(b.Addresses.Recent(100), x => x.EndPoint.Address.Equals(entry.EndPoint.Address));
    }

    [Fact]
    public async Task A_peer_cannot_flood_the_address_book_past_its_rate()
    {
        await using var a = LoopbackNodes.Start();
        await using var b = LoopbackNodes.Start();
        // A peer's messages are handled in order: this marker arrives after the addr before it was processed.
        var marker = new TaskCompletionSource();
        b.Register("l2tx", (_, _) =>
        {
            marker.TrySetResult();
            return Task.CompletedTask;
        });
        var peer = await a.ConnectAsync(b.ListenEndPoint!);
        await LoopbackNodes.Eventually(() => peer!.HandshakeComplete && b.Peers.Any(p => p.HandshakeComplete), "handshake");
        static List<NetworkAddress> Batch(byte network) => Enumerable.Range(0, AddressMessage.MaxEntries)
            .Select(i => new NetworkAddress(new IPEndPoint(new IPAddress([10, network, (byte)(i >> 8), (byte)i]), 9), NodeServices.L2, 1)).ToList();
        int Flooded() => b.Addresses.Recent(10_000).Count(x => x.EndPoint.Address.GetAddressBytes()[0] == 10);

        a.Send(peer!, "addr", AddressMessage.Encode(Batch(1)));
        await LoopbackNodes.Eventually(() => Flooded() == AddressMessage.MaxEntries, "the first full message is taken");
        a.Send(peer!, "addr", AddressMessage.Encode(Batch(2)));
        a.Send(peer!, "l2tx", [1]);
        await marker.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // 0.1 address a second after the first thousand: the second thousand is dropped, and not held against the peer.
        Assert.InRange(Flooded(), AddressMessage.MaxEntries, AddressMessage.MaxEntries + 1);
        Assert.Equal(0, b.Peers.Single().Misbehavior);
    }

    [Property(MaxTest = 100)]
    public void An_addr_payload_decodes_to_what_was_encoded(int seed)
    {
        var random = new Random(seed);
        var addresses = Enumerable.Range(0, random.Next(0, 30)).Select(_ =>
        {
            var bytes = new byte[random.Next(2) == 0 ? 4 : 16];
            random.NextBytes(bytes);
            var ip = new IPAddress(bytes);
            return new NetworkAddress(new IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, random.Next(1, 65536)),
                (NodeServices)random.Next(0, 4), random.NextInt64(0, long.MaxValue));
        }).ToList();

        var decoded = AddressMessage.Decode(AddressMessage.Encode(addresses));

        Assert.Equal(addresses, decoded);
    }

    [Fact]
    public void A_full_book_forgets_the_address_heard_of_longest_ago()
    {
        var book = new AddressBook(capacity: 3);
        NetworkAddress At(int port, long seen) => new(new IPEndPoint(IPAddress.Loopback, port), NodeServices.L2, seen);

        Assert.True(book.Add(At(1, 10)));
        Assert.True(book.Add(At(2, 5)));
        Assert.True(book.Add(At(3, 20)));
        Assert.False(book.Add(At(2, 30))); // a refresh, not news
        Assert.True(book.Add(At(4, 15)));

        Assert.Equal([2, 3, 4], book.Recent(10).Select(a => a.EndPoint.Port));
        Assert.Equal(3, book.Count);
    }
}
