using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;

namespace Cascoin.L2.Crypto;

/// <summary>
/// secp256k1 in managed code on BouncyCastle's curve implementation. Always available; gives the
/// same bytes as <see cref="LibSecp256k1"/>, several times slower.
/// </summary>
/// <remarks>
/// BouncyCastle's big-integer arithmetic is not constant-time, so signing here may leak timing
/// information about the key; prefer libsecp256k1 for signing where it is installed.
/// The type holds no state: the curve objects are immutable and shared.
/// </remarks>
public sealed class BouncyCastleSecp256k1 : ISecp256k1Backend
{
    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECCurve Curve = Parameters.Curve;
    private static readonly ECPoint G = Parameters.G;
    private static readonly BigInteger N = Parameters.N;
    private static readonly BigInteger HalfN = N.ShiftRight(1);
    private static readonly BigInteger P = Curve.Field.Characteristic;
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    public string Name => "bouncycastle";

    public bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32) => Secp256k1Format.IsValidScalar(privateKey32);

    public void GetPublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> compressedPublicKey33)
    {
        RequireValidPrivateKey(privateKey32);
        Secp256k1Format.RequireLength(compressedPublicKey33, Secp256k1Format.CompressedPublicKeySize, nameof(compressedPublicKey33));
        var d = new BigInteger(1, privateKey32);
        BaseMultiplier.Multiply(G, d).Normalize().EncodeTo(true, compressedPublicKey33);
    }

    public void SignRecoverable(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, Span<byte> signature65)
    {
        Secp256k1Format.RequireLength(hash32, Secp256k1Format.HashSize, nameof(hash32));
        RequireValidPrivateKey(privateKey32);
        Secp256k1Format.RequireLength(signature65, Secp256k1Format.RecoverableSignatureSize, nameof(signature65));

        var d = new BigInteger(1, privateKey32);
        var e = new BigInteger(1, hash32).Mod(N);
        var kCalculator = new HMacDsaKCalculator(new Sha256Digest());
        kCalculator.Init(N, d, hash32.ToArray());
        var k = kCalculator.NextK();
        for (var usedNonces = 1; !TrySign(k, d, e, signature65); usedNonces++)
            k = NextLibsecpNonce(privateKey32, e, usedNonces);
    }

    public bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature65, Span<byte> compressedPublicKey33)
    {
        Secp256k1Format.RequireLength(compressedPublicKey33, Secp256k1Format.CompressedPublicKeySize, nameof(compressedPublicKey33));
        if (hash32.Length != Secp256k1Format.HashSize || !Secp256k1Format.HasRecoverableSignatureShape(signature65))
            return false;

        var recoveryId = signature65[0] - Secp256k1Format.RecoverableHeaderBase;
        var r = new BigInteger(1, signature65.Slice(1, 32));
        var s = new BigInteger(1, signature65.Slice(33, 32));
        // R's x coordinate is r, or r + n when the signer saw x ≥ n (recovery id bit 1).
        var x = (recoveryId & 2) != 0 ? r.Add(N) : r;
        var bigR = Decompress(x, yOdd: (recoveryId & 1) != 0);
        if (bigR is null)
            return false;

        // Q = r⁻¹ (s·R − e·G)
        var e = new BigInteger(1, hash32).Mod(N);
        var rInverse = r.ModInverse(N);
        var u1 = N.Subtract(e).Multiply(rInverse).Mod(N);
        var u2 = s.Multiply(rInverse).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(G, u1, bigR, u2).Normalize();
        if (q.IsInfinity)
            return false;
        q.EncodeTo(true, compressedPublicKey33);
        return true;
    }

    public bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> publicKey)
    {
        if (hash32.Length != Secp256k1Format.HashSize || signature64.Length != Secp256k1Format.CompactSignatureSize)
            return false;
        var rBytes = signature64[..32];
        var sBytes = signature64[32..];
        if (!Secp256k1Format.IsValidScalar(rBytes) || !Secp256k1Format.IsLowS(sBytes))
            return false;
        var q = Decode(publicKey);
        if (q is null)
            return false;

        var r = new BigInteger(1, rBytes);
        var s = new BigInteger(1, sBytes);
        var e = new BigInteger(1, hash32).Mod(N);
        var w = s.ModInverse(N);
        var u1 = e.Multiply(w).Mod(N);
        var u2 = r.Multiply(w).Mod(N);
        var point = ECAlgorithms.SumOfTwoMultiplies(G, u1, q, u2).Normalize();
        return !point.IsInfinity && point.AffineXCoord.ToBigInteger().Mod(N).Equals(r);
    }

    public bool TryNormalizePublicKey(ReadOnlySpan<byte> publicKey33or65, Span<byte> compressed33)
    {
        Secp256k1Format.RequireLength(compressed33, Secp256k1Format.CompressedPublicKeySize, nameof(compressed33));
        var q = Decode(publicKey33or65);
        if (q is null)
            return false;
        q.EncodeTo(true, compressed33);
        return true;
    }

    /// <summary>One signing attempt with nonce k; false when r or s came out zero.</summary>
    private static bool TrySign(BigInteger k, BigInteger d, BigInteger e, Span<byte> signature65)
    {
        var bigR = BaseMultiplier.Multiply(G, k).Normalize();
        var x = bigR.AffineXCoord.ToBigInteger();
        var r = x.Mod(N);
        if (r.SignValue == 0)
            return false;
        var s = k.ModInverse(N).Multiply(e.Add(d.Multiply(r))).Mod(N);
        if (s.SignValue == 0)
            return false;

        var recoveryId = (bigR.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(N) >= 0 ? 2 : 0);
        if (s.CompareTo(HalfN) > 0)
        {
            // −s signs for −R, whose y has the other parity.
            s = N.Subtract(s);
            recoveryId ^= 1;
        }
        signature65[0] = (byte)(Secp256k1Format.RecoverableHeaderBase + recoveryId);
        BigIntegers.AsUnsignedByteArray(r, signature65.Slice(1, 32));
        BigIntegers.AsUnsignedByteArray(s, signature65.Slice(33, 32));
        return true;
    }

    /// <summary>
    /// The nonce libsecp256k1 tries after <paramref name="usedNonces"/> valid ones failed: the next
    /// valid candidate (in 1..n-1) of its RFC 6979 stream.
    /// </summary>
    private static BigInteger NextLibsecpNonce(ReadOnlySpan<byte> privateKey32, BigInteger e, int usedNonces)
    {
        Span<byte> message = stackalloc byte[32];
        BigIntegers.AsUnsignedByteArray(e, message);
        Span<byte> candidate = stackalloc byte[32];
        var validSeen = 0;
        for (var attempt = 0; ; attempt++)
        {
            Rfc6979Nonce.Candidate(privateKey32, message, attempt, candidate);
            if (Secp256k1Format.IsValidScalar(candidate) && validSeen++ == usedNonces)
                return new BigInteger(1, candidate);
        }
    }

    /// <summary>Parses 02/03 + x or 04 + x + y; null when the bytes name no curve point.</summary>
    private static ECPoint? Decode(ReadOnlySpan<byte> publicKey)
    {
        if (!Secp256k1Format.HasPublicKeyShape(publicKey))
            return null;
        var x = new BigInteger(1, publicKey.Slice(1, 32));
        if (publicKey.Length == Secp256k1Format.CompressedPublicKeySize)
            return Decompress(x, yOdd: publicKey[0] == 0x03);

        var y = new BigInteger(1, publicKey.Slice(33, 32));
        if (x.CompareTo(P) >= 0 || y.CompareTo(P) >= 0)
            return null;
        var point = Curve.CreatePoint(x, y);
        return point.IsValid() ? point : null;
    }

    /// <summary>The curve point with this x and y parity; null when x ≥ p or x³ + 7 is not a square.</summary>
    private static ECPoint? Decompress(BigInteger x, bool yOdd)
    {
        if (x.CompareTo(P) >= 0)
            return null;
        var fx = Curve.FromBigInteger(x);
        var fy = fx.Square().Multiply(fx).Add(Curve.B).Sqrt();
        if (fy is null)
            return null;
        if (fy.TestBitZero() != yOdd)
            fy = fy.Negate();
        return Curve.CreatePoint(x, fy.ToBigInteger());
    }

    private static void RequireValidPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        if (!Secp256k1Format.IsValidScalar(privateKey32))
            throw new ArgumentException("a private key is 32 bytes holding a value in 1..n-1", nameof(privateKey32));
    }
}
