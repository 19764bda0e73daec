using Cascoin.L2.Settlement.L1;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Settlement.Tests.SettlementChain;

/// <summary>A settlement chain reopened after a stop moves to the best chain its database holds.</summary>
public sealed class RestartTests
{
    /// <summary>
    /// A stop can come between storing a peer's block and connecting it (the database refuses the
    /// connect once it is closing). Reopened, the node knows the block, so the peer's copy is only
    /// "already known": unless the start itself activates the best chain, the node stays one block
    /// behind until some later block arrives, and a node deriving the L2 from L1 waits for an anchor
    /// it already holds (found by the operator guide's rebuild drill).
    /// </summary>
    [Fact]
    public void A_block_stored_but_not_connected_before_a_stop_is_connected_at_the_next_start()
    {
        using var directory = TestDirectory.Create(nameof(A_block_stored_but_not_connected_before_a_stop_is_connected_at_the_next_start));
        using var source = new L1Node(directory.Combine("source"), SettlementParameters.Regtest);
        source.Mine(3);
        var blocks = Enumerable.Range(1, 3).Select(h => source.Chain.GetBlock(source.Chain.GetHash((ulong)h)!.Value)!).ToList();

        using (var node = new L1Node(directory.Combine("node"), SettlementParameters.Regtest))
        {
            foreach (var block in blocks.Take(2))
                Assert.Equal(L1BlockAcceptance.Connected, node.Chain.AcceptBlock(block, blocks[^1].Header.Timestamp).Outcome);
            new L1BlockStore(node.Database).StoreBlock(blocks[2]);
            Assert.Equal(2UL, node.Height);
        }

        using (var reopened = new L1Node(directory.Combine("node"), SettlementParameters.Regtest))
        {
            Assert.Equal(3UL, reopened.Height);
            Assert.Equal(blocks[2].Hash, reopened.Chain.Tip.Hash);
            Assert.Equal(source.Balance(L1Node.Miner), reopened.Balance(L1Node.Miner));
            Assert.Equal(L1BlockAcceptance.AlreadyKnown, reopened.Chain.AcceptBlock(blocks[2], blocks[^1].Header.Timestamp).Outcome);
        }
        directory.Succeeded();
    }
}
