using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>
/// -l2faultyroot, the regtest fault injection of the fraud-proof tests: a node faulty at a height
/// produces a block there whose state root an honest node refuses, while another node faulty at the
/// same height takes it — so a faulty majority agrees on the lie, as a dishonest one would.
/// </summary>
public sealed class FaultInjectionTests
{
    private static readonly PrivateKey Alice = TestKeys.Key(1);
    private static readonly GenesisSpec Genesis = new(TestChains.GenesisTime, [new GenesisAllocation(TestKeys.AddressOf(Alice), Amount.FromCas(10))]);

    [Fact]
    public void A_faulty_block_is_refused_by_an_honest_node_and_taken_by_a_node_faulty_at_the_same_height()
    {
        using var directory = TestDirectory.Create("fault-injection");
        using var faulty = ChainNode.Open(directory.Combine("faulty"), TestChains.Default, faultyAt: 1);
        using var accomplice = ChainNode.Open(directory.Combine("accomplice"), TestChains.Default, faultyAt: 1);
        using var honest = ChainNode.Open(directory.Combine("honest"), TestChains.Default);
        foreach (var node in new[] { faulty, accomplice, honest })
            node.Chain.EnsureGenesis(Genesis);

        var produced = faulty.Chain.Produce([Tx.Transfer(Alice, 0, TestKeys.Outsider(1), 1_000)], TestChains.GenesisTime + 100, TestKeys.Key(0));
        faulty.Chain.Commit(produced);
        var block = faulty.Chain.GetBlock(1)!;
        // The producer was minted 1 CAS on top of its fees.
        Assert.Equal(Amount.OneCas + produced.Outcome.Fees.Producer, faulty.Chain.GetAccount(TestKeys.AddressAt(0)).Balance);

        var (refused, rejection) = honest.Chain.Validate(block, TestChains.GenesisTime + 1_000);
        Assert.Null(refused);
        Assert.Equal(BlockRejectReason.BadStateRoot, rejection!.Reason);
        var (taken, _) = accomplice.Chain.Validate(block, TestChains.GenesisTime + 1_000);
        Assert.NotNull(taken);
        directory.Succeeded();
    }
}
