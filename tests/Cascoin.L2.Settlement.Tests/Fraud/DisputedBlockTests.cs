using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.Contracts.Fraud;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Fraud;

/// <summary>
/// The block a challenge disputes, rebuilt on L1 from the challenger's evidence and the L1's own
/// records: for every block of a real anchored batch (a deposit among transfers), the steps proven over
/// the frame L1 rebuilds end at exactly the state root the node committed; evidence that does not
/// hold together is refused, each for its reason.
/// </summary>
public sealed class DisputedBlockTests
{
    [Fact]
    public void The_frame_L1_rebuilds_proves_every_anchored_block_to_its_root_and_bad_evidence_is_refused()
    {
        SettlementKit.Run(nameof(The_frame_L1_rebuilds_proves_every_anchored_block_to_its_root_and_bad_evidence_is_refused), new KitOptions(), kit =>
        {
            // As a node on a deployed chain: blocks carry their parent's certificate, checked against the L1 set.
            var weights = new ContractContext(kit.L1.Chain.StateAtTip(), kit.L1.Parameters, kit.L1.Height, kit.SequencerAddress, Hash256.Zero).SequencerWeights(kit.Record);
            kit.L2.SetWeights = _ => weights;
            kit.Deposit(kit.Users[0], Amount.FromCas(20));
            kit.MineL1();
            kit.ProduceL2(); // block 1 mints the deposit: a queue-entry step
            for (var i = 0; i < 7; i++)
            {
                kit.SendL2(kit.Users[0], TransactionType.Transfer, TestKeys.AddressOf(kit.Users[1 + i % 2]), Amount.FromSat(10_000 + i));
                if (i % 3 == 0)
                    kit.SendL2(kit.Users[0], TransactionType.Withdrawal, TestKeys.Outsider("payee"), Amount.FromSat(500_000));
                kit.ProduceL2();
            }
            var anchor = kit.AnchorHead();
            var state = kit.L1.Chain.StateAtTip();
            var context = new ContractContext(state, kit.L1.Parameters, kit.L1.Height + 1, TestKeys.AddressOf(kit.Users[2]), Hash256.Zero)
            {
                History = kit.L1.Chain,
                Network = L1Node.Network,
            };

            for (var number = anchor.FirstBlock; number <= anchor.LastBlock; number++)
            {
                var evidence = Evidence(kit, anchor, number);
                var (disputed, refusal) = DisputedBlock.Rebuild(context, kit.Record, anchor, number, evidence);
                Assert.True(disputed is not null, refusal?.ToString());
                var block = kit.L2.GetBlock(number)!;
                var steps = BlockSteps.Of(disputed.Frame, block.Transactions, kit.L2State.Tree, number - 1);
                Assert.Equal(disputed.StartCommitment, steps.States[0].Commitment);
                Assert.Equal(disputed.ClaimedEnd, steps.States[^1].Commitment);
                Assert.Equal(block.Transactions.Count + 1, disputed.Steps);
            }

            var middle = anchor.FirstBlock + (anchor.LastBlock - anchor.FirstBlock) / 2;
            var good = Evidence(kit, anchor, middle);
            Refused(L1RefuseReason.BadRange, good, anchor.LastBlock + 1, "covers L2 blocks");
            Refused(L1RefuseReason.BadRange, good with { Headers = good.Headers.Take(good.Headers.Count - 1).ToList() }, middle, "the headers run from");
            var forged = good.Headers.ToList();
            var h = forged[1];
            forged[1] = new BlockHeader(h.Number, h.ParentHash, new Hash256(System.Security.Cryptography.SHA256.HashData("a nicer root"u8)), h.TransactionsRoot, h.ReceiptsRoot,
                h.L1MessagesRoot, h.Sequencer, h.Timestamp, h.GasLimit, h.GasUsed, h.BaseFee, h.L1AnchorHeight, h.L1AnchorHash, h.Processed, h.ParentCommitHash);
            Refused(L1RefuseReason.BadRange, good with { Headers = forged }, middle, "is not the child of the header before it");
            Refused(L1RefuseReason.BadRange, good with { ParentCommit = kit.L2.GetBlock(middle + 1)!.ParentCommit }, middle, "parent certificate");
            Refused(L1RefuseReason.BadRange, good with { TransactionIds = [.. good.TransactionIds, Hash256.Zero] }, middle, "transaction ids");

            void Refused(L1RefuseReason reason, DisputeEvidence evidence, ulong number, string says)
            {
                var (disputed, refusal) = DisputedBlock.Rebuild(context, kit.Record, anchor, number, evidence);
                Assert.Null(disputed);
                Assert.Equal(reason, refusal!.Reason);
                Assert.Contains(says, refusal.Message, StringComparison.Ordinal);
            }
        });
    }

    private static DisputeEvidence Evidence(SettlementKit kit, AnchorRecord anchor, ulong number)
    {
        var first = number >= 3 ? number - 2 : number - 1;
        var headers = new List<BlockHeader>();
        for (var n = first; n <= anchor.LastBlock; n++)
            headers.Add(kit.L2.GetHeader(n)!);
        var block = kit.L2.GetBlock(number)!;
        return new DisputeEvidence(headers, block.ParentCommit, block.Transactions.Select(t => t.Id).ToList());
    }
}
