using System.Globalization;
using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>A second node that rebuilds the L2 from the settlement chain alone (issue 13, -l2sync=l1).</summary>
public sealed partial class SettlementStoryTests
{
    /// <summary>
    /// Starts a node with an empty data directory and -l2sync=l1 that reaches this node only for the
    /// settlement chain; it must derive every anchored block — same hashes, same state roots — and not
    /// one block more, although this node is ahead and would serve them.
    /// </summary>
    private async Task DerivedNodeReachesTheAnchoredRootsAsync(string pump)
    {
        // This node runs ahead of its last anchor: blocks the derived node must not take from it.
        await TransferAsync(pump, pump, "0.00000001");
        var info = await ChainInfoAsync();
        var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
        var anchors = info.GetProperty("anchors").GetUInt64();
        Assert.True(await L2HeadAsync() > anchored);

        using var directory = TestDirectory.Create("derived-node");
        await using var derived = new TestNode(directory.Path, [$"-l2chainid={Text(_chainId)}", "-l2sync=l1", $"-addnode=127.0.0.1:{Node.P2PPort}"]);
        await derived.StartAsync();
        // The node first syncs the settlement chain (the L2 chain is not on its empty L1 yet), then restarts its host on the chain: RPC is briefly away.
        ProgramResult? failed = null;
        JsonElement synced;
        try
        {
            synced = (await TestWait.UntilAsync(async () => await derived.CliAsync("getblockchaininfo") is var result && result.ExitCode == 0 ? JsonDocument.Parse(result.Stdout).RootElement.Clone() : Failed(result),
                i => i is { } info && info.GetProperty("l2").GetProperty("blocks").GetInt64() == (long)anchored && info.GetProperty("verificationprogress").GetDouble() == 1.0,
                $"the derived node re-executes L2 blocks 1..{anchored} from {anchors} batches on L1", TimeSpan.FromSeconds(90)))!.Value;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nlast failed call: {failed}\n{derived.Describe()}", ex);
        }
        JsonElement? Failed(ProgramResult result)
        {
            failed = result;
            return null;
        }
        Assert.Equal("l1", synced.GetProperty("l2").GetProperty("sync").GetString());
        Assert.Equal(JsonValueKind.Null, synced.GetProperty("l2").GetProperty("derivationhalted").ValueKind);
        Assert.False(synced.GetProperty("initialblockdownload").GetBoolean());
        for (ulong n = 1; n <= anchored; n++)
        {
            var own = await CliJsonAsync("l2_getblockbynumber", Text(n));
            var rebuilt = await CliCalls.JsonAsync(derived, "l2_getblockbynumber", Text(n));
            Assert.Equal(own.GetProperty("hash").GetString(), rebuilt.GetProperty("hash").GetString());
            Assert.Equal(own.GetProperty("stateroot").GetString(), rebuilt.GetProperty("stateroot").GetString());
        }
        Assert.Equal(1.0, (await CliCalls.JsonAsync(derived, "l2_getchaininfo")).GetProperty("verificationprogress").GetDouble());
        // This node is ahead and connected; the derived node still ends at the last anchor.
        Assert.Equal(anchored, (await CliCalls.JsonAsync(derived, "l2_blocknumber")).GetUInt64());
        await ShardsAreServedAndSampledAsync(derived);
        output.WriteLine($"a node with -l2sync=l1 re-executed L2 blocks 1..{anchored} from {anchors} batches on L1 to the same hashes and roots; this node's head is {await L2HeadAsync()}");
        directory.Succeeded();
    }

    /// <summary>
    /// A node that follows its peers (-l2sync=p2p) but whose only peer does not serve this chain's L2
    /// blocks (it runs another chain, and relays the settlement chain; -listen=0 keeps this node from
    /// dialling the follower once it hears of it): after a few seconds without a
    /// new block while anchors cover more, it derives the anchored blocks from L1.
    /// </summary>
    private async Task FollowerFallsBackToL1Async()
    {
        var info = await ChainInfoAsync();
        var anchored = info.GetProperty("lastanchoredblock").GetUInt64();
        using var directory = TestDirectory.Create("fallback-node");
        await using var relay = new TestNode(Path.Combine(directory.Path, "relay"), [$"-connect=127.0.0.1:{Node.P2PPort}"]);
        await relay.StartAsync();
        await using var follower = new TestNode(Path.Combine(directory.Path, "follower"), [$"-l2chainid={Text(_chainId)}", $"-connect=127.0.0.1:{relay.P2PPort}", "-listen=0"]);
        await follower.StartAsync();
        var head = await TestWait.UntilAsync(async () => await follower.CliAsync("l2_blocknumber") is { ExitCode: 0 } result ? ulong.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture) : 0UL,
            number => number >= anchored, $"the follower derives L2 blocks 1..{anchored} that no peer serves", TimeSpan.FromSeconds(60));
        Assert.Equal((await CliJsonAsync("l2_getblockbynumber", Text(anchored))).GetProperty("hash").GetString(),
            (await CliCalls.JsonAsync(follower, "l2_getblockbynumber", Text(anchored))).GetProperty("hash").GetString());
        Assert.Equal("p2p", (await CliCalls.JsonAsync(follower, "getblockchaininfo")).GetProperty("l2").GetProperty("sync").GetString());
        Assert.Contains("are anchored on L1 but no peer has served them", await File.ReadAllTextAsync(Path.Combine(directory.Path, "follower", "regtest", "debug.log")), StringComparison.Ordinal);
        output.WriteLine($"a follower whose peer withholds this chain's blocks derived L2 blocks 1..{head} from L1");
        directory.Succeeded();
    }

    /// <summary>l2_getshard gives a shard whose proof verifies against the anchored DA root; the derived node samples this node's shards over P2P.</summary>
    private async Task ShardsAreServedAndSampledAsync(TestNode derived)
    {
        var batch = await CliJsonAsync("l2_getbatch", Text(_chainId), "0");
        var commitment = new Cascoin.L2.DataAvailability.Commitments.ShardCommitment(Hash(batch.GetProperty("dacommitment").GetString()!), batch.GetProperty("compressedbytes").GetInt32());
        var total = batch.GetProperty("datashards").GetInt32() + batch.GetProperty("parityshards").GetInt32();
        foreach (var index in new[] { 0, total - 1 })
        {
            var shard = await CliJsonAsync("l2_getshard", Text(_chainId), "0", Text((ulong)index));
            var proof = new Cascoin.L2.DataAvailability.Commitments.ShardProof(index, Convert.FromHexString(shard.GetProperty("shard").GetString()!),
                shard.GetProperty("proof").EnumerateArray().Select(p => Hash(p.GetString()!)).ToList());
            Assert.True(commitment.Verifies(proof), $"shard {index} verifies against the anchored DA commitment");
        }
        await CliFailsAsync(-8, $"batch 0 has shards 0..{total - 1}", "l2_getshard", Text(_chainId), "0", Text((ulong)total));

        var samples = Math.Min(16, total);
        var report = await CliCalls.JsonAsync(derived, "l2_sampleavailability", Text(_chainId), "0", Text((ulong)samples));
        Assert.Equal((samples, samples, 0, 0), (report.GetProperty("samples").GetInt32(), report.GetProperty("good").GetInt32(), report.GetProperty("bad").GetInt32(),
            report.GetProperty("missing").GetInt32()));
        Assert.Equal(1 - Math.Pow(2, -samples), report.GetProperty("confidence").GetDouble(), 6);
        output.WriteLine($"sampled {samples} of {total} shards of batch 0 from a peer: all good, confidence {report.GetProperty("confidence").GetDouble()}");
    }

    private static Cascoin.L2.Primitives.Hash256 Hash(string hex) => new(Convert.FromHexString(hex));
}
