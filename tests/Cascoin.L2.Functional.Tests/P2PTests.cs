using System.Net;
using System.Net.Sockets;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>Real cascoind processes connected over their P2P ports on loopback.</summary>
public sealed class P2PTests
{
    [Fact]
    public async Task Nodes_connect_with_addnode_and_a_peer_sending_garbage_is_banned()
    {
        using var dir = TestDirectory.Create("p2p");
        await using var a = new TestNode(Path.Combine(dir.Path, "a"));
        await a.StartAsync();
        await using var b = new TestNode(Path.Combine(dir.Path, "b"), [$"-addnode=127.0.0.1:{a.P2PPort}"]);
        await b.StartAsync();

        var peers = await TestWait.UntilAsync(() => CliCalls.JsonAsync(a, "getpeerinfo"), p => p.GetArrayLength() == 1 && p[0].GetProperty("handshake").GetBoolean(), "b connects to a");
        Assert.True(peers[0].GetProperty("inbound").GetBoolean());
        Assert.StartsWith("/cascoind:", peers[0].GetProperty("subver").GetString(), StringComparison.Ordinal);
        var info = await CliCalls.JsonAsync(b, "getnetworkinfo");
        Assert.True(info.GetProperty("networkactive").GetBoolean());
        Assert.Equal(1, info.GetProperty("connections_out").GetInt32());
        var added = await b.CliAsync("addnode", $"127.0.0.1:{a.P2PPort}", "add");
        Assert.Contains("error code: -23", added.Stderr, StringComparison.Ordinal);

        // A client that speaks garbage (wrong magic) is dropped and its address banned.
        using (var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await attacker.ConnectAsync(new IPEndPoint(IPAddress.Loopback, a.P2PPort));
            await attacker.SendAsync(new byte[24]);
            var buffer = new byte[256];
            // The node first sends its version; then it closes the connection.
            while (await attacker.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(20)) > 0)
            {
            }
        }
        var banned = await TestWait.UntilAsync(() => CliCalls.JsonAsync(a, "listbanned"), l => l.GetArrayLength() == 1, "the attacker is banned");
        Assert.Equal("127.0.0.1", banned[0].GetProperty("address").GetString());
        // The ban refuses new connections from the address; b's established connection keeps going.
        var after = await CliCalls.JsonAsync(a, "getpeerinfo");
        Assert.Equal(1, after.GetArrayLength());
        Assert.True(after[0].GetProperty("handshake").GetBoolean());
        Assert.Equal(0, (await a.CliAsync("clearbanned")).ExitCode);
        Assert.Equal(0, (await CliCalls.JsonAsync(a, "listbanned")).GetArrayLength());
        dir.Succeeded();
    }

    /// <summary>Two nodes given only a third (-addnode) find each other through addr gossip; -connect keeps a node to its peers only.</summary>
    [Fact]
    public async Task Nodes_that_know_one_peer_find_the_others_by_addr_gossip()
    {
        using var dir = TestDirectory.Create("addr");
        await using var hub = new TestNode(Path.Combine(dir.Path, "hub"));
        await hub.StartAsync();
        await using var b = new TestNode(Path.Combine(dir.Path, "b"), [$"-addnode=127.0.0.1:{hub.P2PPort}"]);
        await b.StartAsync();
        await using var c = new TestNode(Path.Combine(dir.Path, "c"), [$"-addnode=127.0.0.1:{hub.P2PPort}"]);
        await c.StartAsync();
        await using var only = new TestNode(Path.Combine(dir.Path, "only"), [$"-connect=127.0.0.1:{hub.P2PPort}"]);
        await only.StartAsync();

        // The maintenance loop fills one outbound slot every 2 s from the addresses it learnt.
        // A connection just dialled is listed before its handshake ends: wait for three that finished it.
        var peers = await TestWait.UntilAsync(() => CliCalls.JsonAsync(b, "getpeerinfo"),
            p => p.GetArrayLength() >= 3 && p.EnumerateArray().All(peer => peer.GetProperty("handshake").GetBoolean()), "b connects to c and the -connect node too",
            TimeSpan.FromSeconds(40));
        Assert.All(peers.EnumerateArray(), p => Assert.True(p.GetProperty("handshake").GetBoolean()));
        var known = await CliCalls.JsonAsync(b, "getnodeaddresses", "0");
        Assert.Contains(known.EnumerateArray(), a => a.GetProperty("port").GetInt32() == c.P2PPort && a.GetProperty("address").GetString() == "127.0.0.1");
        Assert.Contains("error code: -8", (await b.CliAsync("getnodeaddresses", "-1")).Stderr, StringComparison.Ordinal);

        // -connect: only the hub, whatever it hears (others may dial in).
        var outbound = (await CliCalls.JsonAsync(only, "getpeerinfo")).EnumerateArray().Where(p => !p.GetProperty("inbound").GetBoolean()).ToList();
        Assert.Equal($"127.0.0.1:{hub.P2PPort}", Assert.Single(outbound).GetProperty("addr").GetString());
        dir.Succeeded();
    }
}
