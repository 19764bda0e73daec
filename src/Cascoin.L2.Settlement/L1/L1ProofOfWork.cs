using System.Numerics;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// Proof of work of the embedded L1, as bitcoind's: a header's hash, read as a little-endian 256-bit
/// number, must not exceed the target its compact <c>bits</c> encode, and the chain with the most
/// cumulative work wins. Regtest uses bitcoind's regtest limit (0x207fffff: about every second hash
/// meets it) and never retargets, so blocks cost nothing to make but a chain of them cannot be
/// faked without doing the work either.
/// </summary>
public static class L1ProofOfWork
{
    private static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    /// <summary>The target of compact <paramref name="bits"/>; null when they encode a negative, zero or overflowing one.</summary>
    public static BigInteger? Target(uint bits)
    {
        var exponent = (int)(bits >> 24);
        var mantissa = bits & 0x007f_ffffu;
        if ((bits & 0x0080_0000u) != 0 || mantissa == 0)
            return null;
        var target = exponent <= 3 ? new BigInteger(mantissa >> (8 * (3 - exponent))) : new BigInteger(mantissa) << (8 * (exponent - 3));
        return target.IsZero || target >= TwoTo256 ? null : target;
    }

    /// <summary>The expected number of hashes to meet <paramref name="bits"/>: 2^256 / (target + 1).</summary>
    public static BigInteger Work(uint bits) =>
        Target(bits) is { } target ? TwoTo256 / (target + 1) : throw new ArgumentOutOfRangeException(nameof(bits), bits, "not a valid compact target");

    /// <summary>Whether <paramref name="hash"/> meets <paramref name="bits"/>.</summary>
    public static bool Meets(Hash256 hash, uint bits) =>
        Target(bits) is { } target && new BigInteger(hash.ToArray(), isUnsigned: true, isBigEndian: false) <= target;
}
