using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>
/// The fee share on executed blocks (issue 12, SPEC §9 property 18): each block carries its parent's
/// finality certificate, and the 20 % goes to that certificate's signers other than the producer, by
/// weight. A certificate short of 2/3, by strangers, or swapped after sealing makes the block invalid.
/// </summary>
public sealed class ParentCommitTests
{
    private static readonly PrivateKey[] Set = [TestKeys.Key(100), TestKeys.Key(101), TestKeys.Key(102), TestKeys.Key(103)];
    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly ChainParameters Parameters = TestChains.Default;
    private static readonly GenesisSpec Genesis = new(TestChains.GenesisTime, [new GenesisAllocation(TestKeys.AddressOf(AliceKey), Amount.FromCas(100))]);

    private static Func<ulong, IReadOnlyDictionary<Address, UInt128>?> Weights(ulong[] weights) =>
        _ => Set.Select((key, i) => (TestKeys.AddressOf(key), (UInt128)weights[i])).ToDictionary(p => p.Item1, p => p.Item2);

    /// <summary>Block 1 by <c>Set[0]</c> committed with the precommits of <paramref name="signers"/>.</summary>
    private static void CommitFirst(ChainNode node, IEnumerable<PrivateKey> signers)
    {
        var produced = node.Chain.Produce([], TestChains.GenesisTime + 100, Set[0]);
        Assert.True(produced.Block.ParentCommit.IsEmpty); // genesis has no certificate
        var certificate = signers.Select(k => Block.Seal(Parameters.ChainId, produced.Block.Header, k, 1)).ToList();
        node.Chain.Commit(produced with { Block = produced.Block.WithCertificate(1, certificate) });
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void The_fees_of_an_executed_block_split_70_20_10_with_the_twenty_by_weight_to_the_other_signers_of_its_parent(Seed seed)
    {
        var random = new Random(seed.Value);
        var weights = Set.Select(_ => (ulong)random.Next(1, 1_000_000) * 100).ToList();
        var total = weights.Aggregate(UInt128.Zero, (sum, w) => sum + w);
        // Any subset holding more than 2/3 of the weight; the producer of block 2 signed or not.
        List<int> signers;
        do
            signers = Enumerable.Range(0, Set.Length).Where(_ => random.Next(4) > 0).ToList();
        while (!StakeQuorum.IsSupermajority(signers.Aggregate(UInt128.Zero, (sum, i) => sum + weights[i]), total));
        var producer = random.Next(Set.Length);

        using var directory = TestDirectory.Create("parent-commit-property");
        using var node = ChainNode.Open(directory.Combine("node"), Parameters);
        node.Chain.EnsureGenesis(Genesis);
        node.Chain.SetWeights = Weights([.. weights]);
        CommitFirst(node, signers.Select(i => Set[i]));
        var before = Set.Select(k => node.Chain.GetAccount(TestKeys.AddressOf(k)).Balance).ToList();
        var transfers = Enumerable.Range(0, random.Next(1, 6))
            .Select(n => Tx.Transfer(AliceKey, (ulong)n, TestKeys.Outsider(n), 1_000, tip: (ulong)random.Next(0, 5))).ToList();

        var produced = node.Chain.Produce(transfers, TestChains.GenesisTime + 200, Set[producer]);
        Assert.Empty(produced.Skipped);
        node.Chain.Commit(produced);

        var fees = produced.Outcome.Fees;
        var paid = Set.Select((k, i) => node.Chain.GetAccount(TestKeys.AddressOf(k)).Balance - before[i]).ToList();
        Assert.Equal(fees.Total, paid.Aggregate(Amount.Zero, (sum, p) => sum + p) + fees.Burned);
        var others = signers.Where(i => i != producer).ToList();
        var othersWeight = others.Aggregate(UInt128.Zero, (sum, i) => sum + weights[i]);
        var twenty = fees.Total.PercentFloor(FeeSplit.SequencersPercent).Sat;
        Assert.Equal(fees.Total.PercentFloor(FeeSplit.ProducerPercent).Sat + (others.Count == 0 ? twenty : 0), paid[producer].Sat);
        for (var i = 0; i < Set.Length; i++)
        {
            if (i == producer)
                continue;
            var expected = others.Contains(i) ? (long)(ulong)((UInt128)(ulong)twenty * weights[i] / othersWeight) : 0;
            Assert.Equal(expected, paid[i].Sat);
        }
        Assert.InRange(fees.Burned.Sat - fees.Total.PercentFloor(FeeSplit.BurnPercent).Sat, 0, 2 + others.Count);
    }

    [Fact]
    public void A_parent_certificate_short_of_two_thirds_by_a_stranger_or_swapped_after_sealing_makes_the_block_invalid()
    {
        using var directory = TestDirectory.Create("parent-commit-refusals");
        using var producer = ChainNode.Open(directory.Combine("producer"), Parameters);
        using var validator = ChainNode.Open(directory.Combine("validator"), Parameters);
        var weights = Weights([1, 1, 1, 1]);
        foreach (var node in new[] { producer, validator })
        {
            node.Chain.EnsureGenesis(Genesis);
            node.Chain.SetWeights = weights;
        }
        CommitFirst(producer, Set[..3]);
        Assert.Null(validator.Chain.Import(producer.Chain.GetBlock(1)!, TestChains.GenesisTime + 1_000, Set.Select(TestKeys.AddressOf).ToHashSet()));
        var honest = producer.Chain.Produce([Tx.Transfer(AliceKey, 0, TestKeys.Outsider(1), 1_000)], TestChains.GenesisTime + 200, Set[1]).Block;
        var now = TestChains.GenesisTime + 1_000;

        var parent = producer.Chain.GetHeader(1)!;
        BlockRejection? Carrying(CommitCertificate commit) => validator.Chain.Validate(Resealed(honest, commit), now).Rejection;
        var short2 = new CommitCertificate(1, Set[..2].Select(k => Block.Seal(Parameters.ChainId, parent, k, 1)).ToList());
        Assert.Contains("not more than 2/3", Carrying(short2)!.Message, StringComparison.Ordinal);
        var stranger = new CommitCertificate(1, [.. Set[..2].Select(k => Block.Seal(Parameters.ChainId, parent, k, 1)), Block.Seal(Parameters.ChainId, parent, TestKeys.Key(104), 1)]);
        Assert.Contains("not by distinct members", Carrying(stranger)!.Message, StringComparison.Ordinal);
        var twice = new CommitCertificate(1, [.. Set[..2].Select(k => Block.Seal(Parameters.ChainId, parent, k, 1)), Block.Seal(Parameters.ChainId, parent, Set[0], 1)]);
        Assert.Contains("not by distinct members", Carrying(twice)!.Message, StringComparison.Ordinal);
        Assert.Equal(BlockRejectReason.BadParentCommit, Carrying(CommitCertificate.Empty)?.Reason);
        // Another valid certificate of the parent, swapped in after sealing: the header commits to the one it paid.
        var swapped = honest.WithCertificate(honest.CommitRound, honest.Signatures);
        swapped = new Block(swapped.Header, swapped.Transactions, swapped.Signatures, swapped.CommitRound,
            new CommitCertificate(1, Set[1..].Select(k => Block.Seal(Parameters.ChainId, parent, k, 1)).ToList()));
        Assert.Equal("the parent's certificate is not the one the header commits to", validator.Chain.Validate(swapped, now).Rejection?.Message);

        Assert.Null(validator.Chain.Validate(honest, now).Rejection);
    }

    /// <summary><paramref name="block"/> carrying <paramref name="commit"/>, its header committing to it and re-sealed by its producer (what a dishonest one would send).</summary>
    private static Block Resealed(Block block, CommitCertificate commit)
    {
        var h = block.Header;
        var header = new BlockHeader(h.Number, h.ParentHash, h.StateRoot, h.TransactionsRoot, h.ReceiptsRoot, h.L1MessagesRoot, h.Sequencer, h.Timestamp,
            h.GasLimit, h.GasUsed, h.BaseFee, h.L1AnchorHeight, h.L1AnchorHash, h.Processed, commit.Hash);
        return new Block(header, block.Transactions, [Block.Seal(Parameters.ChainId, header, Set[1])], 0, commit);
    }
}
