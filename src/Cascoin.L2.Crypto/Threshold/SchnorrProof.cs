using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// A Schnorr proof of knowledge of k with P = k·G, bound to a message (Fiat–Shamir with a
/// domain tag): (e, z) with e = H(tag, P, z·G − e·P, message). It makes an envelope's sender show
/// it knows its ephemeral key, so nobody can copy an envelope's point into another and have the
/// sequencers decrypt the original for them.
/// </summary>
internal static class SchnorrProof
{
    public const int Size = 2 * Group.ScalarSize;

    public static byte[] Prove(BigInteger k, ECPoint p, string tag, byte[] message)
    {
        var w = Group.RandomScalar();
        var e = Challenge(tag, p, Group.Base(w), message);
        var z = w.Add(e.Multiply(k)).Mod(Group.N);
        return [.. Group.EncodeScalar(e), .. Group.EncodeScalar(z)];
    }

    public static bool Verify(ReadOnlySpan<byte> proof, ECPoint p, string tag, byte[] message)
    {
        if (proof.Length != Size || Group.DecodeScalar(proof[..Group.ScalarSize]) is not { } e || Group.DecodeScalar(proof[Group.ScalarSize..]) is not { } z)
            return false;
        var w = Group.SumOfMultiplies(z, [p], [Group.N.Subtract(e)]);
        return !w.IsInfinity && Challenge(tag, p, w, message).Equals(e);
    }

    private static BigInteger Challenge(string tag, ECPoint p, ECPoint w, byte[] message) =>
        Group.HashToScalar(tag, Group.Encode(p), Group.Encode(w), message);
}
