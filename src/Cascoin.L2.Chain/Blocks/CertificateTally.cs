using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>What is wrong with a certificate, checked against a sequencer set's weights.</summary>
public enum CertificateFault
{
    None,
    SignatureDoesNotRecover,
    RepeatedSigner,
    SignerNotInSet,

    /// <summary>Distinct members, but not more than 2/3 of the set's weight.</summary>
    NoQuorum,
}

/// <summary>
/// A certificate counted against a set (<see cref="Of"/>): its signers in order, the weight they hold
/// and the set's total, or the first fault and the signer it concerns. The one count behind the L2's
/// parent-certificate rule and the L1's anchor certificates, so both layers agree on what is final.
/// </summary>
public sealed record CertificateTally(CertificateFault Fault, IReadOnlyList<Address> Signers, Address? Culprit, UInt128 Signed, UInt128 Total)
{
    public bool IsValid => Fault == CertificateFault.None;

    /// <summary>Checks that distinct members of <paramref name="weights"/> holding more than 2/3 of its weight signed <paramref name="header"/> at the certificate's round.</summary>
    public static CertificateTally Of(CommitCertificate certificate, ulong chainId, BlockHeader header, IReadOnlyDictionary<Address, UInt128> weights)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return OfSigners(certificate.RecoverSigners(chainId, header), weights);
    }

    /// <summary>Checks that the <paramref name="recovered"/> signers (null: a signature did not recover) are distinct members of <paramref name="weights"/> holding more than 2/3 of its weight.</summary>
    public static CertificateTally OfSigners(IReadOnlyList<Address>? recovered, IReadOnlyDictionary<Address, UInt128> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var total = weights.Values.Aggregate(UInt128.Zero, (sum, w) => sum + w);
        if (recovered is null)
            return new(CertificateFault.SignatureDoesNotRecover, [], null, UInt128.Zero, total);
        var seen = new HashSet<Address>();
        var signed = UInt128.Zero;
        foreach (var signer in recovered)
        {
            if (!seen.Add(signer))
                return new(CertificateFault.RepeatedSigner, recovered, signer, signed, total);
            if (!weights.TryGetValue(signer, out var weight))
                return new(CertificateFault.SignerNotInSet, recovered, signer, signed, total);
            signed += weight;
        }
        return new(StakeQuorum.IsSupermajority(signed, total) ? CertificateFault.None : CertificateFault.NoQuorum, recovered, null, signed, total);
    }
}
