using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Derivation;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Properties;

/// <summary>
/// SPEC §9 property 13 (issue 13): a node rebuilt from L1 data alone reaches exactly the roots of the
/// node that produced them. Random chains of deposits, transfers and withdrawals in random blocks and
/// anchors; sometimes an L1 reorganization takes anchors (and deposits) away and the producer re-posts
/// other batches. A second L2 chain, empty but for the genesis, derives from the settlement chain alone
/// — before and after the reorganization — and must have the producer's block hash and state root at
/// every anchored block, and its head at the last anchor.
/// </summary>
public sealed class L1DerivationProperty
{
    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void A_node_rebuilt_from_L1_data_alone_reaches_every_anchored_root_of_the_producer(Seed seed)
    {
        SettlementKit.Run(nameof(L1DerivationProperty), new KitOptions(), kit =>
        {
            var random = new Random(seed.Value);
            using var follower = new DerivedChain(kit);
            kit.Deposit(kit.Users[0], Amount.FromCas(20));
            kit.MineL1();
            kit.ProduceL2();
            kit.AnchorHead();
            var reachable = kit.L1.Height + 1;
            Rounds(kit, random);
            AssertMatches(follower, kit, random.Next(3) == 0 ? 1 : int.MaxValue);

            if (random.Next(2) == 0)
            {
                // A reorganization at a random depth: anchors and deposits above it go; the producer recovers and anchors again.
                var fork = (ulong)random.NextInt64((long)reachable, (long)kit.L1.Height + 1);
                kit.L1.Chain.InvalidateBlock(kit.L1.Chain.GetHash(fork)!.Value);
                kit.Sync();
                Rounds(kit, random);
            }
            AssertMatches(follower, kit, int.MaxValue);
        });
    }

    private static void Rounds(SettlementKit kit, Random random)
    {
        for (var round = random.Next(1, 5); round > 0; round--)
        {
            if (random.Next(3) == 0)
                kit.Deposit(kit.Users[random.Next(kit.Users.Count)], Amount.FromSat(random.NextInt64(10_000_000, 3 * 100_000_000L)));
            kit.MineL1();
            // What the sender has promised to pending transactions this round (value and fee), so the mempool takes each.
            // After a reorganization the undone blocks' transactions wait in the mempool: no new ones until they are in.
            var promised = 0L;
            for (var i = kit.Pool.Count > 0 ? 0 : random.Next(0, 4); i > 0; i--)
            {
                var sender = kit.Users[0];
                var spare = (kit.L2Balance(sender).Sat - promised) / 4 - 1_000_000;
                if (spare <= 1)
                    break;
                var value = random.NextInt64(1, spare);
                var type = random.Next(4) == 0 ? TransactionType.Withdrawal : TransactionType.Transfer;
                kit.SendL2(sender, type, TestKeys.AddressOf(kit.Users[random.Next(1, kit.Users.Count)]), Amount.FromSat(value));
                promised += value + 1_000_000;
            }
            kit.ProduceL2(random.Next(1, 3));
            if (random.Next(2) == 0)
                kit.AnchorHead();
        }
        kit.AnchorHead();
    }

    /// <summary>Derives everything on L1 (in steps of <paramref name="step"/> anchors) and compares with the producer at every anchor.</summary>
    private static void AssertMatches(DerivedChain derived, SettlementKit kit, int step)
    {
        DerivationProgress progress;
        do
            progress = derived.Derivation.CatchUp(ulong.MaxValue / 2, step);
        while (progress.AnchorsDerived < progress.AnchorsOnL1 && progress.Halted is null);
        Assert.Null(progress.Halted);
        var chain = derived.Chain;
        var record = kit.Record;
        Assert.Equal(record.AnchorCount, progress.AnchorsDerived);
        Assert.Equal(record.LastAnchoredBlock, chain.Head.Number);
        Assert.Equal(1.0, progress.VerificationProgress);
        var state = kit.L1.Chain.StateAtTip();
        for (ulong index = 0; index < record.AnchorCount; index++)
        {
            var anchor = state.GetAnchor(kit.ChainId, index)!;
            Assert.Equal(anchor.LastBlockHash, chain.GetHeader(anchor.LastBlock)!.Hash);
            Assert.Equal(anchor.StateRoot, chain.GetHeader(anchor.LastBlock)!.StateRoot);
            Assert.Equal(kit.L2.GetHeader(anchor.LastBlock)!.StateRoot, chain.GetHeader(anchor.LastBlock)!.StateRoot);
        }
        for (ulong n = 1; n <= chain.Head.Number; n++)
            Assert.Equal(kit.L2.GetHeader(n)!.Hash, chain.GetHeader(n)!.Hash);
    }
}
