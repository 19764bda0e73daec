using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECCurve = Org.BouncyCastle.Math.EC.ECCurve;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// The secp256k1 group as the threshold schemes use it (doc/encrypted-mempool.md): points travel as
/// 33-byte compressed encodings (never the point at infinity), scalars as 32 big-endian bytes below
/// the group order n. Decoding outside input never throws: a bad encoding is null.
/// </summary>
/// <remarks>
/// With libsecp256k1 installed, every point multiplication by a secret (DKG polynomials, key shares,
/// ephemeral keys) runs in its constant-time code. The scalar arithmetic on secrets (polynomial
/// values, sums of shares) is BouncyCastle's BigInteger, which is not constant-time, nor is
/// BouncyCastle's point arithmetic, the fallback; those secrets live in sequencer processes and
/// wallets, as the ECDSA keys do.
/// </remarks>
internal static class Group
{
    public const int PointSize = 33;
    public const int ScalarSize = 32;

    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    public static ECCurve Curve { get; } = Parameters.Curve;

    public static ECPoint G { get; } = Parameters.G;

    public static BigInteger N { get; } = Parameters.N;

    /// <summary>
    /// The second generator of Pedersen commitments, whose logarithm to G nobody knows: the first
    /// x = SHA-256("cascoin-l2-pedersen-h-v1" ‖ counter u32, big-endian) from counter 0 that is on the
    /// curve, with even y.
    /// </summary>
    public static ECPoint H { get; } = HashToPoint("cascoin-l2-pedersen-h-v1");

    private static ECPoint HashToPoint(string tag)
    {
        var prefix = System.Text.Encoding.ASCII.GetBytes(tag);
        for (uint counter = 0; ; counter++)
        {
            var input = new byte[prefix.Length + 4];
            prefix.CopyTo(input, 0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(prefix.Length), counter);
            if (Decode([2, .. SHA256.HashData(input)]) is { } point)
                return point;
        }
    }

    /// <summary>k·G: through libsecp256k1 when it is installed (its precomputed table), else BouncyCastle's comb.</summary>
    public static ECPoint Base(BigInteger k)
    {
        k = k.Mod(N);
        if (k.SignValue == 0)
            return Curve.Infinity;
        if (Secp256k1Backends.Native is not { } native)
            return BaseMultiplier.Multiply(G, k).Normalize();
        Span<byte> product = stackalloc byte[65];
        if (!native.TryMultiplyBase(EncodeScalar(k), product))
            throw new InvalidOperationException("libsecp256k1 refused a scalar in range");
        return FromUncompressed(product);
    }

    private static ECPoint FromUncompressed(ReadOnlySpan<byte> product) =>
        Curve.CreatePoint(new BigInteger(1, product[1..33]), new BigInteger(1, product[33..]));

    /// <summary>
    /// k·P for a full-size k: through libsecp256k1 when it is installed (about three times faster than
    /// BouncyCastle, and constant-time), else BouncyCastle. Points cross as uncompressed coordinates,
    /// so neither side takes a square root. Small multipliers (member indices) stay with BouncyCastle,
    /// whose windowed method is faster for them than a constant-time 256-bit ladder.
    /// </summary>
    public static ECPoint Multiply(ECPoint point, BigInteger k)
    {
        k = k.Mod(N);
        if (k.SignValue == 0 || point.IsInfinity)
            return Curve.Infinity;
        if (Secp256k1Backends.Native is not { } native)
            return point.Multiply(k).Normalize();
        Span<byte> input = stackalloc byte[65];
        Span<byte> product = stackalloc byte[65];
        point.Normalize().EncodeTo(false, input);
        if (!native.TryMultiply(input, EncodeScalar(k), product))
            throw new InvalidOperationException("libsecp256k1 refused a point of the curve or a scalar in range");
        return FromUncompressed(product);
    }

    /// <summary>
    /// Σ scalars[i]·points[i] (the batch proofs' U* and D*, a combination's Σ λ_j·D_j): through
    /// libsecp256k1 when it is installed, else BouncyCastle's interleaved sum. Infinity when the sum is.
    /// </summary>
    public static ECPoint SumOfMultiplies(IReadOnlyList<ECPoint> points, IReadOnlyList<BigInteger> scalars) =>
        SumOfMultiplies(BigInteger.Zero, points, scalars);

    /// <summary>k·G + Σ scalars[i]·points[i] (a proof check's z·G − e·P): k·G by libsecp256k1's table of G when it is installed.</summary>
    public static ECPoint SumOfMultiplies(BigInteger k, IReadOnlyList<ECPoint> points, IReadOnlyList<BigInteger> scalars)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(scalars);
        if (points.Count != scalars.Count)
            throw new ArgumentException("one scalar per point", nameof(scalars));
        if (Secp256k1Backends.Native is not { } native || points.Any(p => p.IsInfinity))
            return ECAlgorithms.SumOfMultiplies([G, .. points], [k.Mod(N), .. scalars.Select(s => s.Mod(N))]).Normalize();
        var encoded = new byte[points.Count * 65];
        var reduced = new byte[points.Count * ScalarSize];
        for (var i = 0; i < points.Count; i++)
        {
            points[i].Normalize().EncodeTo(false, encoded.AsSpan(i * 65, 65));
            EncodeScalar(scalars[i].Mod(N)).CopyTo(reduced, i * ScalarSize);
        }
        Span<byte> sum = stackalloc byte[65];
        return native.TrySumOfProducts(EncodeScalar(k.Mod(N)), encoded, reduced, sum) switch
        {
            true => FromUncompressed(sum),
            false => Curve.Infinity,
            null => throw new InvalidOperationException("libsecp256k1 refused a point of the curve or a scalar in range"),
        };
    }

    /// <summary>A uniform scalar in 1..n−1 from the system's CSPRNG.</summary>
    public static BigInteger RandomScalar()
    {
        Span<byte> bytes = stackalloc byte[ScalarSize];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var k = new BigInteger(1, bytes);
            if (k.SignValue > 0 && k.CompareTo(N) < 0)
                return k;
        }
    }

    public static byte[] Encode(ECPoint point)
    {
        if (point.IsInfinity)
            throw new ArgumentException("the point at infinity has no encoding here", nameof(point));
        return point.Normalize().GetEncoded(true);
    }

    /// <summary>A 33-byte compressed point on the curve, or null.</summary>
    public static ECPoint? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != PointSize || bytes[0] is not (2 or 3))
            return null;
        if (Secp256k1Backends.Native is { } native)
        {
            // Every envelope, batch and share point is decoded here: libsecp256k1's square root.
            Span<byte> uncompressed = stackalloc byte[65];
            return native.TryDecompress(bytes, uncompressed) ? FromUncompressed(uncompressed) : null;
        }
        try
        {
            var point = Curve.DecodePoint(bytes.ToArray());
            return point.IsInfinity || !point.IsValid() ? null : point.Normalize();
        }
        catch (ArgumentException)
        {
            return null; // x is not on the curve, or not below p
        }
    }

    public static byte[] EncodeScalar(BigInteger k)
    {
        var bytes = new byte[ScalarSize];
        var raw = k.ToByteArrayUnsigned();
        raw.CopyTo(bytes, ScalarSize - raw.Length);
        return bytes;
    }

    /// <summary>32 big-endian bytes below n (zero allowed), or null.</summary>
    public static BigInteger? DecodeScalar(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ScalarSize)
            return null;
        var k = new BigInteger(1, bytes);
        return k.CompareTo(N) < 0 ? k : null;
    }

    /// <summary>SHA-256(tag ‖ 0x00 ‖ parts…) as a scalar mod n (the bias of reducing 256 bits mod n is below 2⁻¹²⁷).</summary>
    public static BigInteger HashToScalar(string tag, params byte[][] parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(tag));
        hash.AppendData([0]);
        foreach (var part in parts)
            hash.AppendData(part);
        return new BigInteger(1, hash.GetHashAndReset()).Mod(N);
    }

    /// <summary>The member index i (1-based) as a scalar: members are the points x = 1..n of the sharing polynomials.</summary>
    public static BigInteger Index(int i)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(i, 1);
        return BigInteger.ValueOf(i);
    }

    /// <summary>The Lagrange coefficient at 0 of member <paramref name="i"/> among <paramref name="members"/> (distinct, 1-based).</summary>
    public static BigInteger LagrangeAtZero(int i, IReadOnlyList<int> members) => LagrangeAt(0, i, members);

    /// <summary>The Lagrange coefficient at <paramref name="x"/> of member <paramref name="i"/> among <paramref name="members"/>: Π (x − j)/(i − j) over the others.</summary>
    public static BigInteger LagrangeAt(int x, int i, IReadOnlyList<int> members)
    {
        var numerator = BigInteger.One;
        var denominator = BigInteger.One;
        foreach (var j in members)
        {
            if (j == i)
                continue;
            numerator = numerator.Multiply(BigInteger.ValueOf(x - j)).Mod(N);
            denominator = denominator.Multiply(BigInteger.ValueOf(i - j)).Mod(N);
        }
        return numerator.Multiply(denominator.ModInverse(N)).Mod(N);
    }

    /// <summary>Σ points[k]·x^k, by Horner's rule (the value at x of a polynomial committed to point by point).</summary>
    public static ECPoint EvaluateInExponent(IReadOnlyList<ECPoint> coefficients, BigInteger x)
    {
        var result = coefficients[^1];
        for (var k = coefficients.Count - 2; k >= 0; k--)
            result = result.Multiply(x).Add(coefficients[k]);
        return result.Normalize();
    }
}
