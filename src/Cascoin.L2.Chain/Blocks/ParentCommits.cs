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
        var tally = CertificateTally.Of(commit, chainId, parent, weights);
        switch (tally.Fault)
        {
            case CertificateFault.SignatureDoesNotRecover:
                return ([], Refused("a signature of the parent's certificate does not recover"));
            case CertificateFault.RepeatedSigner or CertificateFault.SignerNotInSet:
                return ([], Refused("the parent's certificate is not by distinct members of its sequencer set"));
            case CertificateFault.NoQuorum:
                return ([], Refused($"the parent's certificate holds {tally.Signers.Count} of {weights.Count} sequencers, not more than 2/3 of their weight"));
        }
        var signers = tally.Signers;
        return ([.. signers.Where(s => s != producer).Select(s => new FeeSharer(s, weights[s]))], null);
    }

    private static BlockRejection Refused(string message) => new(BlockRejectReason.BadParentCommit, message);
}
