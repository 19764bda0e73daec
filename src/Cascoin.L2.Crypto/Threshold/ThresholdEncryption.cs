using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// Hybrid threshold ElGamal over secp256k1 with a proof of the sender's randomness ("signed
/// ElGamal") and a key commitment (doc/encrypted-mempool.md). To encrypt to Y: a random r, U = r·G,
/// S = r·Y, 64 bytes HKDF-SHA256(S, salt U, info "cascoin-l2-envelope-v1") split into a
/// ChaCha20-Poly1305 key (zero nonce: the key is fresh; the label as associated data) and a commitment
/// to it, and a Schnorr proof of r bound to the label, the commitment and the AEAD output. Member j's
/// decryption share is D_j = x_j·U with a Chaum–Pedersen proof against its verification key; any t
/// shares give S = Σ λ_j·D_j (Lagrange at 0) and the plaintext.
/// The proof of r is what makes this safe to run in public: without it anyone could put a pending
/// envelope's U into an envelope of their own, get it decrypted first, and read the original. The
/// commitment is what makes the optimistic combination safe (see <see cref="Keys"/>).
/// </summary>
public static class ThresholdEncryption
{
    /// <summary>U, the proof of r, the key commitment, the AEAD tag.</summary>
    public const int Overhead = Group.PointSize + SchnorrProof.Size + CommitmentSize + TagSize;

    /// <summary>Where the part the proof of r covers starts: the key commitment, then the AEAD output.</summary>
    internal const int BodyStart = Group.PointSize + SchnorrProof.Size;

    /// <summary>Member index (u16), D_j, the Chaum–Pedersen proof.</summary>
    public const int ShareSize = 2 + Group.PointSize + DleqProof.Size;

    private const int TagSize = 16;
    private const int CommitmentSize = 32;
    private const string ProofTag = "cascoin-l2-envelope-pok-v1";
    private const string ShareTag = "cascoin-l2-decryption-share-v1";
    private static ReadOnlySpan<byte> KeyInfo => "cascoin-l2-envelope-v1"u8;

    /// <summary>Encrypts <paramref name="plaintext"/> to the epoch key <paramref name="publicKey"/> (33 bytes), bound to <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">when the key is not a valid point.</exception>
    public static byte[] Encrypt(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> label)
    {
        var y = Group.Decode(publicKey) ?? throw new ArgumentException("the encryption key is not a compressed secp256k1 point", nameof(publicKey));
        return Encrypt(y, Group.RandomScalar(), plaintext, label);
    }

    /// <summary>The ciphertext with sender randomness <paramref name="r"/> (tests play a sender who knows it).</summary>
    internal static byte[] Encrypt(ECPoint y, BigInteger r, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> label)
    {
        var u = Group.Base(r);
        var output = new byte[Overhead + plaintext.Length];
        var body = output.AsSpan(BodyStart);
        var (key, commitment) = Keys(Group.Encode(Group.Multiply(y, r)), Group.Encode(u));
        commitment.CopyTo(body);
        var sealedPart = body[CommitmentSize..];
        using (var aead = new ChaCha20Poly1305(key))
            aead.Encrypt(stackalloc byte[12], plaintext, sealedPart[..plaintext.Length], sealedPart[plaintext.Length..], label);
        Group.Encode(u).CopyTo(output, 0);
        Prove(output, r, label);
        return output;
    }

    /// <summary>Writes the sender's proof of r over the ciphertext's body and label.</summary>
    internal static void Prove(byte[] ciphertext, BigInteger r, ReadOnlySpan<byte> label) =>
        SchnorrProof.Prove(r, Group.Base(r), ProofTag, ProofMessage(label, ciphertext.AsSpan(BodyStart))).CopyTo(ciphertext, Group.PointSize);

    /// <summary>Whether the ciphertext is well formed for <paramref name="label"/>: U on the curve and the sender's proof of r valid. Sequencers order and decrypt only these.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label) => PointOf(ciphertext, label) is not null;

    /// <summary>Member <paramref name="share"/>'s decryption share of a well-formed ciphertext (with its proof); null when the ciphertext is not well formed.</summary>
    public static byte[]? CreateShare(KeyShare share, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label)
    {
        ArgumentNullException.ThrowIfNull(share);
        if (PointOf(ciphertext, label) is not { } u)
            return null;
        var x = Group.DecodeScalar(share.Secret) ?? throw new ArgumentException("the key share is not a scalar", nameof(share));
        var d = Group.Multiply(u, x);
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
    /// members, or when the ciphertext does not authenticate. Optimistic: the first t shares of
    /// distinct members are combined without checking their proofs, and the ciphertext's key
    /// commitment tells whether the result is the key; only when it is not are the proofs checked and
    /// the invalid shares skipped. Either way the result is the one the true key gives.
    /// </summary>
    public static byte[]? Combine(ThresholdKey key, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, IEnumerable<byte[]> shares)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shares);
        if (PointOf(ciphertext, label) is not { } u)
            return null;
        var all = shares.ToList();
        var first = new Dictionary<int, ECPoint>();
        foreach (var share in all)
        {
            if (first.Count < key.Threshold && ShareIndex(share) is { } index && key.VerificationKeyOf(index) is not null && !first.ContainsKey(index)
                && Group.Decode(share.AsSpan(2, Group.PointSize)) is { } d)
                first[index] = d;
        }
        if (first.Count == key.Threshold && Open(ciphertext, label, Interpolate(first), u) is { KeyMatches: true } quick)
            return quick.Plaintext;
        return CheckedShares(key, u, all) is { } valid ? Open(ciphertext, label, Interpolate(valid), u).Plaintext : null;
    }

    /// <summary>The D_j of the first t shares of distinct members whose proofs check, or null when fewer than t do.</summary>
    private static Dictionary<int, ECPoint>? CheckedShares(ThresholdKey key, ECPoint u, IEnumerable<byte[]> shares)
    {
        var valid = new Dictionary<int, ECPoint>();
        foreach (var share in shares)
        {
            if (valid.Count == key.Threshold)
                break;
            if (ShareIndex(share) is { } index && !valid.ContainsKey(index) && ShareOf(key, u, share) is { } d)
                valid[index] = d;
        }
        return valid.Count < key.Threshold ? null : valid;
    }

    /// <summary>
    /// The ciphertext opened with the combined secret S (33 bytes, as <see cref="BatchDecryptionShare.CombineSecrets"/>
    /// gives it): whether S is its key (the key commitment matches: nobody can find another S that
    /// does), and the plaintext, or null when the AEAD does not authenticate. The ciphertext must be
    /// well formed (checked when it was ordered); its proof is not checked again.
    /// </summary>
    public static (bool KeyMatches, byte[]? Plaintext) OpenWith(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, ReadOnlySpan<byte> secret)
    {
        // No point is decoded: the key is HKDF over the encodings, so only the true S's canonical
        // encoding can match the key commitment (the ciphertext's U was checked when it was ordered).
        if (ciphertext.Length < Overhead || secret.Length != Group.PointSize || secret[0] is not (2 or 3))
            return (false, null);
        return Open(ciphertext, label, secret, ciphertext[..Group.PointSize]);
    }

    /// <summary>
    /// The combined secret S (33 bytes) of t valid shares of distinct members, checked one by one (the
    /// proof that a ciphertext's key commitment is false: S from checked shares that does not match it);
    /// null when fewer than t shares check.
    /// </summary>
    public static byte[]? CheckedSecret(ThresholdKey key, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, IEnumerable<byte[]> shares)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shares);
        return PointOf(ciphertext, label) is { } u && CheckedShares(key, u, shares) is { } valid ? Group.Encode(Interpolate(valid)) : null;
    }

    /// <summary>Σ λ_j·D_j over the given members' points: the secret's point when they are t valid shares.</summary>
    internal static ECPoint Interpolate(IReadOnlyDictionary<int, ECPoint> shares)
    {
        var members = shares.Keys.ToList();
        var sum = Group.Curve.Infinity;
        foreach (var (index, d) in shares)
            sum = sum.Add(Group.Multiply(d, Group.LagrangeAtZero(index, members)));
        return sum.Normalize();
    }

    /// <summary>
    /// The ciphertext opened with the key from <paramref name="s"/>: whether that is its key (the key
    /// commitment matches), and the plaintext, or null when the key is not its key or the AEAD does not
    /// authenticate under it (the sender's fault: a well-formed ciphertext of garbage).
    /// </summary>
    internal static (bool KeyMatches, byte[]? Plaintext) Open(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, ECPoint s, ECPoint u) =>
        s.IsInfinity ? (false, null) : Open(ciphertext, label, Group.Encode(s), Group.Encode(u));

    /// <summary>As <see cref="Open(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ECPoint, ECPoint)"/>, with S and U as their 33-byte encodings.</summary>
    private static (bool KeyMatches, byte[]? Plaintext) Open(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label, ReadOnlySpan<byte> s, ReadOnlySpan<byte> u)
    {
        var (key, commitment) = Keys(s, u);
        var body = ciphertext[BodyStart..];
        if (!CryptographicOperations.FixedTimeEquals(body[..CommitmentSize], commitment))
            return (false, null);
        var sealedPart = body[CommitmentSize..];
        var plaintext = new byte[sealedPart.Length - TagSize];
        using var aead = new ChaCha20Poly1305(key);
        try
        {
            aead.Decrypt(stackalloc byte[12], sealedPart[..plaintext.Length], sealedPart[plaintext.Length..], plaintext, label);
            return (true, plaintext);
        }
        catch (AuthenticationTagMismatchException)
        {
            return (true, null);
        }
    }

    /// <summary>U of a well-formed ciphertext, or null.</summary>
    internal static ECPoint? PointOf(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> label)
    {
        if (ciphertext.Length < Overhead || Group.Decode(ciphertext[..Group.PointSize]) is not { } u)
            return null;
        return SchnorrProof.Verify(ciphertext.Slice(Group.PointSize, SchnorrProof.Size), u, ProofTag, ProofMessage(label, ciphertext[BodyStart..])) ? u : null;
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

    /// <summary>
    /// The AEAD key and the key commitment: the two halves of HKDF-SHA256(S, salt U, info, 64 bytes).
    /// ChaCha20-Poly1305 does not commit to its key: a sender can make one ciphertext that opens under
    /// two keys to two plaintexts. The commitment pins the key, so nodes that combined different shares
    /// can never read different plaintexts.
    /// </summary>
    private static (byte[] Key, byte[] Commitment) Keys(ReadOnlySpan<byte> s, ReadOnlySpan<byte> u)
    {
        Span<byte> derived = stackalloc byte[64];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, s, derived, u, KeyInfo);
        return (derived[..32].ToArray(), derived[32..].ToArray());
    }
}
