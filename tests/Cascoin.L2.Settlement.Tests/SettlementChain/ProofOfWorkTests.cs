using System.Numerics;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.SettlementChain;

/// <summary>
/// The embedded L1's proof of work and fork choice (issue 12), played by a lying peer: blocks without
/// the work, with another difficulty, or on a branch that leaves the chain too deep are refused before
/// anything is stored, and the chain goes on.
/// </summary>
public sealed class ProofOfWorkTests
{
    private static readonly ulong Now = L1Chain.GenesisTimestamp + 10_000_000;

    [Fact]
    public void Compact_targets_and_work_follow_bitcoind()
    {
        // Difficulty 1 (Bitcoin's genesis bits): target 0xffff × 2^208, work 2^256 / (target + 1) = 0x100010001.
        Assert.Equal(new BigInteger(0xffff) << 208, L1ProofOfWork.Target(0x1d00ffff));
        Assert.Equal(new BigInteger(0x1_0001_0001), L1ProofOfWork.Work(0x1d00ffff));
        // Regtest's limit: 0x7fffff × 2^232, just under 2^255: two hashes per block on average.
        Assert.Equal(new BigInteger(0x7fffff) << 232, L1ProofOfWork.Target(0x207fffff));
        Assert.Equal(new BigInteger(2), L1ProofOfWork.Work(0x207fffff));
        Assert.Equal(new BigInteger(0x12), L1ProofOfWork.Target(0x01120000)); // a small exponent shifts right
        Assert.Null(L1ProofOfWork.Target(0x04923456)); // the sign bit
        Assert.Null(L1ProofOfWork.Target(0x1d000000)); // zero
        Assert.Null(L1ProofOfWork.Target(0x2101ffff)); // 2^256 and beyond
        Assert.Throws<ArgumentOutOfRangeException>(() => L1ProofOfWork.Work(0));

        // The hash is read little-endian: the last byte is the most significant.
        var low = new byte[32];
        low[0] = 0xff;
        Assert.True(L1ProofOfWork.Meets(new Hash256(low), 0x1d00ffff));
        var high = new byte[32];
        high[28] = 0x01;
        Assert.False(L1ProofOfWork.Meets(new Hash256(high), 0x1d00ffff));
    }

    [Fact]
    public void Blocks_without_the_work_or_with_another_difficulty_are_refused_before_they_are_stored()
    {
        using var honest = Node(nameof(Blocks_without_the_work_or_with_another_difficulty_are_refused_before_they_are_stored), out var directory);
        using var liar = new L1Node(directory.Combine("liar"), SettlementParameters.Regtest);
        var genuine = liar.Mine();
        var header = genuine.Header;
        Assert.True(header.HasProofOfWork);

        // The same block with a nonce whose hash misses the target.
        var unsolved = Enumerable.Range(0, 64).Select(n => With(header, header.Bits, header.Nonce + 1 + (ulong)n)).First(h => !h.HasProofOfWork);
        Refused(honest, new L1Block(unsolved, genuine.Transactions), "no proof of work");
        // Other bits than the network's, even solved (a peer may not choose its own difficulty).
        var other = L1BlockHeader.Solve(With(header, 0x2000ffff, 0));
        Refused(honest, new L1Block(other, genuine.Transactions), "are not the network's");

        Assert.Equal((L1BlockAcceptance.Connected, (string?)null), honest.Chain.AcceptBlock(genuine, Now));
        Assert.Equal(1UL, honest.Height);
        directory.Succeeded();
    }

    [Fact]
    public void A_branch_leaving_the_chain_deeper_than_the_bound_is_refused_even_when_it_is_longer()
    {
        using var honest = Node(nameof(A_branch_leaving_the_chain_deeper_than_the_bound_is_refused_even_when_it_is_longer), out var directory);
        using var liar = new L1Node(directory.Combine("liar"), SettlementParameters.Regtest);
        var bound = honest.Parameters.MaxReorgDepth;
        honest.Mine((int)bound + 2);
        var tip = honest.Chain.Tip;
        // The liar's branch from the genesis, longer than the honest chain: more work, but it would rewrite settled history.
        var branch = Enumerable.Range(0, (int)bound + 10).Select(_ => liar.Mine(TestKeys.Outsider("liar"))).ToList();
        Refused(honest, branch[0], $"more than {bound} blocks below the tip");
        Assert.Equal(L1BlockAcceptance.MissingParent, honest.Chain.AcceptBlock(branch[1], Now).Outcome);
        Assert.Equal(tip, honest.Chain.Tip);

        // A branch within the bound that gets longer wins (most work), as on bitcoind.
        using var fair = new L1Node(directory.Combine("fair"), SettlementParameters.Regtest);
        foreach (var block in Enumerable.Range(1, (int)bound).Select(h => honest.Chain.GetBlock(honest.Chain.GetHash((ulong)h)!.Value)!))
            Assert.Equal(L1BlockAcceptance.Connected, fair.Chain.AcceptBlock(block, Now).Outcome);
        var side = Enumerable.Range(0, 5).Select(_ => fair.Mine(TestKeys.Outsider("fair"))).ToList();
        Assert.Equal(L1BlockAcceptance.SideBranch, honest.Chain.AcceptBlock(side[0], Now).Outcome);
        foreach (var block in side.Skip(1))
            honest.Chain.AcceptBlock(block, Now);
        Assert.Equal(side[^1].Header, honest.Chain.Tip);
        directory.Succeeded();
    }

    private static L1Node Node(string name, out Cascoin.L2.TestKit.TestDirectory directory)
    {
        directory = Cascoin.L2.TestKit.TestDirectory.Create(name);
        return new L1Node(directory.Combine("honest"), SettlementParameters.Regtest);
    }

    private static L1BlockHeader With(L1BlockHeader h, uint bits, ulong nonce) =>
        new(h.Height, h.ParentHash, h.StateRoot, h.TransactionsRoot, h.Timestamp, h.Miner, bits, nonce);

    private static void Refused(L1Node node, L1Block block, string reason)
    {
        var (outcome, why) = node.Chain.AcceptBlock(block, Now);
        Assert.Equal(L1BlockAcceptance.Invalid, outcome);
        Assert.Contains(reason, why, StringComparison.Ordinal);
        Assert.Null(node.Chain.GetBlock(block.Hash)); // nothing stored
    }
}
