using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>Emergency exits outside emergency mode, and the root they are proven against once in it.</summary>
public sealed class EmergencyWithdrawTests
{
    [Fact]
    public void An_emergency_withdrawal_while_the_chain_is_active_is_refused()
    {
        SettlementKit.Run(nameof(An_emergency_withdrawal_while_the_chain_is_active_is_refused), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            kit.Deposit(user, Amount.FromCas(9));
            kit.MineL1();
            kit.ProduceL2();
            var anchor = kit.AnchorHead();
            kit.WaitFinal(anchor);
            Assert.Equal(ChainStatus.Active, kit.Record.Status);
            Refusal.AssertRefused(kit, user, kit.EmergencyCall(TestKeys.AddressOf(user), anchor), $"chain {kit.ChainId} is not in emergency mode");
            Assert.Equal(Amount.FromCas(9), kit.L2Balance(user));
        });
    }

    /// <summary>
    /// With a challenge period longer than the emergency window, an anchor still pending when the chain
    /// enters emergency becomes final later. The exit root must stay the one final at the emergency's
    /// start: otherwise a balance proven once could be proven again differently, and exits that were
    /// valid a block ago stop verifying.
    /// </summary>
    [Fact]
    public void The_exit_root_stays_the_one_final_when_the_emergency_began()
    {
        SettlementKit.Run(nameof(The_exit_root_stays_the_one_final_when_the_emergency_began), new KitOptions { ChallengePeriod = 40 }, kit =>
        {
            var (payer, payee) = (kit.Users[0], kit.Users[1]);
            kit.Deposit(payer, Amount.FromCas(10));
            // Someone else's funds in the bridge: what a second exit of the same money would take.
            kit.Deposit(kit.Users[2], Amount.FromCas(10));
            kit.MineL1();
            kit.ProduceL2();
            var first = kit.AnchorHead();
            // Keep the chain out of emergency while the first anchor waits its 40 blocks; the second batch moves funds.
            kit.MineL1(20);
            kit.SendL2(payer, TransactionType.Transfer, TestKeys.AddressOf(payee), Amount.FromCas(4));
            var second = kit.AnchorHead();
            kit.WaitFinal(first);
            kit.Monitor.AnchoringEnabled = false;
            while (kit.Record.Status != ChainStatus.Emergency)
                kit.MineL1();
            Assert.Equal(first.Index, kit.LastFinalAnchor!.Index);
            Assert.True(kit.Execute(payer, kit.EmergencyCall(TestKeys.AddressOf(payer), first)).Success);

            kit.WaitFinal(second);

            // The payee had nothing at the emergency's root: proving the later root's 4 CAS must fail...
            Refusal.AssertRefused(kit, payee, kit.EmergencyCall(TestKeys.AddressOf(payee), second), "the proof does not show");
            // ...so the bridge still holds exactly the third user's 10 CAS.
            Assert.Equal(Amount.FromCas(10), kit.Record.Locked);
        });
    }
}
