using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Properties;

/// <summary>
/// SPEC §9 property 19: a forced transaction is included before its deadline, or the sequencer is
/// slashed. A user forces an L2 transfer through L1; the sequencer then withholds L2 blocks for a random
/// number of L1 blocks before it includes and anchors it. Its anchor lands by the deadline (20 L1 blocks)
/// exactly when its stake stays whole; otherwise exactly 10 % of it is burned, once. Either way the L2
/// executes the forced transfer exactly once, and the sequencer's L1 balance moves only by its anchor fees.
/// </summary>
public sealed class ForcedInclusionProperty
{
    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void A_forced_transaction_is_anchored_by_its_deadline_or_the_sequencer_loses_ten_percent(Seed seed)
    {
        SettlementKit.Run(nameof(ForcedInclusionProperty), new KitOptions(), kit =>
        {
            var random = new Random(seed.Value);
            var user = kit.Users[0];
            var payee = TestKeys.Outsider("forced-payee");
            kit.Deposit(user, Amount.FromCas(5));
            kit.MineL1();
            kit.ProduceL2();
            // A fresh anchor first, so withholding for up to the deadline never reaches the emergency window.
            kit.AnchorHead();
            // Sometimes more than the user holds: the L2 must still consume it (with a failed receipt).
            var funded = random.Next(3) > 0;
            var value = funded ? Amount.FromSat(random.NextInt64(1, 4 * 100_000_000L)) : Amount.FromCas(6);
            var forced = kit.SignL2(user, TransactionType.Transfer, payee, value);
            kit.L1.Submit(user, new ForceIncludeCall(kit.ChainId, forced.ToBytes()));
            kit.MineL1();
            var postedAt = kit.L1.Height;
            var deadline = postedAt + kit.L1.Parameters.ForcedInclusionDeadline;
            var stake = kit.SequencerStake;
            var sequencerL1 = kit.L1.Balance(kit.SequencerAddress);
            var anchorsBefore = kit.Record.AnchorCount;

            // The sequencer withholds, then includes it and anchors the batch.
            var withheld = random.Next(0, 27);
            kit.MineL1(withheld);
            kit.AnchorHead();
            var anchoredAt = kit.L1.Height;

            var slashed = anchoredAt > deadline;
            Assert.Equal(withheld >= 20, slashed);
            var expected = slashed ? stake with { Bonded = stake.Bonded - stake.Bonded.PercentFloor(10) } : stake;
            Assert.Equal(expected, kit.SequencerStake);
            // The sequencer paid only its anchors' fees (each a base fee and a fee per byte of batch data).
            Assert.True(kit.Record.AnchorCount > anchorsBefore);
            Assert.Equal(sequencerL1 - kit.L1.FeesPaidAbove(kit.SequencerAddress, postedAt), kit.L1.Balance(kit.SequencerAddress));
            var record = kit.Record;
            Assert.Equal((1UL, 1UL, 1UL), (record.ForcedCount, record.ForcedProcessed, record.ForcedSettled));
            Assert.Equal(1UL, kit.L2.Cursor.Forced);
            Assert.Equal(funded ? value : Amount.Zero, kit.L2Balance(payee));
            Assert.Equal(funded ? 1UL : 0UL, kit.L2.GetAccount(TestKeys.AddressOf(user)).Nonce);

            // Nothing more happens later: no second slash, no second execution.
            kit.MineL1((int)kit.L1.Parameters.ForcedInclusionDeadline);
            kit.AnchorHead();
            Assert.Equal(expected, kit.SequencerStake);
            Assert.Equal(funded ? value : Amount.Zero, kit.L2Balance(payee));
            Assert.Equal(1UL, kit.L2.Cursor.Forced);
        });
    }
}
