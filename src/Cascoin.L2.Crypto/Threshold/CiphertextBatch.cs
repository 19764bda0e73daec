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
    public static CiphertextBatch? Of(IReadOnlyList<byte[]> ciphertexts, IReadOnlyList<byte[]> labels, byte[] context)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(context);
        if (ciphertexts.Count == 0 || ciphertexts.Count > BatchDecryptionShare.MaxCiphertexts || labels.Count != ciphertexts.Count)
            return null;
        var points = new ECPoint[ciphertexts.Count];
        for (var i = 0; i < points.Length; i++)
        {
            if (ThresholdEncryption.PointOf(ciphertexts[i], labels[i]) is not { } u)
                return null;
            points[i] = u;
        }
        return new CiphertextBatch(ciphertexts, labels, points, context);
    }
}
