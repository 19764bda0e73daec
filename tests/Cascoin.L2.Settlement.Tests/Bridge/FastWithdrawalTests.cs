using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>
/// The fast path (SPEC §2, §6): a withdrawal of an owner whose aggregate reputation on the L2 is above 80
/// is final after a quarter of the challenge period. The owner's score decides — not the score of whoever
/// sends the finalization, and not an L1 score the L2 never took in.
/// </summary>
public sealed class FastWithdrawalTests
{
    /// <summary>User 1 (with <paramref name="ownerScore"/>) withdraws 2 CAS to itself; the batch is anchored; returns the withdrawal and the anchor.</summary>
    private static (Hash256 Withdrawal, AnchorRecord Anchor) Withdraw(SettlementKit kit, byte ownerScore)
    {
        var owner = kit.Users[0];
        kit.L1.Submit(owner, new SetReputationCall(TestKeys.AddressOf(owner), ownerScore));
        kit.L1.Submit(owner, new ImportReputationCall(kit.ChainId));
        kit.Deposit(owner, Amount.FromCas(30));
        kit.MineL1();
        kit.ProduceL2();
        Assert.Equal(ownerScore, kit.L2.GetAccount(TestKeys.AddressOf(owner)).HatScore);
        var withdrawal = kit.SendL2(owner, TransactionType.Withdrawal, TestKeys.AddressOf(owner), Amount.FromCas(2));
        kit.ProduceL2();
        return (withdrawal.Id, kit.AnchorHead());
    }

    /// <summary>Mines until the next block is the first where the fast period has passed.</summary>
    private static ulong MineToFastFinal(SettlementKit kit, AnchorRecord anchor)
    {
        var fastFinal = anchor.PostedHeight + Math.Max(1, kit.Record.ChallengePeriod / kit.L1.Parameters.FastWithdrawalDivisor);
        Assert.True(fastFinal < anchor.PostedHeight + kit.Record.ChallengePeriod);
        while (kit.L1.Height + 1 < fastFinal)
            kit.MineL1();
        return fastFinal;
    }

    private static PrivateKey ScoredCaller(SettlementKit kit, byte score)
    {
        var caller = kit.Users[1];
        Assert.True(kit.Execute(caller, new SetReputationCall(TestKeys.AddressOf(caller), score)).Success);
        return caller;
    }

    [Fact]
    public void A_high_score_owner_finalizing_its_own_withdrawal_waits_a_quarter_of_the_challenge_period()
    {
        SettlementKit.Run(nameof(A_high_score_owner_finalizing_its_own_withdrawal_waits_a_quarter_of_the_challenge_period), new KitOptions(), kit =>
        {
            var (id, anchor) = Withdraw(kit, 90);
            MineToFastFinal(kit, anchor);
            var owner = kit.Users[0];
            var before = kit.L1.Balance(owner);
            var receipt = kit.Execute(owner, kit.FinalizeCall(id));
            Assert.True(receipt.Success, receipt.Error);
            Assert.Equal(before + Amount.FromCas(2) - kit.L1.Fee, kit.L1.Balance(owner));
        });
    }

    [Fact]
    public void A_high_score_owners_withdrawal_is_fast_whoever_finalizes_it()
    {
        SettlementKit.Run(nameof(A_high_score_owners_withdrawal_is_fast_whoever_finalizes_it), new KitOptions(), kit =>
        {
            var (id, anchor) = Withdraw(kit, 90);
            MineToFastFinal(kit, anchor);
            var owner = TestKeys.AddressOf(kit.Users[0]);
            var before = kit.L1.Balance(owner);
            var receipt = kit.Execute(kit.Users[2], kit.FinalizeCall(id));
            Assert.True(receipt.Success, receipt.Error);
            Assert.Equal(before + Amount.FromCas(2), kit.L1.Balance(owner));
        });
    }

    [Fact]
    public void An_L1_score_the_chain_never_imported_gives_no_fast_path()
    {
        SettlementKit.Run(nameof(An_L1_score_the_chain_never_imported_gives_no_fast_path), new KitOptions(), kit =>
        {
            var owner = kit.Users[0];
            kit.L1.Submit(owner, new SetReputationCall(TestKeys.AddressOf(owner), 90));
            kit.Deposit(owner, Amount.FromCas(30));
            kit.MineL1();
            kit.ProduceL2();
            var withdrawal = kit.SendL2(owner, TransactionType.Withdrawal, TestKeys.AddressOf(owner), Amount.FromCas(2));
            kit.ProduceL2();
            var anchor = kit.AnchorHead();
            MineToFastFinal(kit, anchor);
            Refusal.AssertRefused(kit, owner, kit.FinalizeCall(withdrawal.Id), $"can be paid from L1 height {anchor.PostedHeight + kit.Record.ChallengePeriod}");
        });
    }

    [Fact]
    public void A_high_score_caller_cannot_shorten_a_low_score_owners_withdrawal()
    {
        SettlementKit.Run(nameof(A_high_score_caller_cannot_shorten_a_low_score_owners_withdrawal), new KitOptions(), kit =>
        {
            var (id, anchor) = Withdraw(kit, 10);
            var caller = ScoredCaller(kit, 90);
            MineToFastFinal(kit, anchor);
            Refusal.AssertRefused(kit, caller, kit.FinalizeCall(id), $"withdrawal {id} can be paid from L1 height {anchor.PostedHeight + kit.Record.ChallengePeriod}",
                TestKeys.AddressOf(kit.Users[0]));
        });
    }
}
