using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// One member's decryption shares of every envelope of a block, with one proof for all of them
/// (doc/encrypted-mempool.md). D_i = x_j·U_i for each ciphertext i, and a Chaum–Pedersen proof that
/// log_G(Y_j) = log_U*(D*), where U* = Σ ρ_i·U_i and D* = Σ ρ_i·D_i for 128-bit ρ_i hashed from the
/// context, the member and every U_i and D_i. A single wrong D_i makes D* ≠ x_j·U* except with
/// probability 2⁻¹²⁸, and the ρ_i are fixed only after the D_i are, so the member cannot aim at
/// them. Checking a block's shares costs two multi-scalar multiplications instead of four
/// multiplications per envelope.
/// Bytes: member u16 ‖ count u32 ‖ count × D_i 33 ‖ proof 64, big-endian.
/// </summary>
public static class BatchDecryptionShare
{
    /// <summary>Envelopes one batch covers at most (a block's worth, with room).</summary>
    public const int MaxCiphertexts = 65_536;

    private const string ProofTag = "cascoin-l2-batch-decryption-share-v1";

    /// <summary>Member <paramref name="share"/>'s shares of the block's ciphertexts, bound to its context.</summary>
    public static byte[] Create(KeyShare share, CiphertextBatch block)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(block);
        var x = Group.DecodeScalar(share.Secret) ?? throw new ArgumentException("the key share is not a scalar", nameof(share));
        var shares = block.Points.Select(u => Group.Multiply(u, x)).ToArray();
        // D* = x·U*: one multiplication instead of a second multi-scalar sum (the verifier, without x, does the sum).
        var uSum = Group.SumOfMultiplies(block.Points, Weights(block.Points, shares, block.Context, share.Index));
        var dSum = Group.Multiply(uSum, x);
        var output = new byte[6 + shares.Length * Group.PointSize + DleqProof.Size];
        BinaryPrimitives.WriteUInt16BigEndian(output, checked((ushort)share.Index));
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(2), (uint)shares.Length);
        for (var i = 0; i < shares.Length; i++)
            Group.Encode(shares[i]).CopyTo(output, 6 + i * Group.PointSize);
        DleqProof.Prove(x, Group.Base(x), uSum, dSum, ProofTag, ProofContext(block.Context, share.Index)).CopyTo(output, 6 + shares.Length * Group.PointSize);
        return output;
    }

    /// <summary>The member a batch names, or null when the bytes are not a batch of <paramref name="count"/> shares.</summary>
    public static int? MemberOf(ReadOnlySpan<byte> batch, int count) =>
        batch.Length == 6 + count * Group.PointSize + DleqProof.Size && BinaryPrimitives.ReadUInt32BigEndian(batch[2..]) == count
            ? BinaryPrimitives.ReadUInt16BigEndian(batch)
            : null;

    /// <summary>Whether <paramref name="batch"/> holds valid shares of every ciphertext of the block by a member of <paramref name="key"/>.</summary>
    public static bool Verify(ThresholdKey key, CiphertextBatch block, ReadOnlySpan<byte> batch)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(block);
        return SharesOf(key, block, batch) is not null;
    }

    /// <summary>
    /// The plaintexts from t batches of distinct members: one per ciphertext, null where the ciphertext
    /// does not open under its key (the sender's fault: a false key commitment or a body that does not
    /// authenticate); null in all when fewer than t batches check. A sender's false commitment costs the
    /// block the checked path once. Optimistic, as <see cref="ThresholdEncryption.Combine"/>: the first t batches are combined
    /// unchecked, and only when a key commitment does not match are the proofs checked and the invalid
    /// batches skipped. The result is always the one the true keys give.
    /// </summary>
    public static byte[]?[]? Combine(ThresholdKey key, CiphertextBatch block, IEnumerable<byte[]> batches) =>
        Opened(key, block, batches) is { } opened ? opened.Select(o => o.Plaintext).ToArray() : null;

    /// <summary>
    /// The combined secret S_i (33 bytes) of every ciphertext, as <see cref="Combine"/> finds them: null
    /// where checked shares give a secret that the ciphertext's key commitment does not match (the
    /// sender wrote a false one; only individually checked shares prove that); null in all when fewer
    /// than t batches check. A node that holds S_i lets anyone open ciphertext i with
    /// <see cref="ThresholdEncryption.OpenWith"/>.
    /// </summary>
    public static byte[]?[]? CombineSecrets(ThresholdKey key, CiphertextBatch block, IEnumerable<byte[]> batches) =>
        Opened(key, block, batches) is { } opened ? opened.Select(o => o.KeyMatches ? o.Secret : null).ToArray() : null;

    /// <summary>The members of the batches <see cref="Combine"/> would skip: those whose proofs do not check (for the senders' scores).</summary>
    public static IReadOnlyList<int> Invalid(ThresholdKey key, CiphertextBatch block, IEnumerable<byte[]> batches)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(batches);
        return batches.Where(b => SharesOf(key, block, b) is null).Select(b => b.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(b) : -1).ToList();
    }

    private static (byte[] Secret, bool KeyMatches, byte[]? Plaintext)[]? Opened(ThresholdKey key, CiphertextBatch block, IEnumerable<byte[]> batches)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(batches);
        if (!block.CanOpen)
            throw new ArgumentException("a batch of points only checks proofs; it opens nothing", nameof(block));
        var all = batches.ToList();
        var first = new Dictionary<int, ECPoint[]>();
        foreach (var batch in all)
        {
            if (first.Count < key.Threshold && MemberOf(batch, block.Count) is { } member && key.VerificationKeyOf(member) is not null
                && !first.ContainsKey(member) && PointsOf(batch, block.Count) is { } shares)
                first[member] = shares;
        }
        if (first.Count == key.Threshold && Open(block, first, optimistic: true) is { } quick)
            return quick;
        var valid = new Dictionary<int, ECPoint[]>();
        foreach (var batch in all)
        {
            if (valid.Count == key.Threshold)
                break;
            if (MemberOf(batch, block.Count) is { } member && !valid.ContainsKey(member) && SharesOf(key, block, batch) is { } shares)
                valid[member] = shares;
        }
        return valid.Count < key.Threshold ? null : Open(block, valid, optimistic: false);
    }

    /// <summary>
    /// Every ciphertext opened with the key t members' shares give. Optimistic (shares unchecked): null
    /// as soon as a key commitment does not match, as a share may be wrong. Checked: a commitment that
    /// does not match is the sender's (it wrote a false one), and that plaintext is null.
    /// </summary>
    private static (byte[] Secret, bool KeyMatches, byte[]? Plaintext)[]? Open(CiphertextBatch block, Dictionary<int, ECPoint[]> shares, bool optimistic)
    {
        var members = shares.Keys.ToList();
        var lambdas = members.Select(j => Group.LagrangeAtZero(j, members)).ToArray();
        var opened = new (byte[], bool, byte[]?)[block.Count];
        for (var i = 0; i < opened.Length; i++)
        {
            var secret = Group.SumOfMultiplies(members.Select(j => shares[j][i]).ToArray(), lambdas);
            var (matches, plaintext) = ThresholdEncryption.Open(block.Ciphertexts[i], block.Labels[i], secret, block.Points[i]);
            if (!matches && optimistic)
                return null;
            opened[i] = (secret.IsInfinity ? [] : Group.Encode(secret), matches, plaintext);
        }
        return opened;
    }

    /// <summary>The D_i of a batch of <paramref name="count"/> shares, unchecked; null when one is not a point.</summary>
    private static ECPoint[]? PointsOf(ReadOnlySpan<byte> batch, int count)
    {
        var shares = new ECPoint[count];
        for (var i = 0; i < shares.Length; i++)
        {
            if (Group.Decode(batch.Slice(6 + i * Group.PointSize, Group.PointSize)) is not { } d)
                return null;
            shares[i] = d;
        }
        return shares;
    }

    /// <summary>The D_i of a batch whose proof checks against its member's verification key, or null.</summary>
    private static ECPoint[]? SharesOf(ThresholdKey key, CiphertextBatch block, ReadOnlySpan<byte> batch)
    {
        if (MemberOf(batch, block.Count) is not { } member || key.VerificationKeyOf(member) is not { } vk || Group.Decode(vk) is not { } y
            || PointsOf(batch, block.Count) is not { } shares)
            return null;
        var (uSum, dSum) = Aggregate(block.Points, shares, block.Context, member);
        return DleqProof.Verify(batch[(6 + shares.Length * Group.PointSize)..], y, uSum, dSum, ProofTag, ProofContext(block.Context, member)) ? shares : null;
    }

    /// <summary>U* = Σ ρ_i·U_i and D* = Σ ρ_i·D_i (<see cref="Weights"/>).</summary>
    private static (ECPoint U, ECPoint D) Aggregate(ECPoint[] points, ECPoint[] shares, byte[] context, int member)
    {
        var weights = Weights(points, shares, context, member);
        return (Group.SumOfMultiplies(points, weights), Group.SumOfMultiplies(shares, weights));
    }

    /// <summary>ρ_i: the first 16 bytes of SHA-256(seed ‖ i), the seed a hash of the tag, the context, the member and every U_i and D_i.</summary>
    private static BigInteger[] Weights(ECPoint[] points, ECPoint[] shares, byte[] context, int member)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.ASCII.GetBytes(ProofTag));
        hash.AppendData(ProofContext(context, member));
        foreach (var point in points.Concat(shares))
            hash.AppendData(Group.Encode(point));
        var seed = hash.GetHashAndReset();
        var weights = new BigInteger[points.Length];
        Span<byte> input = stackalloc byte[36];
        seed.CopyTo(input);
        for (var i = 0; i < weights.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(input[32..], i);
            weights[i] = new BigInteger(1, SHA256.HashData(input)[..16]);
        }
        return weights;
    }

    private static byte[] ProofContext(byte[] context, int member) => [.. context, (byte)(member >> 8), (byte)member];
}
