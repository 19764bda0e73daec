using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Recovery;

/// <summary>Named cases of SPEC §9 property 20: what the L2 does when an L1 reorganization takes away an anchor or a deposit it used.</summary>
public sealed class ReorgRecoveryTests
{
    private static readonly Address Payee = TestKeys.Outsider("recovery-payee");

    [Fact]
    public void Losing_the_newest_anchor_returns_the_L2_to_the_one_before_and_the_batch_is_anchored_again()
    {
        SettlementKit.Run(nameof(Losing_the_newest_anchor_returns_the_L2_to_the_one_before_and_the_batch_is_anchored_again), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            kit.Deposit(user, Amount.FromCas(10));
            kit.MineL1();
            kit.ProduceL2();
            var first = kit.AnchorHead();
            var transfer = kit.SendL2(user, TransactionType.Transfer, Payee, Amount.FromCas(3));
            var second = kit.AnchorHead();
            var anchorBlock = kit.L1.Chain.GetHash(second.PostedHeight)!.Value;

            kit.L1.Chain.InvalidateBlock(anchorBlock);
            kit.Sync();

            Assert.Equal(first.LastBlock, kit.L2.Head.Number);
            Assert.Equal(first.StateRoot, kit.L2.Head.StateRoot);
            Assert.Equal(Amount.Zero, kit.L2Balance(Payee));
            Assert.True(kit.Pool.Contains(transfer.Id));
            // The stale anchor came back to the L1 mempool with the disconnected block; the monitor withdrew it.
            Assert.DoesNotContain(kit.L1.Chain.Mempool, t => t.Kind == L1TransactionKind.Anchor);
            Assert.Empty(kit.Monitor.Affected);

            kit.ProduceL2();
            Assert.Equal(Amount.FromCas(3), kit.L2Balance(Payee));
            var again = kit.AnchorHead();
            Assert.Equal(second.Index, again.Index);
            Assert.Equal(first.LastBlock + 1, again.FirstBlock);
        });
    }

    [Fact]
    public void A_deposit_the_L1_lost_for_good_is_unminted_and_what_spent_it_is_reported()
    {
        SettlementKit.Run(nameof(A_deposit_the_L1_lost_for_good_is_unminted_and_what_spent_it_is_reported), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            kit.Deposit(user, Amount.FromCas(10));
            kit.MineL1();
            kit.ProduceL2();
            kit.AnchorHead();
            var lost = kit.Deposit(kit.Users[1], Amount.FromCas(4));
            var depositBlock = kit.L1.Mine();
            kit.Sync();
            kit.ProduceL2();
            var spent = kit.SendL2(kit.Users[1], TransactionType.Transfer, Payee, Amount.FromCas(1));
            var kept = kit.SendL2(user, TransactionType.Transfer, Payee, Amount.FromCas(2));
            kit.ProduceL2();
            Assert.Equal(Amount.FromCas(3), kit.L2Balance(Payee));

            kit.L1.Chain.InvalidateBlock(depositBlock.Hash);
            Assert.Equal([lost.Id], kit.L1.Chain.RemoveFromMempool(t => t.Id == lost.Id).Select(t => t.Id));
            kit.Sync();
            kit.ProduceL2();

            Assert.Equal(Amount.Zero, kit.L2Balance(kit.Users[1]));
            Assert.Equal(Amount.FromCas(2), kit.L2Balance(Payee));
            Assert.Equal(1UL, kit.L2.GetAccount(TestKeys.AddressOf(user)).Nonce);
            var affected = Assert.Single(kit.Monitor.Affected);
            Assert.Equal(spent.Id, affected.TransactionId);
            Assert.StartsWith("insufficient-funds", affected.Outcome, StringComparison.Ordinal);
            Assert.NotNull(kit.L2.GetTransaction(kept.Id));
            Assert.Equal(Amount.FromCas(10), kit.Record.Locked);
        });
    }

    [Fact]
    public void A_senders_waiting_transactions_follow_its_replayed_ones()
    {
        SettlementKit.Run(nameof(A_senders_waiting_transactions_follow_its_replayed_ones), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            kit.Deposit(user, Amount.FromCas(10));
            kit.MineL1();
            kit.ProduceL2();
            kit.AnchorHead();
            var undone = kit.SendL2(user, TransactionType.Transfer, Payee, Amount.FromCas(1));
            var second = kit.AnchorHead();
            var waiting = kit.SendL2(user, TransactionType.Transfer, Payee, Amount.FromCas(2));
            Assert.Equal(undone.Nonce + 1, waiting.Nonce);

            kit.L1.Chain.InvalidateBlock(kit.L1.Chain.GetHash(second.PostedHeight)!.Value);
            kit.Sync();
            kit.ProduceL2();

            Assert.Empty(kit.Monitor.Affected);
            Assert.Equal(Amount.FromCas(3), kit.L2Balance(Payee));
            Assert.Equal(2UL, kit.L2.GetAccount(TestKeys.AddressOf(user)).Nonce);
        });
    }
}
