using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.SettlementChain;

/// <summary>The longest valid branch is the active chain; invalidateblock and reconsiderblock move between branches, with the state and the mempool following.</summary>
public sealed class ReorganizationTests
{
    private static readonly Address Payee = TestKeys.Outsider("reorg-payee");
    private static readonly Address OtherMiner = TestKeys.Outsider("other-miner");

    private static void WithFundedSender(string name, Action<L1Node, Crypto.PrivateKey> test) =>
        L1Node.Run(name, l1 =>
        {
            var sender = TestKeys.Key(70);
            l1.Fund([sender], 1);
            test(l1, sender);
        });

    [Fact]
    public void Invalidating_a_block_returns_to_its_parent_state_and_its_transactions_to_the_mempool()
    {
        WithFundedSender(nameof(Invalidating_a_block_returns_to_its_parent_state_and_its_transactions_to_the_mempool), (l1, sender) =>
        {
            var transfer = l1.Submit(sender, new TransferCall(Payee, Amount.FromCas(4)));
            var block = l1.Mine();
            l1.Mine();
            var tip = l1.Chain.Tip;
            L1ChainChange? change = null;
            l1.Chain.Changed += c => change = c;

            l1.Chain.InvalidateBlock(block.Hash);

            Assert.Equal(block.Height - 1, l1.Height);
            Assert.Equal(block.Header.ParentHash, l1.Chain.Tip.Hash);
            Assert.Equal(Amount.Zero, l1.Balance(Payee));
            Assert.Equal([transfer.Id], l1.Chain.Mempool.Select(t => t.Id));
            Assert.Equal(block.Height - 1, change!.ForkHeight);
            Assert.Equal([block.Hash, tip.Hash], change.Disconnected.Select(b => b.Hash));
            Assert.Empty(change.Connected);

            l1.Chain.ReconsiderBlock(block.Hash);

            Assert.Equal(tip, l1.Chain.Tip);
            Assert.Equal(Amount.FromCas(4), l1.Balance(Payee));
            Assert.True(l1.Chain.IsActive(block.Hash));
        });
    }

    [Fact]
    public void A_transaction_mined_again_by_reconsidering_its_block_leaves_the_mempool()
    {
        WithFundedSender(nameof(A_transaction_mined_again_by_reconsidering_its_block_leaves_the_mempool), (l1, sender) =>
        {
            l1.Submit(sender, new TransferCall(Payee, Amount.FromCas(4)));
            var block = l1.Mine();
            l1.Chain.InvalidateBlock(block.Hash);
            Assert.Single(l1.Chain.Mempool);

            l1.Chain.ReconsiderBlock(block.Hash);

            // Like Bitcoin Core's mempool after a block connects: what the active chain holds is not waiting any more.
            Assert.Empty(l1.Chain.Mempool);
            Assert.Equal(1UL, l1.Chain.PendingNonce(TestKeys.AddressOf(sender)));
        });
    }

    [Fact]
    public void The_longest_valid_branch_wins_and_a_tie_keeps_the_current_one()
    {
        WithFundedSender(nameof(The_longest_valid_branch_wins_and_a_tie_keeps_the_current_one), (l1, sender) =>
        {
            // Branch A: the transfer and two more blocks.
            var fork = l1.Height;
            l1.Submit(sender, new TransferCall(Payee, Amount.FromCas(4)));
            var a1 = l1.Mine();
            l1.Mine(2);

            // Branch B from the same parent, mined while A is invalid, without the transfer: as long as A.
            l1.Chain.InvalidateBlock(a1.Hash);
            Assert.Equal(fork, l1.Height);
            l1.Chain.RemoveFromMempool(_ => true);
            var b1 = l1.Mine(OtherMiner);
            l1.Mine(2, OtherMiner);
            var tipB = l1.Chain.Tip;
            l1.Chain.ReconsiderBlock(a1.Hash);
            Assert.Equal(tipB, l1.Chain.Tip);
            Assert.Equal(Amount.Zero, l1.Balance(Payee));

            // A becomes active while B is invalid and grows two blocks past B.
            l1.Chain.InvalidateBlock(b1.Hash);
            Assert.True(l1.Chain.IsActive(a1.Hash));
            Assert.Equal(Amount.FromCas(4), l1.Balance(Payee));
            l1.Mine(2);
            var tipA = l1.Chain.Tip;
            Assert.Equal(fork + 5, tipA.Height);
            l1.Chain.ReconsiderBlock(b1.Hash);
            Assert.Equal(tipA, l1.Chain.Tip);

            // Knocked back to B and released again, the longer A wins the reorganization back, its state with it.
            l1.Chain.InvalidateBlock(a1.Hash);
            Assert.Equal(tipB, l1.Chain.Tip);
            Assert.Equal(Amount.Zero, l1.Balance(Payee));
            l1.Chain.ReconsiderBlock(a1.Hash);
            Assert.Equal(tipA, l1.Chain.Tip);
            Assert.Equal(Amount.FromCas(4), l1.Balance(Payee));
        });
    }
}
