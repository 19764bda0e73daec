using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.SettlementChain;

/// <summary>The L1 mempool holds, per sender, transactions that can be mined in nonce order now; everything else is refused with its reason.</summary>
public sealed class MempoolTests
{
    private static readonly Address Payee = TestKeys.Outsider("mempool-payee");

    private static void WithFundedSender(string name, Action<L1Node, Crypto.PrivateKey> test) =>
        L1Node.Run(name, l1 =>
        {
            var sender = TestKeys.Key(60);
            l1.Fund([sender], 1);
            test(l1, sender);
        });

    [Fact]
    public void Consecutive_nonces_wait_together_and_are_mined_in_one_block_in_order()
    {
        WithFundedSender(nameof(Consecutive_nonces_wait_together_and_are_mined_in_one_block_in_order), (l1, sender) =>
        {
            var address = TestKeys.AddressOf(sender);
            var sent = Enumerable.Range(1, 3).Select(i => l1.Submit(sender, new TransferCall(Payee, Amount.FromCas(i)))).ToList();
            Assert.Equal([0UL, 1UL, 2UL], sent.Select(t => t.Nonce));
            Assert.Equal(3UL, l1.Chain.PendingNonce(address));

            var block = l1.Mine();

            Assert.Equal(sent.Select(t => t.Id), block.Transactions.Select(t => t.Id));
            Assert.Equal(Amount.FromCas(6), l1.Balance(Payee));
            Assert.Equal(3UL, l1.Chain.StateAtTip().GetAccount(address).Nonce);
            Assert.Empty(l1.Chain.Mempool);
        });
    }

    [Fact]
    public void A_nonce_gap_a_used_nonce_a_duplicate_a_low_fee_and_an_unpaid_fee_are_refused()
    {
        WithFundedSender(nameof(A_nonce_gap_a_used_nonce_a_duplicate_a_low_fee_and_an_unpaid_fee_are_refused), (l1, sender) =>
        {
            var call = new TransferCall(Payee, Amount.FromCas(1));
            var first = l1.Submit(sender, call);
            l1.Mine();

            Assert.Equal(new L1Refusal(L1RefuseReason.NonceTooHigh, "account nonce is 1, transaction has 2"), l1.Chain.Submit(l1.Sign(sender, call, nonce: 2)));
            Assert.Equal("nonce-too-low: account nonce is 1, transaction has 0", l1.Chain.Submit(l1.Sign(sender, call, nonce: 0))?.ToString());
            var second = l1.Submit(sender, call);
            Assert.Equal("txn-already-in-mempool", l1.Chain.Submit(second)?.Code);
            Assert.Equal(L1RefuseReason.FeeTooLow, l1.Chain.Submit(l1.Sign(sender, call, fee: l1.Fee - Amount.FromSat(1), nonce: 2))?.Reason);
            var broke = TestKeys.Key(61);
            Assert.Equal("insufficient-funds", l1.Chain.Submit(l1.Sign(broke, call))?.Code);

            Assert.Equal([second.Id], l1.Chain.Mempool.Select(t => t.Id));
            Assert.NotEqual(first.Id, second.Id);
        });
    }

    [Fact]
    public void A_transaction_whose_call_fails_is_mined_pays_its_fee_and_uses_its_nonce()
    {
        WithFundedSender(nameof(A_transaction_whose_call_fails_is_mined_pays_its_fee_and_uses_its_nonce), (l1, sender) =>
        {
            var before = l1.Balance(sender);
            var receipt = l1.Execute(sender, new TransferCall(Payee, before));
            Assert.False(receipt.Success);
            Assert.Equal("insufficient balance (or a non-positive amount)", receipt.Error);
            Assert.Equal(before - l1.Fee, l1.Balance(sender));
            Assert.Equal(1UL, l1.Chain.StateAtTip().GetAccount(TestKeys.AddressOf(sender)).Nonce);
            Assert.Equal(Amount.Zero, l1.Balance(Payee));
        });
    }
}
