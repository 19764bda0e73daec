using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>Deposits lock CAS on L1 and mint it on L2 once; those outside the limits, or for a chain that does not exist, move nothing but their fee.</summary>
public sealed class DepositTests
{
    [Fact]
    public void A_deposit_is_locked_on_L1_and_minted_once_on_L2()
    {
        SettlementKit.Run(nameof(A_deposit_is_locked_on_L1_and_minted_once_on_L2), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            var recipient = TestKeys.AddressOf(kit.Users[1]);
            var before = kit.L1.Balance(user);
            kit.Deposit(user, Amount.FromCas(7), recipient);
            kit.MineL1();
            Assert.Equal(before - Amount.FromCas(7) - kit.L1.Fee, kit.L1.Balance(user));
            Assert.Equal(Amount.FromCas(7), kit.Record.Locked);

            kit.ProduceL2(3);

            Assert.Equal(Amount.FromCas(7), kit.L2Balance(recipient));
            Assert.Equal(Amount.Zero, kit.L2Balance(user));
            Assert.Equal(1UL, kit.L2.Cursor.L1Messages);
        });
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(99_999L)]
    public void A_deposit_below_the_minimum_is_refused(long sat)
    {
        SettlementKit.Run($"{nameof(A_deposit_below_the_minimum_is_refused)}-{sat}", new KitOptions(), kit =>
            Refusal.AssertRefused(kit, kit.Users[0], new DepositCall(kit.ChainId, Amount.FromSat(sat), TestKeys.AddressOf(kit.Users[0])),
                $"deposit below the minimum of {kit.L1.Parameters.MinDeposit} CAS"));
    }

    [Fact]
    public void A_deposit_above_the_per_transaction_limit_is_refused()
    {
        var options = new KitOptions { Settlement = SettlementParameters.Regtest with { BlockReward = Amount.FromCas(6_000) } };
        SettlementKit.Run(nameof(A_deposit_above_the_per_transaction_limit_is_refused), options, kit =>
        {
            var limit = kit.L1.Parameters.MaxDepositPerTransaction;
            Refusal.AssertRefused(kit, kit.Users[0], new DepositCall(kit.ChainId, limit + Amount.FromSat(1), TestKeys.AddressOf(kit.Users[0])),
                $"deposit limit: {limit} CAS per transaction");
        });
    }

    [Fact]
    public void A_deposit_for_an_unknown_chain_id_is_refused()
    {
        SettlementKit.Run(nameof(A_deposit_for_an_unknown_chain_id_is_refused), new KitOptions(), kit =>
            Refusal.AssertRefused(kit, kit.Users[0], new DepositCall(kit.ChainId + 1, Amount.FromCas(1), TestKeys.AddressOf(kit.Users[0])), $"unknown chain {kit.ChainId + 1}"));
    }

    [Fact]
    public void An_L2_transaction_signed_for_another_chain_id_moves_nothing_on_L2()
    {
        SettlementKit.Run(nameof(An_L2_transaction_signed_for_another_chain_id_moves_nothing_on_L2), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            kit.Deposit(user, Amount.FromCas(5));
            kit.MineL1();
            kit.ProduceL2();
            var foreign = kit.SignL2(user, TransactionType.Transfer, TestKeys.AddressOf(kit.Users[1]), Amount.FromCas(1), chainId: kit.ChainId + 1);

            Assert.Equal(Cascoin.L2.Chain.Transactions.TxRejectReason.WrongChainId, kit.SubmitL2(foreign)?.Reason);
            // Nor can it be forced in through L1: the forced-inclusion contract checks the chain id too.
            Refusal.AssertRefused(kit, user, new ForceIncludeCall(kit.ChainId, foreign.ToBytes()), $"the transaction is for chain {kit.ChainId + 1}, not {kit.ChainId}");
            kit.ProduceL2();
            Assert.Equal(Amount.FromCas(5), kit.L2Balance(user));
            Assert.Equal(Amount.Zero, kit.L2Balance(kit.Users[1]));
        });
    }
}
