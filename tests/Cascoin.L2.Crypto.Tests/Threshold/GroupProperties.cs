using Cascoin.L2.Crypto.Threshold;
using FsCheck.Xunit;
using Xunit.Abstractions;
using Org.BouncyCastle.Math;

namespace Cascoin.L2.Crypto.Tests.Threshold;

/// <summary>
/// The group's multiplications through libsecp256k1 (variable base, and by G) give exactly
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
