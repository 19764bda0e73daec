using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>A withdrawal burned on L2 is paid on L1 once, with a proof against a final anchored root; every bad attempt fails for its own reason and moves nothing but its fee.</summary>
public sealed class WithdrawalFinalizationTests
{
    private static readonly Amount Deposited = Amount.FromCas(30);
    private static readonly Amount Withdrawn = Amount.FromCas(2);

    /// <summary>User 1 deposits, withdraws <see cref="Withdrawn"/> to its own L1 address; the batch is anchored (not yet final).</summary>
    private static (Hash256 Withdrawal, AnchorRecord Anchor) Withdraw(SettlementKit kit)
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

    private static void WithFinalWithdrawal(string name, Action<SettlementKit, Hash256> test) =>
        SettlementKit.Run(name, new KitOptions(), kit =>
        {
            var (id, anchor) = Withdraw(kit);
            kit.WaitFinal(anchor);
            test(kit, id);
        });

    [Fact]
    public void A_final_withdrawal_is_paid_once_to_its_recipient_from_the_locked_total()
    {
        WithFinalWithdrawal(nameof(A_final_withdrawal_is_paid_once_to_its_recipient_from_the_locked_total), (kit, id) =>
        {
            var user = kit.Users[0];
            var before = kit.L1.Balance(user);
            Assert.Equal(Deposited, kit.Record.Locked);

            var receipt = kit.Execute(user, kit.FinalizeCall(id));

            Assert.True(receipt.Success, receipt.Error);
            Assert.Equal(before + Withdrawn - kit.L1.Fee, kit.L1.Balance(user));
            Assert.Equal(Deposited - Withdrawn, kit.Record.Locked);
            Assert.Equal(Withdrawn, kit.Record.WithdrawnToday);
        });
    }

    [Fact]
    public void A_second_finalization_of_the_same_withdrawal_is_refused()
    {
        WithFinalWithdrawal(nameof(A_second_finalization_of_the_same_withdrawal_is_refused), (kit, id) =>
        {
            var call = kit.FinalizeCall(id);
            Assert.True(kit.Execute(kit.Users[1], call).Success);
            Refusal.AssertRefused(kit, kit.Users[1], call, $"withdrawal {id} was already paid");
        });
    }

    [Fact]
    public void Finalizing_before_the_challenge_period_ends_is_refused()
    {
        SettlementKit.Run(nameof(Finalizing_before_the_challenge_period_ends_is_refused), new KitOptions(), kit =>
        {
            var (id, anchor) = Withdraw(kit);
            // Mined in the next block: one before the anchor is final.
            while (kit.L1.Height + 2 < anchor.PostedHeight + kit.Record.ChallengePeriod)
                kit.MineL1();
            Refusal.AssertRefused(kit, kit.Users[1], kit.FinalizeCall(id), $"withdrawal {id} can be paid from L1 height {anchor.PostedHeight + kit.Record.ChallengePeriod}");
            // The very next block is the first where it is final.
            Assert.True(kit.Execute(kit.Users[1], kit.FinalizeCall(id)).Success);
        });
    }

    [Fact]
    public void A_proof_against_another_root_than_the_anchors_is_refused()
    {
        WithFinalWithdrawal(nameof(A_proof_against_another_root_than_the_anchors_is_refused), (kit, id) =>
        {
            // The withdrawal is in the head's state too, but that root is not the anchor's: a stale (or too new) proof.
            kit.SendL2(kit.Users[0], TransactionType.Transfer, TestKeys.Outsider("elsewhere"), Amount.FromCas(1));
            kit.ProduceL2();
            var call = kit.FinalizeCall(id);
            var atHead = call with { Proof = kit.ProofAt(BridgeKeys.Withdrawal(id), kit.L2.Head.StateRoot) };
            Refusal.AssertRefused(kit, kit.Users[1], atHead, $"the proof does not show withdrawal {id}");
        });
    }

    [Fact]
    public void A_proof_against_an_older_anchor_than_the_withdrawals_is_refused()
    {
        SettlementKit.Run(nameof(A_proof_against_an_older_anchor_than_the_withdrawals_is_refused), new KitOptions(), kit =>
        {
            var older = kit.AnchorHead();
            var (id, anchor) = Withdraw(kit);
            kit.WaitFinal(anchor);
            var call = kit.FinalizeCall(id);
            Assert.NotEqual(older.Index, call.AnchorIndex);
            // The anchor's index is not signed by anything: claiming the older, final root with the right proof still fails.
            Refusal.AssertRefused(kit, kit.Users[1], call with { AnchorIndex = older.Index }, $"the proof does not show withdrawal {id} under anchor {older.Index}");
        });
    }

    [Fact]
    public void A_withdrawal_id_the_L2_never_made_is_refused()
    {
        WithFinalWithdrawal(nameof(A_withdrawal_id_the_L2_never_made_is_refused), (kit, id) =>
        {
            var unknown = new Hash256(System.Security.Cryptography.SHA256.HashData("no such withdrawal"u8));
            var call = kit.FinalizeCall(id) with { WithdrawalId = unknown };
            Refusal.AssertRefused(kit, kit.Users[1], call, $"the proof does not show withdrawal {unknown}");
            // Unknown to the contract too: the real one is still payable.
            Assert.True(kit.Execute(kit.Users[1], kit.FinalizeCall(id)).Success);
        });
    }

    [Fact]
    public void An_anchor_index_that_does_not_exist_is_refused()
    {
        WithFinalWithdrawal(nameof(An_anchor_index_that_does_not_exist_is_refused), (kit, id) =>
            Refusal.AssertRefused(kit, kit.Users[1], kit.FinalizeCall(id) with { AnchorIndex = 99 }, $"chain {kit.ChainId} has no anchor 99"));
    }

    [Fact]
    public void A_withdrawal_for_another_chain_id_is_refused()
    {
        WithFinalWithdrawal(nameof(A_withdrawal_for_another_chain_id_is_refused), (kit, id) =>
            Refusal.AssertRefused(kit, kit.Users[1], kit.FinalizeCall(id) with { ChainId = kit.ChainId + 1 }, $"unknown chain {kit.ChainId + 1}"));
    }

    /// <summary>The bridge never pays more than 10,000 CAS at once, so the L2 refuses to burn more: nothing is lost.</summary>
    [Fact]
    public void A_withdrawal_above_the_per_transaction_limit_is_refused_on_L2_and_nothing_burns()
    {
        // Rewards large enough to bridge more than the 10,000 CAS limit (two deposits, each within the deposit limit).
        var options = new KitOptions { Settlement = SettlementParameters.Regtest with { BlockReward = Amount.FromCas(6_000) } };
        SettlementKit.Run(nameof(A_withdrawal_above_the_per_transaction_limit_is_refused_on_L2_and_nothing_burns), options, kit =>
        {
            var user = kit.Users[0];
            var address = TestKeys.AddressOf(user);
            var limit = kit.L1.Parameters.MaxWithdrawalPerTransaction;
            kit.Deposit(user, Amount.FromCas(6_000));
            kit.Deposit(user, Amount.FromCas(5_000));
            kit.MineL1();
            kit.ProduceL2();
            var before = kit.L2Balance(address);
            Assert.Equal(Amount.FromCas(11_000), before);

            var rejection = kit.SubmitL2(kit.SignL2(user, TransactionType.Withdrawal, address, limit + Amount.FromSat(1)));

            Assert.Equal(TxRejectReason.OverLimit, rejection?.Reason);
            kit.ProduceL2();
            Assert.Equal(before, kit.L2Balance(address));
            // Exactly the limit is fine.
            kit.SendL2(user, TransactionType.Withdrawal, address, limit);
        });
    }

    [Fact]
    public void A_record_that_is_not_a_withdrawal_is_refused()
    {
        WithFinalWithdrawal(nameof(A_record_that_is_not_a_withdrawal_is_refused), (kit, id) =>
        {
            var call = kit.FinalizeCall(id);
            Refusal.AssertRefused(kit, kit.Users[1], call with { WithdrawalRecord = call.WithdrawalRecord[..^1] }, "not a withdrawal record");
        });
    }
}
