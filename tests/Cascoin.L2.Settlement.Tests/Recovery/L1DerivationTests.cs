using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Recovery;

/// <summary>What a node rebuilding from L1 does with a batch that the sequencers certified but that does not re-execute.</summary>
public sealed class L1DerivationTests
{
    [Fact]
    public void A_certified_batch_whose_state_root_is_a_lie_halts_derivation_as_fraud_evidence_at_the_block_that_lies()
    {
        SettlementKit.Run(nameof(A_certified_batch_whose_state_root_is_a_lie_halts_derivation_as_fraud_evidence_at_the_block_that_lies), new KitOptions(), kit =>
        {
            kit.Monitor.AnchoringEnabled = false;
            kit.Deposit(kit.Users[0], Amount.FromCas(5));
            kit.MineL1();
            kit.ProduceL2();
            kit.SendL2(kit.Users[0], TransactionType.Transfer, TestKeys.AddressOf(kit.Users[1]), Amount.FromCas(1));
            kit.ProduceL2();
            var honest = kit.L2.GetBlock(1)!;
            var second = kit.L2.GetBlock(2)!;

            // The whole set (one sequencer here; more than 2/3 of any set) certifies block 2 with a made-up state root.
            var h = second.Header;
            var lie = new BlockHeader(h.Number, h.ParentHash, new Hash256(Hashes.Sha256d("stolen funds"u8)), h.TransactionsRoot, h.ReceiptsRoot, h.L1MessagesRoot,
                h.Sequencer, h.Timestamp, h.GasLimit, h.GasUsed, h.BaseFee, h.L1AnchorHeight, h.L1AnchorHash, h.Processed, h.ParentCommitHash);
            var forged = new Block(lie, second.Transactions, [Block.Seal(kit.ChainId, lie, kit.Sequencer)], 0, second.ParentCommit);
            var receipt = kit.Execute(kit.Sequencer, AnchorCall.Of(kit.ChainId, [honest, forged]));
            Assert.True(receipt.Success, receipt.Error); // L1 checks the certificate, not the roots: that is for the fraud proofs

            using var derived = new DerivedChain(kit);
            var (chain, derivation) = (derived.Chain, derived.Derivation);

            var progress = derivation.CatchUp(ulong.MaxValue / 2);

            Assert.NotNull(progress.Halted);
            Assert.StartsWith("FRAUD EVIDENCE: L2 block 2 of batch 0 does not re-execute", progress.Halted, StringComparison.Ordinal);
            Assert.Equal(0UL, progress.AnchorsDerived);
            Assert.Equal(honest.Hash, chain.Head.Hash); // the honest block before the lie stays
            Assert.Equal(kit.L2.GetHeader(1)!.StateRoot, chain.Head.StateRoot);
            // Halted means halted: later calls change nothing.
            Assert.Equal(progress, derivation.CatchUp(ulong.MaxValue / 2));
        });
    }
}
