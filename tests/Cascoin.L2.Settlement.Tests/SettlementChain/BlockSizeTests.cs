using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.SettlementChain;

/// <summary>L1 blocks are bounded in bytes: a miner leaves what does not fit for the next block, and a larger block from a peer is invalid.</summary>
public sealed class BlockSizeTests
{
    [Fact]
    public void A_miner_fills_blocks_up_to_the_limit_and_a_larger_block_is_refused_before_it_is_stored()
    {
        var parameters = SettlementParameters.Regtest with { MaxBlockBytes = 2_000 };
        L1Node.Run(nameof(A_miner_fills_blocks_up_to_the_limit_and_a_larger_block_is_refused_before_it_is_stored), l1 =>
        {
            var sender = TestKeys.Key(62);
            l1.Fund([sender], 1);
            var sent = Enumerable.Range(0, 20).Select(i => l1.Submit(sender, new TransferCall(TestKeys.Outsider($"size-{i}"), Amount.FromCas(1)))).ToList();

            var first = l1.Mine();
            Assert.True(first.Size <= parameters.MaxBlockBytes, $"a mined block of {first.Size} bytes");
            Assert.InRange(first.Transactions.Count, 1, sent.Count - 1);
            Assert.Equal(sent.Count - first.Transactions.Count, l1.Chain.Mempool.Count);
            while (l1.Chain.Mempool.Count > 0)
                Assert.True(l1.Mine().Size <= parameters.MaxBlockBytes);

            // A peer's block over the limit (every transaction again in one block, with its work) is refused and not stored.
            using var otherDirectory = Cascoin.L2.TestKit.TestDirectory.Create("block-size-other");
            using var other = new L1Node(otherDirectory.Combine("l1"), parameters with { MaxBlockBytes = 1_000_000 });
            other.Fund([sender], 1);
            foreach (var i in Enumerable.Range(0, 20))
                other.Submit(sender, new TransferCall(TestKeys.Outsider($"size-{i}"), Amount.FromCas(1)));
            var large = other.Mine();
            Assert.True(large.Size > parameters.MaxBlockBytes);
            var (outcome, reason) = l1.Chain.AcceptBlock(large, ulong.MaxValue / 2);
            Assert.Equal(L1BlockAcceptance.Invalid, outcome);
            Assert.Contains("larger than the limit", reason, StringComparison.Ordinal);
            Assert.Null(l1.Chain.GetBlock(large.Hash));
            otherDirectory.Succeeded();
        }, parameters);
    }
}
