using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>
/// Forced inclusion with teeth (issue 12): a block that references an L1 block by which a forced
/// transaction is due must start with it. A leader that leaves it out, or puts its own transactions
/// first so that the forced one would run out of gas and be consumed as failed, makes an invalid block.
/// </summary>
public sealed class ForcedInclusionValidationTests
{
    [Fact]
    public void A_block_that_skips_or_starves_a_due_forced_transaction_is_refused_and_the_honest_one_takes_it_first()
    {
        SettlementKit.Run(nameof(A_block_that_skips_or_starves_a_due_forced_transaction_is_refused_and_the_honest_one_takes_it_first), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            var payee = TestKeys.Outsider("forced-payee");
            kit.Deposit(user, Amount.FromCas(5));
            kit.Deposit(kit.Users[1], Amount.FromCas(5));
            kit.MineL1();
            kit.ProduceL2();

            // The leader's own transfer waits in the mempool; the user forces one through L1.
            var own = kit.SendL2(kit.Users[1], TransactionType.Transfer, payee, Amount.FromSat(50_000_000));
            var forced = kit.SignL2(user, TransactionType.Transfer, payee, Amount.FromCas(1));
            kit.L1.Submit(user, new ForceIncludeCall(kit.ChainId, forced.ToBytes()));
            kit.MineL1();
            var (l1Height, l1Hash) = kit.L2.Settlement!.ConfirmedTip;
            Assert.True(kit.L1.Chain.StateAtTip().GetForced(kit.ChainId, 0)!.Height <= l1Height);

            var honest = kit.L2.Produce([own], kit.L2.Head.Timestamp + 100, kit.Sequencer);
            Assert.Equal(TransactionType.ForcedInclusion, honest.Block.Transactions[0].Type);
            Assert.Equal(own.Id, honest.Block.Transactions[1].Id);
            Assert.Equal(1UL, honest.Block.Header.Processed.Forced);
            var now = honest.Block.Header.Timestamp;
            Assert.Null(kit.L2.Validate(honest.Block, now).Rejection);

            // Skipped: the leader's transfer alone, under a header that references the same L1 block.
            var skipping = Resealed(kit, [own], honest.Block.Header);
            Assert.Equal(BlockRejectReason.QueueEntriesMissing, kit.L2.Validate(skipping, now).Rejection?.Reason);
            // Starved: its own transfer first, the forced one after it.
            var starving = Resealed(kit, [own, honest.Block.Transactions[0]], honest.Block.Header);
            var rejection = kit.L2.Validate(starving, now).Rejection;
            Assert.Equal(BlockRejectReason.QueueEntriesMissing, rejection?.Reason);
            Assert.Contains("entry 0 is missing or out of place", rejection!.Message, StringComparison.Ordinal);
            // Twice: the entry again after the due ones.
            var twice = Resealed(kit, [honest.Block.Transactions[0], own, honest.Block.Transactions[0]], honest.Block.Header);
            Assert.Equal(BlockRejectReason.QueueEntriesMissing, kit.L2.Validate(twice, now).Rejection?.Reason);

            kit.L2.Commit(honest);
            Assert.Equal(l1Height, honest.Block.Header.L1AnchorHeight);
            Assert.Equal(l1Hash, honest.Block.Header.L1AnchorHash);
            Assert.Equal(Amount.FromSat(150_000_000), kit.L2Balance(payee)); // both transfers, the forced one once
        });
    }

    /// <summary><paramref name="header"/> with another transaction list (its transactions and L1 messages roots follow the list), sealed by the kit's sequencer.</summary>
    private static Block Resealed(SettlementKit kit, IReadOnlyList<Transaction> transactions, BlockHeader header)
    {
        var resealed = new BlockHeader(header.Number, header.ParentHash, header.StateRoot, MerkleRoot.Compute(transactions.Select(t => t.Id).ToList()),
            header.ReceiptsRoot, L1QueueEntries.Root(transactions), header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed,
            header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash, header.Processed);
        return new Block(resealed, transactions, [Block.Seal(kit.ChainId, resealed, kit.Sequencer)]);
    }
}
