using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>A withdrawal burned on L2 is paid on L1 once, with a proof against a final anchored root; every bad attempt fails for its own reason and moves nothing but its fee.</summary>
public sealed class WithdrawalFinalizationTests
{
    private static readonly Amount Deposited = Amount.FromCas(30);
    private static readonly Amount Withdrawn = Amount.FromCas(2);

    /// <summary>User 1 deposits, withdraws <see cref="Withdrawn"/> to its own L1 address; the batch is anchored (not yet final).</summary>
    private static (Hash256 Withdrawal, Cascoin.L2.Settlement.Contracts.AnchorRecord Anchor) Withdraw(SettlementKit kit)
    {
        var user = kit.Users[0];
        kit.Deposit(user, Deposited);
        kit.MineL1();
        kit.ProduceL2();
        Assert.Equal(Deposited, kit.L2Balance(user));
        var withdrawal = kit.SendL2(user, TransactionType.Withdrawal, TestKeys.AddressOf(user), Withdrawn);
        kit.ProduceL2();
        return (withdrawal.Id, kit.AnchorHead());
    }

    [Fact]
    public void A_final_withdrawal_is_paid_once_to_its_recipient_from_the_locked_total()
    {
        SettlementKit.Run(nameof(A_final_withdrawal_is_paid_once_to_its_recipient_from_the_locked_total), new KitOptions(), kit =>
        {
            var (id, anchor) = Withdraw(kit);
            kit.WaitFinal(anchor);
            var user = kit.Users[0];
            var before = kit.L1.Balance(user);
            Assert.Equal(Deposited, kit.Record.Locked);

            var receipt = kit.L1.Execute(user, kit.FinalizeCall(id));

            Assert.True(receipt.Success, receipt.Error);
            Assert.Equal(before + Withdrawn - kit.L1.Fee, kit.L1.Balance(user));
            Assert.Equal(Deposited - Withdrawn, kit.Record.Locked);
            Assert.Equal(Withdrawn, kit.Record.WithdrawnToday);
        });
    }
}
