using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Properties;

/// <summary>
/// SPEC §9 property 4: deposits − completed withdrawals = sum of L2 balances, with burned fees accounted.
/// Random interleavings of deposits, transfers, withdrawals, L1 blocks, L2 blocks, anchors and
/// finalizations; after every step:
/// <list type="bullet">
/// <item>on L2: Σ balances + burned fees = minted deposits − burned withdrawals (nothing else creates or destroys);</item>
/// <item>on L1: locked = queued deposits − paid withdrawals, and so locked = L2 supply + burned fees +
/// withdrawals not yet paid + deposits not yet minted;</item>
/// <item>L1 money is conserved: balances + locked + stake = the matured block rewards.</item>
/// </list>
/// </summary>
public sealed class DepositSupplyProperty
{
    private enum Step { Deposit, MineL1, ProduceL2, Transfer, Withdraw, Anchor, Finalize }

    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void Locked_total_equals_L2_supply_plus_burned_fees_plus_what_is_in_flight(Seed seed)
    {
        SettlementKit.Run(nameof(DepositSupplyProperty), new KitOptions { Users = 4 }, kit =>
        {
            var random = new Random(seed.Value);
            var outsider = TestKeys.Outsider("supply-payee");
            List<Address> l2Holders = [.. kit.Users.Select(TestKeys.AddressOf), kit.SequencerAddress, outsider];
            var withdrawals = new List<Hash256>();
            var paid = new HashSet<Hash256>();
            var paidTotal = Amount.Zero;
            var steps = Enumerable.Range(0, random.Next(15, 40)).Select(_ => (Step)random.Next(7)).ToList();
            foreach (var step in steps)
            {
                var user = kit.Users[random.Next(kit.Users.Count)];
                switch (step)
                {
                    case Step.Deposit:
                        kit.Deposit(user, Amount.FromSat(random.NextInt64(1, 20 * 100_000_000L)), l2Holders[random.Next(kit.Users.Count)]);
                        break;
                    case Step.MineL1:
                        kit.MineL1(random.Next(1, 4));
                        break;
                    case Step.ProduceL2:
                        kit.ProduceL2();
                        break;
                    case Step.Transfer when Spendable(kit, user) is { } amount:
                        kit.SendL2(user, TransactionType.Transfer, l2Holders[random.Next(l2Holders.Count)], Amount.FromSat(random.NextInt64(0, amount.Sat)));
                        break;
                    case Step.Withdraw when Spendable(kit, user) is { } amount:
                        withdrawals.Add(kit.SendL2(user, TransactionType.Withdrawal, TestKeys.AddressOf(user), Amount.FromSat(random.NextInt64(1, amount.Sat))).Id);
                        break;
                    case Step.Anchor:
                        kit.AnchorHead();
                        break;
                    case Step.Finalize:
                        paidTotal += FinalizeAll(kit, withdrawals, paid);
                        break;
                }
                AssertSupply(kit, l2Holders, paidTotal);
            }
            // Settle everything: every deposit minted, every withdrawal anchored, final and paid (within the circuit breaker).
            kit.MineL1();
            kit.ProduceL2();
            kit.WaitFinal(kit.AnchorHead());
            paidTotal += FinalizeAll(kit, withdrawals, paid);
            AssertSupply(kit, l2Holders, paidTotal);
            Assert.Equal(kit.Record.L1MessageCount, kit.L2.Cursor.L1Messages);
        });
    }

    /// <summary>A tenth of what the user holds beyond fees, or null when that is nothing (so the mempool accepts the transaction).</summary>
    private static Amount? Spendable(SettlementKit kit, PrivateKey user)
    {
        var spare = kit.L2Balance(user).Sat / 10 - 1_000_000;
        return spare > 1 ? Amount.FromSat(spare) : null;
    }

    /// <summary>Sends the finalization of every withdrawal whose anchor is final; returns what was paid (the circuit breaker may refuse some, which stay unpaid).</summary>
    private static Amount FinalizeAll(SettlementKit kit, List<Hash256> withdrawals, HashSet<Hash256> paid)
    {
        var total = Amount.Zero;
        foreach (var id in withdrawals.Where(w => !paid.Contains(w) && kit.L2.GetRecord(BridgeKeys.Withdrawal(w)) is not null))
        {
            var record = kit.WithdrawalOf(id);
            if (kit.AnchorCovering(record.Block) is not { } anchor || !anchor.IsFinalAt(kit.L1.Height + 1, kit.Record.ChallengePeriod))
                continue;
            var receipt = kit.Execute(kit.Users[0], kit.FinalizeCall(id));
            if (!receipt.Success)
            {
                Assert.StartsWith("circuit breaker", receipt.Error, StringComparison.Ordinal);
                continue;
            }
            paid.Add(id);
            total += record.Amount;
        }
        return total;
    }

    private static void AssertSupply(SettlementKit kit, List<Address> l2Holders, Amount paidTotal)
    {
        var l2Supply = l2Holders.Aggregate(Amount.Zero, (sum, a) => sum + kit.L2Balance(a));
        var burned = kit.BurnedFees();
        var (minted, withdrawnOnL2) = (Amount.Zero, Amount.Zero);
        for (ulong n = 1; n <= kit.L2.Head.Number; n++)
        {
            foreach (var transaction in kit.L2.GetBlock(n)!.Transactions)
            {
                if (transaction.Type == TransactionType.Deposit)
                    minted += transaction.Value;
                else if (transaction.Type == TransactionType.Withdrawal)
                    withdrawnOnL2 += transaction.Value;
            }
        }
        Assert.Equal(minted - withdrawnOnL2, l2Supply + burned);

        var state = kit.L1.Chain.StateAtTip();
        var record = kit.Record;
        var queued = Amount.Zero;
        for (ulong sequence = 0; sequence < record.L1MessageCount; sequence++)
            queued += state.GetL1Message(kit.ChainId, sequence)!.Amount;
        Assert.Equal(queued - paidTotal, record.Locked);
        Assert.Equal(l2Supply + burned + (withdrawnOnL2 - paidTotal) + (queued - minted), record.Locked);

        // Every L1 sat is somewhere: an account, the bridge, or a stake.
        var l1Accounts = kit.Users.Select(TestKeys.AddressOf).Append(kit.SequencerAddress).Append(L1Node.Miner);
        var l1Total = l1Accounts.Aggregate(Amount.Zero, (sum, a) => sum + kit.L1.Balance(a));
        var stake = kit.SequencerStake;
        var matured = kit.L1.Parameters.BlockReward * (long)(kit.L1.Height - kit.L1.Parameters.CoinbaseMaturity);
        Assert.Equal(matured, l1Total + record.Locked + stake.Bonded + stake.Unbonding);
    }
}
