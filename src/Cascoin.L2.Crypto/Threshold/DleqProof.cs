using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// A Chaum–Pedersen proof that two points have the same discrete logarithm: A = x·G and B = x·H
/// (Fiat–Shamir with a domain tag): (e, z) with e = H(tag, A, H, B, z·G − e·A, z·H − e·B, context).
/// A sequencer's decryption share B = x_j·U of an envelope's point U carries one against its public
/// verification key A = x_j·G, so a wrong share is caught by anyone before it is combined.
/// </summary>
internal static class DleqProof
{
    public const int Size = 2 * Group.ScalarSize;

    public static byte[] Prove(BigInteger x, ECPoint a, ECPoint h, ECPoint b, string tag, byte[] context)
    {
        var w = Group.RandomScalar();
        var e = Challenge(tag, a, h, b, Group.Base(w), Group.Multiply(h, w), context);
        var z = w.Add(e.Multiply(x)).Mod(Group.N);
        return [.. Group.EncodeScalar(e), .. Group.EncodeScalar(z)];
    }

    public static bool Verify(ReadOnlySpan<byte> proof, ECPoint a, ECPoint h, ECPoint b, string tag, byte[] context)
    {
        if (proof.Length != Size || Group.DecodeScalar(proof[..Group.ScalarSize]) is not { } e || Group.DecodeScalar(proof[Group.ScalarSize..]) is not { } z)
            return false;
        var minusE = Group.N.Subtract(e);
        var r1 = Group.SumOfMultiplies(z, [a], [minusE]);
        var r2 = Group.SumOfMultiplies([h, b], [z, minusE]);
        return !r1.IsInfinity && !r2.IsInfinity && Challenge(tag, a, h, b, r1, r2, context).Equals(e);
    }

    private static BigInteger Challenge(string tag, ECPoint a, ECPoint h, ECPoint b, ECPoint r1, ECPoint r2, byte[] context) =>
        Group.HashToScalar(tag, Group.Encode(a), Group.Encode(h), Group.Encode(b), Group.Encode(r1), Group.Encode(r2), context);
}
