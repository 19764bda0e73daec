using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// A member's share from one dealer in the Pedersen phase of the DKG: f(j) and the blinding f′(j),
/// which must satisfy f(j)·G + f′(j)·H = Σ E_k·j^k for the dealer's commitments E_k. Bytes: the two
/// scalars, 32 bytes each, big-endian.
/// </summary>
internal readonly record struct SharePair(BigInteger Value, BigInteger Blinding)
{
    public const int Size = 2 * Group.ScalarSize;

    public byte[] ToBytes() => [.. Group.EncodeScalar(Value), .. Group.EncodeScalar(Blinding)];

    public static SharePair? Decode(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size && Group.DecodeScalar(bytes[..Group.ScalarSize]) is { } value && Group.DecodeScalar(bytes[Group.ScalarSize..]) is { } blinding
            ? new SharePair(value, blinding)
            : null;

    /// <summary>Whether the pair is member <paramref name="member"/>'s point of the polynomials committed to by <paramref name="commitments"/> (E_k = a_k·G + b_k·H).</summary>
    public bool Matches(IReadOnlyList<ECPoint> commitments, int member) =>
        Group.Base(Value).Add(Group.Multiply(Group.H, Blinding)).Normalize().Equals(Group.EvaluateInExponent(commitments, Group.Index(member)));
}
