using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement;

/// <summary>
/// Cuts a run of L2 blocks to the longest prefix whose anchor fits the batch size. Compressing a batch
/// is the expensive part of an anchor (zstd at its batch level), so the cut is estimated from each
/// block's raw size and the compression ratio the last batches had, then checked by building the
/// anchor: usually one or two compressions, where halving from the whole backlog took five or more
/// (about a second for a backlog of a few hundred full blocks, while L1 blocks kept coming).
/// </summary>
internal sealed class AnchorCut
{
    /// <summary>Builds tried for one anchor before the best that fits is taken.</summary>
    private const int MaxBuilds = 4;

    /// <summary>Below this many blocks the estimate is checked by trying one block more.</summary>
    private const int FewBlocks = 8;

    /// <summary>The estimate aims this far below the limit, so a batch that compresses a little worse than the last still fits at the first try.</summary>
    private const double Margin = 0.95;

    /// <summary>Raw bytes per compressed byte of the last batch built; 1 (no gain) until one was.</summary>
    private double _ratio = 1.0;

    /// <summary>
    /// The anchor of the longest prefix of <paramref name="blocks"/> (at least one block) whose payload is
    /// at most <paramref name="maxBytes"/>; a single block that is larger on its own is returned as it is
    /// (the L1 then refuses it with its reason).
    /// </summary>
    public AnchorCall Of(ulong chainId, IReadOnlyList<Block> blocks, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
            throw new ArgumentException("an anchor covers at least one block", nameof(blocks));
        var raw = new long[blocks.Count + 1];
        for (var i = 0; i < blocks.Count; i++)
            raw[i + 1] = raw[i] + RawSize(blocks[i]);
        var fixedBytes = 8 + 9 + 32 + 5 + CertificateSize(blocks[^1]);
        int Fit(double target)
        {
            var count = 1;
            while (count < blocks.Count && fixedBytes + (count + 1) * BlockHeader.EncodedSize + raw[count + 1] / _ratio <= maxBytes * target)
                count++;
            return count;
        }

        AnchorCall? best = null;
        var tried = Fit(Margin);
        for (var build = 0; build < MaxBuilds; build++)
        {
            var call = AnchorCall.Of(chainId, blocks.Take(tried).ToList());
            var size = call.ToBytes().Length;
            _ratio = Math.Max(1.0, (double)raw[tried] / call.Data.Length);
            if (size <= maxBytes)
            {
                best = call;
                // With an anchor that fits in hand, the next try aims at the limit itself.
                var grown = Fit(1.0);
                // A few blocks say little about the ratio (frame overhead, little to learn from): try one more.
                if (grown <= tried && tried < FewBlocks)
                    grown = tried + 1;
                if (tried == blocks.Count || grown <= tried)
                    return best;
                tried = grown;
            }
            else
            {
                if (tried == 1)
                    return call;
                var floor = best?.Headers.Count ?? 0;
                if (floor >= tried - 1)
                    return best!;
                var shrunk = Math.Min(Fit(Margin), (int)(tried * (double)maxBytes / size * Margin));
                tried = Math.Clamp(shrunk, floor + 1, tried - 1);
            }
        }
        return best ?? AnchorCall.Of(chainId, blocks.Take(1).ToList());
    }

    /// <summary>What a block adds to the raw batch: its transactions and its parent certificate's signatures (its header travels apart, uncompressed).</summary>
    private static long RawSize(Block block) =>
        block.Transactions.Sum(t => (long)t.Size) + (long)block.ParentCommit.Signatures.Count * RecoverableSignature.Size + 16;

    private static int CertificateSize(Block block) => 16 + block.Signatures.Count * RecoverableSignature.Size;
}
