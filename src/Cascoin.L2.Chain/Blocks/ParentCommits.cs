using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>The rule for the parent's certificate a block carries, and who it makes share the block's fees.</summary>
public static class ParentCommits
{
    /// <summary>
    /// The sequencers who share the fees of the block after <paramref name="parent"/>: the signers of
    /// the parent's certificate it carries other than its producer, with their weights. The
    /// certificate must be the parent's (precommits at its round) by distinct members of the parent's
    /// set holding more than 2/3 of its weight; on a chain without a set (<paramref name="setWeights"/>
    /// null), and for block 1, it is empty.
    /// </summary>
    public static (IReadOnlyList<FeeSharer> Sharers, BlockRejection? Rejection) FeeSharers(ulong chainId,
        Func<ulong, IReadOnlyDictionary<Address, UInt128>?>? setWeights, BlockHeader parent, CommitCertificate commit, Address producer)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(commit);
        if (setWeights is null || parent.Number == 0)
            return commit.IsEmpty ? ([], null) : ([], Refused($"block {parent.Number + 1} carries no parent certificate here"));
        if (setWeights(parent.Number) is not { } weights)
            return ([], Refused($"the sequencer set of block {parent.Number} is not known here"));
        if (commit.RecoverSigners(chainId, parent) is not { } signers)
            return ([], Refused("a signature of the parent's certificate does not recover"));
        if (signers.Distinct().Count() != signers.Count || !signers.All(weights.ContainsKey))
            return ([], Refused("the parent's certificate is not by distinct members of its sequencer set"));
        var signed = signers.Aggregate(UInt128.Zero, (sum, signer) => sum + weights[signer]);
        if (!StakeQuorum.IsSupermajority(signed, weights.Values.Aggregate(UInt128.Zero, (sum, w) => sum + w)))
            return ([], Refused($"the parent's certificate holds {signers.Count} of {weights.Count} sequencers, not more than 2/3 of their weight"));
        return ([.. signers.Where(s => s != producer).Select(s => new FeeSharer(s, weights[s]))], null);
    }

    private static BlockRejection Refused(string message) => new(BlockRejectReason.BadParentCommit, message);
}
