using Cascoin.L2.Crypto.Threshold;
using FsCheck.Xunit;
using Xunit.Abstractions;
using Org.BouncyCastle.Math;

namespace Cascoin.L2.Crypto.Tests.Threshold;

/// <summary>
/// The group's multiplications and sums of products through libsecp256k1 (variable base, and by G) give exactly
/// BouncyCastle's products, for random points and scalars, including scalars of n and above (reduced) and 0; random
/// bytes never decode to a point off the curve, and decode as BouncyCastle's decoder does. Without libsecp256k1 both sides are BouncyCastle, and
/// the test says so.
/// </summary>
public sealed class GroupProperties(ITestOutputHelper output)
{
    [Property(MaxTest = 200)]
    public void Multiplications_through_libsecp256k1_equal_bouncycastle(byte[] seed, byte[] scalar)
    {
        if (Secp256k1Backends.Native is null)
            output.WriteLine("libsecp256k1 is not installed (contrib/install-deps.sh): both sides are BouncyCastle");
        var point = Group.Base(Group.HashToScalar("group-property", seed ?? []).Add(BigInteger.One));
        var k = new BigInteger(1, (scalar ?? []).Length == 0 ? [0] : scalar!);
        var expected = point.Multiply(k.Mod(Group.N)).Normalize();
        var actual = Group.Multiply(point, k);
        Assert.Equal(expected.IsInfinity, actual.IsInfinity);
        if (!expected.IsInfinity)
            Assert.Equal(Group.Encode(expected), Group.Encode(actual));
        Assert.True(Group.Multiply(point, BigInteger.Zero).IsInfinity);
        Assert.Equal(Group.Encode(Group.G.Multiply(k.Mod(Group.N).Add(BigInteger.One)).Normalize()), Group.Encode(Group.Base(k.Add(BigInteger.One))));
        Assert.Equal(Group.Encode(point), Group.Encode(Group.Multiply(point, Group.N.Add(BigInteger.One))));
    }

    [Property(MaxTest = 100)]
    public void Sums_of_products_through_libsecp256k1_equal_bouncycastle(byte[] seed, byte count, bool zeroOne, bool withBase)
    {
        var n = 1 + count % 6;
        var points = Enumerable.Range(0, n).Select(i => Group.Base(Group.HashToScalar("sum-point", seed ?? [], [(byte)i]).Add(BigInteger.One))).ToList();
        var scalars = Enumerable.Range(0, n).Select(i => Group.HashToScalar("sum-scalar", seed ?? [], [(byte)i])).ToList();
        if (zeroOne)
            scalars[0] = BigInteger.Zero; // a zero term is dropped, not refused
        var k = withBase ? Group.HashToScalar("sum-base", seed ?? []) : BigInteger.Zero;
        var expected = Org.BouncyCastle.Math.EC.ECAlgorithms.SumOfMultiplies([Group.G, .. points], [k, .. scalars]).Normalize();
        var actual = Group.SumOfMultiplies(k, points, scalars);
        Assert.Equal(expected.IsInfinity, actual.IsInfinity);
        if (!expected.IsInfinity)
            Assert.Equal(Group.Encode(expected), Group.Encode(actual));
        // P + (n − 1)·P is the point at infinity, on either side; and so is a sum of zero terms.
        Assert.True(Group.SumOfMultiplies([points[0], points[0]], [BigInteger.One, Group.N.Subtract(BigInteger.One)]).IsInfinity);
        Assert.True(Group.SumOfMultiplies([points[0]], [BigInteger.Zero]).IsInfinity);
        // z·G − e·P, a proof check's form, through the base term.
        Assert.Equal(Group.Encode(Group.Base(k.Add(BigInteger.One)).Subtract(Group.Multiply(points[0], scalars[^1])).Normalize()),
            Group.Encode(Group.SumOfMultiplies(k.Add(BigInteger.One), [points[0]], [Group.N.Subtract(scalars[^1])])));
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_decode_to_a_point_of_the_curve_or_to_nothing(byte[] bytes, bool odd)
    {
        var candidate = new byte[Group.PointSize];
        (bytes ?? []).AsSpan(0, Math.Min((bytes ?? []).Length, 32)).CopyTo(candidate.AsSpan(1));
        candidate[0] = odd ? (byte)3 : (byte)2;
        var decoded = Group.Decode(candidate);
        if (decoded is { } point)
            Assert.True(point.IsValid());
        // Through libsecp256k1 when installed: the same point as BouncyCastle's own decoder, or nothing when it refuses.
        Org.BouncyCastle.Math.EC.ECPoint? reference;
        try
        {
            reference = Group.Curve.DecodePoint(candidate);
        }
        catch (ArgumentException)
        {
            reference = null;
        }
        Assert.Equal(reference is null, decoded is null);
        if (reference is not null)
            Assert.Equal(reference.Normalize().GetEncoded(false), decoded!.GetEncoded(false));
        // x = p is not below the field's modulus: no point, whichever side decodes.
        Assert.Null(Group.Decode(Convert.FromHexString("02FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F")));
        if ((bytes ?? []).Length != Group.PointSize)
            Assert.Null(Group.Decode(bytes ?? []));
    }
}
