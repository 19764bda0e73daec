using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECCurve = Org.BouncyCastle.Math.EC.ECCurve;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// Hybrid threshold ElGamal over secp256k1 with a proof of the sender's randomness ("signed
/// ElGamal", doc/encrypted-mempool.md). To encrypt to Y: a random r, U = r·G, S = r·Y, a key
/// HKDF-SHA256(S, salt U, info "cascoin-l2-envelope-v1"), ChaCha20-Poly1305 under it (zero nonce: the
/// key is fresh) with the label as associated data, and a Schnorr proof of r bound to the label and
/// ciphertext. Member j's decryption share is D_j = x_j·U with a Chaum–Pedersen proof against its
/// verification key; any t valid shares give S = Σ λ_j·D_j (Lagrange at 0) and the plaintext.
/// The proof of r is what makes this safe to run in public: without it anyone could put a pending
/// envelope's U into an envelope of their own, get it decrypted first, and read the original.
/// </summary>
public static class ThresholdEncryption
{
    /// <summary>U, the proof of r, the AEAD tag.</summary>
    public const int Overhead = Group.PointSize + SchnorrProof.Size + TagSize;

    /// <summary>Member index (u16), D_j, the Chaum–Pedersen proof.</summary>
    public const int ShareSize = 2 + Group.PointSize + DleqProof.Size;

    private const int TagSize = 16;
    private const string ProofTag = "cascoin-l2-envelope-pok-v1";
    private const string ShareTag = "cascoin-l2-decryption-share-v1";
    private static ReadOnlySpan<byte> KeyInfo => "cascoin-l2-envelope-v1"u8;

    /// <summary>Encrypts <paramref name="plaintext"/> to the epoch key <paramref name="publicKey"/> (33 bytes), bound to <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">when the key is not a valid point.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> label)
    {
        var y = Group.Decode(publicKey) ?? throw new ArgumentException("the encryption key is not a compressed secp256k1 point", nameof(publicKey));
        var r = Group.RandomScalar();
        var u = Group.Base(r);
        var output = new byte[Overhead + plaintext.Length];
        var body = output.AsSpan(Group.PointSize + SchnorrProof.Size);
        using (var aead = new ChaCha20Poly1305(SymmetricKey(y.Multiply(r), u)))
            aead.Encrypt(stackalloc byte[12], plaintext, body[..plaintext.Length], body[plaintext.Length..], label);
        Group.Encode(u).CopyTo(output, 0);
        SchnorrProof.Prove(r, u, ProofTag, ProofMessage(label, body)).CopyTo(output, Group.PointSize);
        return output;
    }

    /// <summary>Whether the ciphertext is well formed for <paramref name="label"/>: U on the curve and the sender's proof of r valid. Sequencers order and decrypt only these.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label) => PointOf(ciphertext, label) is not null;

    /// <summary>Member <paramref name="share"/>'s decryption share of a well-formed ciphertext (with its proof); null when the ciphertext is not well formed.</summary>
    public static byte[]? CreateShare(KeyShare share, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label)
    {
        ArgumentNullException.ThrowIfNull(share);
        if (PointOf(ciphertext, label) is not { } u)
            return null;
        var x = Group.DecodeScalar(share.Secret) ?? throw new ArgumentException("the key share is not a scalar", nameof(share));
        var d = u.Multiply(x).Normalize();
        var output = new byte[ShareSize];
        BinaryPrimitives.WriteUInt16BigEndian(output, checked((ushort)share.Index));
        Group.Encode(d).CopyTo(output, 2);
        DleqProof.Prove(x, Group.Base(x), u, d, ShareTag, ShareContext(share.Index)).CopyTo(output, 2 + Group.PointSize);
        return output;
    }

    /// <summary>The member index a share names (whether or not it is valid), or null when it is not share-sized.</summary>
    public static int? ShareIndex(ReadOnlySpan<byte> share) => share.Length == ShareSize ? BinaryPrimitives.ReadUInt16BigEndian(share) : null;

    /// <summary>Whether <paramref name="share"/> is a valid decryption share of the ciphertext by a member of <paramref name="key"/>.</summary>
    public static bool VerifyShare(ThresholdKey key, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, ReadOnlySpan<byte> share) =>
        PointOf(ciphertext, label) is { } u && ShareOf(key, u, share) is not null;

    /// <summary>
    /// The plaintext from the shares: null when fewer than t of them are valid shares of distinct
    /// members, or when the ciphertext does not authenticate. Invalid shares are skipped.
    /// </summary>
    public static byte[]? Combine(ThresholdKey key, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, IEnumerable<byte[]> shares)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shares);
        if (PointOf(ciphertext, label) is not { } u)
            return null;
        var valid = new Dictionary<int, ECPoint>();
        foreach (var share in shares)
        {
            if (valid.Count == key.Threshold)
                break;
            if (ShareIndex(share) is { } index && !valid.ContainsKey(index) && ShareOf(key, u, share) is { } d)
                valid[index] = d;
        }
        return valid.Count < key.Threshold ? null : Open(ciphertext, label, Interpolate(valid), u);
    }

    /// <summary>Σ λ_j·D_j over the given members' points: the secret's point when they are t valid shares.</summary>
    internal static ECPoint Interpolate(IReadOnlyDictionary<int, ECPoint> shares)
    {
        var members = shares.Keys.ToList();
        var sum = Group.Curve.Infinity;
        foreach (var (index, d) in shares)
            sum = sum.Add(d.Multiply(Group.LagrangeAtZero(index, members)));
        return sum.Normalize();
    }

    /// <summary>The AEAD opened with the key from <paramref name="s"/>; null when it does not authenticate.</summary>
    internal static byte[]? Open(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, ECPoint s, ECPoint u)
    {
        if (s.IsInfinity)
            return null;
        var body = ciphertext[(Group.PointSize + SchnorrProof.Size)..];
        var plaintext = new byte[body.Length - TagSize];
        using var aead = new ChaCha20Poly1305(SymmetricKey(s, u));
        try
        {
            aead.Decrypt(stackalloc byte[12], body[..plaintext.Length], body[plaintext.Length..], plaintext, label);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    /// <summary>U of a well-formed ciphertext, or null.</summary>
    internal static ECPoint? PointOf(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label)
    {
        if (ciphertext.Length < Overhead || Group.Decode(ciphertext[..Group.PointSize]) is not { } u)
            return null;
        var body = ciphertext[(Group.PointSize + SchnorrProof.Size)..];
        return SchnorrProof.Verify(ciphertext.Slice(Group.PointSize, SchnorrProof.Size), u, ProofTag, ProofMessage(label, body)) ? u : null;
    }

    /// <summary>D_j of a share whose proof checks against its member's verification key, or null.</summary>
    private static ECPoint? ShareOf(ThresholdKey key, ECPoint u, ReadOnlySpan<byte> share)
    {
        if (ShareIndex(share) is not { } index || key.VerificationKeyOf(index) is not { } vk || Group.Decode(vk) is not { } a
            || Group.Decode(share.Slice(2, Group.PointSize)) is not { } d)
            return null;
        return DleqProof.Verify(share[(2 + Group.PointSize)..], a, u, d, ShareTag, ShareContext(index)) ? d : null;
    }

    private static byte[] ShareContext(int index) => [(byte)(index >> 8), (byte)index];

    /// <summary>What the proof of r binds: the label and the AEAD output, hashed.</summary>
    private static byte[] ProofMessage(ReadOnlySpan<byte> label, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, label.Length);
        hash.AppendData(length);
        hash.AppendData(label);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    private static byte[] SymmetricKey(ECPoint s, ECPoint u) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Group.Encode(s), 32, Group.Encode(u), KeyInfo.ToArray());
}
