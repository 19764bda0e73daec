using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// A backlog of batch data larger than one anchor (a burst of L2 blocks while no L1 block came) drains
/// several anchors per L1 block, each on the one before, so old headers never outlive the L1 age bound.
/// </summary>
public sealed class AnchorBacklogTests
{
    [Fact]
    public void A_backlog_is_anchored_in_several_batches_of_bounded_size_in_one_L1_block()
    {
        var small = SettlementParameters.Regtest with { MaxBatchBytes = 6 * 1024 };
        SettlementKit.Run(nameof(A_backlog_is_anchored_in_several_batches_of_bounded_size_in_one_L1_block), new KitOptions { Settlement = small }, kit =>
        {
            kit.Deposit(kit.Users[0], Amount.FromCas(50));
            kit.MineL1();
            kit.ProduceL2();
            kit.Monitor.AnchoringEnabled = false;
            for (var block = 0; block < 12; block++)
            {
                for (var i = 0; i < 8; i++)
                    kit.SendL2(kit.Users[0], TransactionType.Transfer, TestKeys.Outsider($"backlog-{i}"), Amount.FromSat(1_000 + i));
                kit.ProduceL2();
            }
            var head = kit.L2.Head.Number;
            var anchorsBefore = kit.Record.AnchorCount;
            kit.Monitor.AnchoringEnabled = true;
            kit.Sync();
            kit.Monitor.PostAnchorIfDue();

            var waiting = kit.L1.Chain.Mempool.Where(t => t.Kind == L1TransactionKind.Anchor).ToList();
            Assert.True(waiting.Count > 1, $"the backlog takes more than one anchor of at most {small.MaxBatchBytes} bytes; {waiting.Count} posted");
            Assert.All(waiting, t => Assert.True(t.Size <= small.MaxBatchBytes + 256, $"an anchor transaction of {t.Size} bytes"));
            kit.MineL1();

            var record = kit.Record;
            Assert.Equal(anchorsBefore + (ulong)waiting.Count, record.AnchorCount);
            Assert.Equal(head, record.LastAnchoredBlock);
            Assert.All(kit.L1.Chain.GetReceipts(kit.L1.Chain.Tip.Hash)!, r => Assert.True(r.Success, r.Error));
        });
    }
}
