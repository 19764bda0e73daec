using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Derivation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Settlement.Tests.Recovery;

/// <summary>
/// A node that follows its peers falls back to L1 when they withhold anchored blocks (issue 13): it
/// derives exactly what is anchored, keeps the blocks it already had from peers, never reverts the
/// unanchored tail it follows, and replaces a block of its own that L1 does not back.
/// </summary>
public sealed class L1FallbackTests
{
    private const ulong NowMs = ulong.MaxValue / 2;

    [Fact]
    public void Blocks_peers_withheld_are_derived_from_L1_and_those_it_had_are_kept()
    {
        SettlementKit.Run(nameof(Blocks_peers_withheld_are_derived_from_L1_and_those_it_had_are_kept), new KitOptions(), kit =>
        {
            Load(kit, 3);
            using var follower = new DerivedChain(kit, "follower");
            var fallback = new L1Fallback(kit.L1.Chain, follower.Chain, NullLogger.Instance);
            // The peers served blocks 1..3, then nothing; the sequencers anchored on.
            FromPeers(kit, follower.Chain, 3);
            var kept = follower.Chain.GetHeader(3)!.Hash;
            Load(kit, 12);
            var anchored = kit.AnchorHead().LastBlock;
            Assert.True(anchored > 3);
            var committed = new List<ulong>();
            follower.Chain.BlockCommitted += (block, _) => committed.Add(block.Number);

            Assert.Equal(anchored, fallback.DeriveAnchored(NowMs));
            Assert.Null(fallback.Halted);
            Assert.Equal(kit.L2.GetHeader(anchored)!.Hash, follower.Chain.Head.Hash);
            Assert.Equal(kept, follower.Chain.GetHeader(3)!.Hash);
            Assert.Equal(Enumerable.Range(4, (int)anchored - 3).Select(n => (ulong)n), committed); // derived after block 3, nothing reverted

            // Peers serve again, past the last anchor: the fallback has nothing to do and reverts nothing.
            kit.ProduceL2(2);
            FromPeers(kit, follower.Chain, kit.L2.Head.Number);
            var head = follower.Chain.Head;
            Assert.Equal(head.Number, fallback.DeriveAnchored(NowMs));
            Assert.Equal(head.Hash, follower.Chain.Head.Hash);
        });
    }

    [Fact]
    public void A_block_of_its_own_that_L1_does_not_back_is_replaced_by_the_anchored_one()
    {
        SettlementKit.Run(nameof(A_block_of_its_own_that_L1_does_not_back_is_replaced_by_the_anchored_one), new KitOptions(), kit =>
        {
            Load(kit, 2);
            using var follower = new DerivedChain(kit, "follower");
            FromPeers(kit, follower.Chain, 2);
            // A minority fork: block 3 here is another block than the sequencers' block 3.
            follower.Chain.Commit(follower.Chain.Produce([], kit.L2.GetHeader(2)!.Timestamp + 7, kit.Sequencer));
            Load(kit, 10);
            var anchored = kit.AnchorHead().LastBlock;
            Assert.NotEqual(kit.L2.GetHeader(3)!.Hash, follower.Chain.GetHeader(3)!.Hash);

            var fallback = new L1Fallback(kit.L1.Chain, follower.Chain, NullLogger.Instance);
            Assert.Equal(anchored, fallback.DeriveAnchored(NowMs));
            Assert.Null(fallback.Halted);
            for (ulong n = 1; n <= anchored; n++)
                Assert.Equal(kit.L2.GetHeader(n)!.Hash, follower.Chain.GetHeader(n)!.Hash);
        });
    }

    /// <summary>L2 blocks with a transfer each, up to <paramref name="head"/>.</summary>
    private static void Load(SettlementKit kit, ulong head)
    {
        if (kit.L2Balance(kit.Users[0]) == Amount.Zero)
        {
            kit.Deposit(kit.Users[0], Amount.FromCas(20));
            kit.MineL1();
            kit.ProduceL2(); // mints it
        }
        while (kit.L2.Head.Number < head)
        {
            kit.SendL2(kit.Users[0], TransactionType.Transfer, TestKeys.Outsider("fallback"), Amount.FromSat(1_000));
            kit.ProduceL2();
        }
    }

    /// <summary>What a peer relays: the sequencers' blocks after the follower's head, up to <paramref name="last"/>, imported as any block is.</summary>
    private static void FromPeers(SettlementKit kit, L2Blockchain follower, ulong last)
    {
        for (var n = follower.Head.Number + 1; n <= last; n++)
        {
            var (produced, rejection) = follower.Validate(kit.L2.GetBlock(n)!, NowMs);
            Assert.True(produced is not null, $"block {n} from a peer: {rejection}");
            Assert.True(follower.TryCommit(produced));
        }
    }
}
