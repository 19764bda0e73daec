using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Properties;

/// <summary>
/// SPEC §9 property 12: in emergency mode every L2 balance can be withdrawn in full, once. Random
/// deposits, transfers and withdrawals, a final anchor, then more L2 activity that is never final; the
/// sequencer stops anchoring until the chain enters emergency. Every key holder then exits in random
/// order: each receives exactly its balance at the last final root (not at the L2 head), a second claim
/// fails, and no one else's L1 balance, the stake or anything but the locked total moves.
/// </summary>
public sealed class EmergencyExitProperty
{
    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void Every_balance_of_the_last_final_root_exits_in_full_exactly_once(Seed seed)
    {
        SettlementKit.Run(nameof(EmergencyExitProperty), new KitOptions { Users = 4 }, kit =>
        {
            var random = new Random(seed.Value);
            List<PrivateKey> holders = [.. kit.Users, kit.Sequencer];
            foreach (var user in kit.Users.Where(_ => random.Next(4) > 0))
                kit.Deposit(user, Amount.FromSat(random.NextInt64(1, 50 * 100_000_000L)));
            kit.MineL1();
            kit.ProduceL2();
            RandomActivity(kit, random, holders);
            var final = kit.AnchorHead();
            kit.WaitFinal(final);
            // Activity after the last final root: it must not count.
            RandomActivity(kit, random, holders);
            if (random.Next(2) == 0)
                kit.AnchorHead();

            kit.Monitor.AnchoringEnabled = false;
            while (kit.Record.Status != ChainStatus.Emergency)
                kit.MineL1();
            var root = kit.LastFinalAnchor!;
            Assert.True(root.Index >= final.Index);
            Assert.NotNull(kit.Monitor.ProductionBlockedReason());

            var lockedBefore = kit.Record.Locked;
            var stake = kit.SequencerStake;
            var paid = Amount.Zero;
            foreach (var holder in holders.OrderBy(_ => random.Next()))
            {
                var owner = TestKeys.AddressOf(holder);
                var balance = kit.L2.GetAccountAt(owner, root.StateRoot).Balance;
                if (balance == Amount.Zero)
                    continue;
                var others = holders.Where(h => h != holder).ToDictionary(TestKeys.AddressOf, kit.L1.Balance);
                var before = kit.L1.Balance(owner);
                var call = kit.EmergencyCall(owner, root);

                var receipt = kit.Execute(holder, call);

                Assert.True(receipt.Success, receipt.Error);
                Assert.Equal(before + balance - kit.L1.Fee, kit.L1.Balance(owner));
                foreach (var (other, otherBalance) in others)
                    Assert.Equal(otherBalance, kit.L1.Balance(other));
                paid += balance;
                Assert.Equal(lockedBefore - paid, kit.Record.Locked);
                Refusal.AssertRefused(kit, holder, call, $"{owner} has already exited chain {kit.ChainId}");
            }
            Assert.Equal(stake, kit.SequencerStake);
            Assert.Equal(lockedBefore - paid, kit.Record.Locked);
        });
    }

    /// <summary>A few L2 blocks of transfers between key holders and withdrawals (which leave the L2 balances).</summary>
    private static void RandomActivity(SettlementKit kit, Random random, List<PrivateKey> holders)
    {
        for (var block = random.Next(1, 4); block > 0; block--)
        {
            foreach (var sender in holders.Where(h => kit.L2Balance(h) > Amount.FromCas(1) && random.Next(2) == 0))
            {
                var value = Amount.FromSat(random.NextInt64(1, kit.L2Balance(sender).Sat / 4));
                var type = random.Next(4) == 0 ? TransactionType.Withdrawal : TransactionType.Transfer;
                var to = type == TransactionType.Withdrawal ? TestKeys.AddressOf(sender) : TestKeys.AddressOf(holders[random.Next(holders.Count)]);
                kit.SendL2(sender, type, to, value);
            }
            kit.ProduceL2();
        }
    }
}
