using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Properties;

/// <summary>
/// SPEC §9 property 20: after an L1 reorganization the L2 returns to the last valid anchor and replays.
/// Deposits are minted and anchored first; then rounds of L1 blocks, deposits, transfers, L2 blocks and
/// anchors. An L1 block at a random depth is invalidated. When the blocks it takes away held a deposit or
/// an anchor the L2 used, the L2 must be back at the last anchor still on L1, with that anchor's state
/// root; after replaying, its balances and nonces equal those of a chain built from scratch against the
/// L1 as it was when the L2 recovered (plus what the L1 mined again after), and exactly the transactions
/// that chain cannot apply are reported as dropped.
/// </summary>
public sealed class ReorgRecoveryProperty
{
    /// <summary>Only the first user sends, from funds anchored before any block the reorganization can reach; the others only receive.</summary>
    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void A_reorg_returns_the_L2_to_the_last_anchor_on_L1_and_replays_to_the_state_of_a_chain_built_without_the_removed_data(Seed seed) =>
        Run(seed, everyoneSends: false);

    /// <summary>Every user sends, also from deposits and transfers the undone L2 blocks had credited.</summary>
    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void A_reorg_keeps_every_transaction_whose_funds_are_still_on_L1(Seed seed) =>
        Run(seed, everyoneSends: true);

    private static void Run(Seed seed, bool everyoneSends)
    {
        SettlementKit.Run(nameof(ReorgRecoveryProperty), new KitOptions { FlatFees = true }, kit =>
        {
            var random = new Random(seed.Value);
            List<Address> holders = [.. kit.Users.Select(TestKeys.AddressOf), kit.SequencerAddress, TestKeys.Outsider("reorg-payee")];
            var senders = everyoneSends ? kit.Users.ToList() : [kit.Users[0]];
            var payees = holders.Where(h => everyoneSends || h != TestKeys.AddressOf(kit.Users[0])).ToList();
            // The deposits the reorganization takes away either come back in a later L1 block or are gone for good.
            var depositsComeBack = random.Next(2) == 0;
            var submitted = new List<Transaction>();
            // Only the first user starts rich: the others live on the deposits the reorganization may take away.
            kit.Deposit(kit.Users[0], Amount.FromSat(random.NextInt64(1, 20 * 100_000_000L)));
            kit.MineL1();
            kit.ProduceL2();
            kit.AnchorHead();
            var reachable = kit.L1.Height + 1;

            for (var round = random.Next(2, 7); round > 0; round--)
            {
                if (random.Next(2) == 0)
                    kit.Deposit(kit.Users[random.Next(1, kit.Users.Count)], Amount.FromSat(random.NextInt64(10_000_000, 5 * 100_000_000L)));
                kit.MineL1();
                // What each sender has already promised this round, so the mempool accepts every transaction.
                var promised = new Dictionary<PrivateKey, long>();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    var sender = senders[random.Next(senders.Count)];
                    var spare = (kit.L2Balance(sender).Sat - promised.GetValueOrDefault(sender)) / 2 - 1_000_000;
                    if (spare <= 1)
                        continue;
                    var value = random.NextInt64(1, spare);
                    submitted.Add(kit.SendL2(sender, TransactionType.Transfer, payees[random.Next(payees.Count)], Amount.FromSat(value)));
                    promised[sender] = promised.GetValueOrDefault(sender) + value + 1_000_000;
                }
                kit.ProduceL2();
                if (random.Next(2) == 0)
                    kit.AnchorHead();
            }
            Assert.Equal(0, kit.Pool.Count);

            var forkHeight = (ulong)random.NextInt64((long)reachable, (long)kit.L1.Height + 1);
            var removed = Enumerable.Range((int)forkHeight, (int)(kit.L1.Height - forkHeight + 1))
                .SelectMany(h => kit.L1.Chain.GetBlock(kit.L1.Chain.GetHash((ulong)h)!.Value)!.Transactions)
                .ToList();
            var headBefore = kit.L2.Head;
            kit.L1.Chain.InvalidateBlock(kit.L1.Chain.GetHash(forkHeight)!.Value);
            if (!depositsComeBack)
                kit.L1.Chain.RemoveFromMempool(t => t.Kind == L1TransactionKind.Deposit);
            kit.Sync();

            var record = kit.Record;
            if (removed.Any(t => t.Kind is L1TransactionKind.Deposit or L1TransactionKind.Anchor))
            {
                var anchor = kit.L1.Chain.StateAtTip().GetAnchor(kit.ChainId, record.AnchorCount - 1)!;
                Assert.Equal(anchor.LastBlock, kit.L2.Head.Number);
                Assert.Equal(anchor.StateRoot, kit.L2.Head.StateRoot);
            }
            else
            {
                Assert.Equal(headBefore, kit.L2.Head);
            }

            // What holds is decided when the L2 recovers, against the L1 as it is then: a deposit that
            // went back to the L1 mempool does not fund anything until it is mined again.
            using var reference = new ReferenceChain(kit, submitted);
            // Replay: the mempool's transactions (and whatever the L1 queues again) go into new blocks.
            kit.MineL1();
            kit.ProduceL2(2);
            reference.ProduceQueued(kit);
            foreach (var holder in holders)
                Assert.Equal(reference.Chain.GetAccount(holder) with { LastActivity = 0 }, kit.L2.GetAccount(holder) with { LastActivity = 0 });
            Assert.Equal(reference.Chain.Cursor, kit.L2.Cursor);
            Assert.Equal(reference.Skipped.Order(), kit.Monitor.Affected.Select(a => a.TransactionId).Order());
        });
    }
}
