using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// The ciphertexts of one block (each under its label), checked once: every one well formed (its
/// sender's proof of r valid), with its point U kept. What <see cref="BatchDecryptionShare"/> makes,
/// checks and combines shares of; the context binds the shares to the block.
/// </summary>
public sealed class CiphertextBatch
{
    private CiphertextBatch(IReadOnlyList<byte[]> ciphertexts, IReadOnlyList<byte[]> labels, ECPoint[] points, byte[] context)
    {
        Ciphertexts = ciphertexts;
        Labels = labels;
        Points = points;
        Context = context;
    }

    public IReadOnlyList<byte[]> Ciphertexts { get; }

    public IReadOnlyList<byte[]> Labels { get; }

    public byte[] Context { get; }

    public int Count => Points.Length;

    internal ECPoint[] Points { get; }

    /// <summary>The batch, or null when there is no ciphertext, the labels do not pair with them, or one is not well formed (no member makes a share of such a ciphertext).</summary>
    public static CiphertextBatch? Of(IReadOnlyList<byte[]> ciphertexts, IReadOnlyList<byte[]> labels, byte[] context) =>
        Build(ciphertexts, labels, context, (ciphertext, label) => ThresholdEncryption.PointOf(ciphertext, label));

    /// <summary>
    /// The batch of ciphertexts that were checked to be well formed when they were ordered (a block's
    /// envelopes): only their points are decoded, their proofs are not checked again; null when one
    /// does not even hold a point.
    /// </summary>
    public static CiphertextBatch? OfOrdered(IReadOnlyList<byte[]> ciphertexts, IReadOnlyList<byte[]> labels, byte[] context) =>
        Build(ciphertexts, labels, context, (ciphertext, _) =>
            ciphertext.Length < ThresholdEncryption.Overhead ? null : Group.Decode(ciphertext.AsSpan(0, Group.PointSize)));

    /// <summary>
    /// The points of a block's ciphertexts without the ciphertexts: enough to check a member's batch
    /// proof (<see cref="BatchDecryptionShare.Verify"/>), as the L1 does with evidence of shares
    /// released early, but nothing opens with it. Null when one is not a point.
    /// </summary>
    public static CiphertextBatch? OfPoints(IReadOnlyList<byte[]> points, byte[] context)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(context);
        if (points.Count == 0 || points.Count > BatchDecryptionShare.MaxCiphertexts)
            return null;
        var decoded = new ECPoint[points.Count];
        for (var i = 0; i < decoded.Length; i++)
        {
            if (Group.Decode(points[i]) is not { } u)
                return null;
            decoded[i] = u;
        }
        return new CiphertextBatch([], [], decoded, context);
    }

    /// <summary>Whether the ciphertexts themselves are here (not a batch of points only), so shares of them can be combined.</summary>
    public bool CanOpen => Ciphertexts.Count == Count;

    private static CiphertextBatch? Build(IReadOnlyList<byte[]> ciphertexts, IReadOnlyList<byte[]> labels, byte[] context, Func<byte[], byte[], ECPoint?> pointOf)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(context);
        if (ciphertexts.Count == 0 || ciphertexts.Count > BatchDecryptionShare.MaxCiphertexts || labels.Count != ciphertexts.Count)
            return null;
        var points = new ECPoint[ciphertexts.Count];
        for (var i = 0; i < points.Length; i++)
        {
            if (pointOf(ciphertexts[i], labels[i]) is not { } u)
                return null;
            points[i] = u;
        }
        return new CiphertextBatch(ciphertexts, labels, points, context);
    }
}
