using System.Net;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Crypto;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Relay;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>Hostile participants played from outside the honest nodes, over a raw P2P connection.</summary>
public sealed partial class SequencerNetworkTests
{
    /// <summary>
    /// The attack of issue 11: the deployer — the whole sequencer set at the deployment's L1 height —
    /// seals an empty block on the head that names that L1 height (so its quorum would be the deployer
    /// alone) and sends it to the full node from a raw P2P connection. The full node refuses it: the
    /// anchor goes back, and the height's set (from its parent's L1 epoch) is all four sequencers. The
    /// chain goes on without it.
    /// </summary>
    private async Task OldMajorityBlockRefusedAsync()
    {
        var follower = Node(Sequencers);
        var chainId = ulong.Parse(_chainId, System.Globalization.CultureInfo.InvariantCulture);
        var wif = await Cli(Node(0), "dumpprivkey", _sequencerAddresses[0]);
        Assert.True(Wif.TryDecode(wif, NetworkParameters.Regtest, out var secret, out _));
        using var deployer = PrivateKey.FromBytes(secret)!;
        var deployHeight = (await Json(follower, "l2_getchaininfo", _chainId)).GetProperty("deployheight").GetUInt64();
        var deployHash = Hash256.Parse(await Cli(follower, "getblockhash", Text((long)deployHeight)));

        await using var attacker = new P2PNode(new P2POptions { Magic = NetworkParameters.Regtest.MessageStart.ToArray(), Listen = null }, TimeProvider.System, NullLogger<P2PNode>.Instance);
        attacker.Start();
        var peer = await attacker.ConnectAsync(new IPEndPoint(IPAddress.Loopback, follower.P2PPort));
        Assert.NotNull(peer);
        await TestWait.UntilAsync(() => Task.FromResult(peer.HandshakeComplete), done => done, "the attacker's handshake");

        // The chain moves on while the block travels: build it on the follower's head until it meets that head.
        // Every block sent stays a candidate: on a busy machine the follower may judge it (and log it) after the next attempt began.
        Block? refused = null;
        ulong parentAnchor = 0;
        var sent = new List<(Block Block, ulong ParentAnchor)>();
        for (var attempt = 0; attempt < 40 && refused is null; attempt++)
        {
            var head = await L2Block(follower, await L2Height(follower));
            parentAnchor = head.GetProperty("l1anchorheight").GetUInt64();
            Assert.True(parentAnchor > deployHeight, "the head names a later L1 block than the deployment");
            var header = new BlockHeader(
                head.GetProperty("number").GetUInt64() + 1, Hash256.Parse(head.GetProperty("hash").GetString()!), Hash256.FromHex(head.GetProperty("stateroot").GetString()!),
                MerkleRoot.Compute([]), MerkleRoot.Compute([]), Hash256.Zero, Address.FromPublicKey(deployer.PublicKey.AsSpan()),
                head.GetProperty("timestamp").GetUInt64() + 1, head.GetProperty("gaslimit").GetUInt64(), 0,
                FeeMarket.NextBaseFee(head.GetProperty("basefeepergas").GetUInt64(), head.GetProperty("gasused").GetUInt64(), head.GetProperty("gaslimit").GetUInt64(), 1),
                deployHeight, deployHash);
            var forged = new Block(header, [], [Block.Seal(chainId, header, deployer)]);
            Assert.True(attacker.Send(peer, L2RelayMessages.Block, L2RelayMessages.EncodeBlock(chainId, forged)));
            sent.Add((forged, parentAnchor));
            await Task.Delay(300);
            var log = File.ReadAllLines(follower.DebugLog);
            foreach (var (candidate, anchor) in sent)
            {
                if (log.Any(line => line.Contains($"{candidate.Hash} from", StringComparison.Ordinal) && line.Contains("not imported", StringComparison.Ordinal)))
                    (refused, parentAnchor) = (candidate, anchor);
            }
        }
        Assert.NotNull(refused);
        var height = await L2ConvergedAsync(refused.Number + 2);
        Assert.NotEqual(refused.Hash.ToString(), (await L2Block(follower, refused.Number)).GetProperty("hash").GetString());
        output.WriteLine($"forged block {refused.Hash} (L1 anchor {deployHeight} below the parent's {parentAnchor}) refused; the chain went on to {height}");
    }

    /// <summary>
    /// A peer that is not a sequencer floods the full node with votes in its own name and with
    /// announcements of itself. Votes from outside the height's set are dropped before any signature
    /// recovery and cost 5 points each; announcements past the flood limit cost 1 each; the flooder
    /// is banned, and the chain goes on.
    /// </summary>
    private async Task NonSequencerFloodBannedAsync()
    {
        var target = Node(Sequencers);
        var chainId = ulong.Parse(_chainId, System.Globalization.CultureInfo.InvariantCulture);
        using var outsider = PrivateKey.FromBytes(System.Security.Cryptography.SHA256.HashData("not a sequencer"u8))!;
        var outsiderAddress = Address.FromPublicKey(outsider.PublicKey.AsSpan());
        foreach (var flood in new[] { "votes", "announcements" })
        {
            await Cli(target, "clearbanned");
            await using var attacker = new P2PNode(new P2POptions { Magic = NetworkParameters.Regtest.MessageStart.ToArray(), Listen = null }, TimeProvider.System, NullLogger<P2PNode>.Instance);
            attacker.Start();
            var peer = await attacker.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target.P2PPort));
            Assert.NotNull(peer);
            await TestWait.UntilAsync(() => Task.FromResult(peer.HandshakeComplete), done => done, "the flooder's handshake");
            // Votes for the height being decided and the two after it: the head may move while they
            // travel, and a vote for a height already decided is dropped unjudged, while one for a later
            // height is kept and judged when the node gets there.
            var height = await L2Height(target) + 1;
            for (var i = 0; i < 2_000 && peer.CloseReason is null; i++)
            {
                if (flood == "votes")
                {
                    var vote = SignedVote.Sign(chainId, height + (ulong)(i % 3), i % 5, VoteStep.Prevote, Hash256.Zero, outsider);
                    attacker.Send(peer, "l2vote", new Sequencing.Consensus.VoteMessage(outsiderAddress, vote).ToBytes());
                }
                else
                {
                    var announcement = Sequencing.Discovery.SequencerAnnouncement.Sign(chainId, outsider, "127.0.0.1:1", Amount.FromCas(1_000), 100, 0,
                        (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
                    attacker.Send(peer, "seqannounce", announcement.ToBytes());
                }
            }
            await TestWait.UntilAsync(() => Task.FromResult(peer.CloseReason), reason => reason is not null, $"the {flood} flooder is disconnected");
            await TestWait.UntilAsync(() => Json(target, "listbanned"), l => l.GetArrayLength() == 1, $"the {flood} flooder is banned");
            output.WriteLine($"{flood} flood from a non-sequencer: banned ({peer.CloseReason})");
        }
        await Cli(target, "clearbanned");
        var now = await L2Height(Node(0));
        await L2ConvergedAsync(now + 3);
    }
}
