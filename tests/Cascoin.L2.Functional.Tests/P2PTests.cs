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
}
