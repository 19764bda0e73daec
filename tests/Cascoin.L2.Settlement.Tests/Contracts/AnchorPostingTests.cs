using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// How a sequencer posts its batches: a backlog larger than one anchor (a burst of L2 blocks while no
/// L1 block came) drains several anchors per L1 block, each on the one before; and it never posts a
/// batch whose data it does not hold in full (the halting rule).
/// </summary>
public sealed class AnchorPostingTests
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

    [Fact]
    public void A_sequencer_that_does_not_hold_a_block_in_full_posts_no_anchor_and_says_why()
    {
        SettlementKit.Run(nameof(A_sequencer_that_does_not_hold_a_block_in_full_posts_no_anchor_and_says_why), new KitOptions(), kit =>
        {
            kit.Monitor.AnchoringEnabled = false;
            kit.ProduceL2((int)kit.L1.Parameters.BatchInterval + 2);
            // The body of block 3 is gone (a damaged disk, a prune gone wrong): the node cannot show the data of a batch holding it.
            var key = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, 3);
            using (var batch = kit.L2Database.CreateBatch())
            {
                batch.Delete(Storage.DbColumn.L2Blocks, key);
                kit.L2Database.Commit(batch);
            }
            kit.Monitor.AnchoringEnabled = true;
            kit.Monitor.PostAnchorIfDue();

            Assert.DoesNotContain(kit.L1.Chain.Mempool, t => t.Kind == L1TransactionKind.Anchor);
            Assert.Equal("this node does not hold L2 block 3 in full: no anchor is posted for data it does not hold", kit.Monitor.AnchoringHaltedReason);
            kit.MineL1();
            Assert.Equal(0UL, kit.Record.AnchorCount);
        });
    }
}
