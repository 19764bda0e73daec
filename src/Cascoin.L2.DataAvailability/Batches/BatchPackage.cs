using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.DataAvailability.Batches;

/// <summary>
/// A batch as it goes to L1: the zstd frame of its canonical bytes and the DA commitment over the
/// frame's Reed–Solomon shards. The L1 contract and a rebuilding node recompute the commitment from the
/// data and <see cref="Open"/> it: decode it and rebuild the blocks of the headers.
/// </summary>
public sealed record BatchPackage(byte[] Frame, ShardCommitment Commitment, int RawLength, int TransactionCount)
{
    public static BatchPackage Of(ulong chainId, IReadOnlyList<Block> blocks)
    {
        var batch = Batch.Of(chainId, blocks);
        var raw = batch.ToBytes();
        var frame = BatchFrame.Compress(raw);
        return new BatchPackage(frame, ShardCommitment.Of(frame).Commitment, raw.Length, batch.TransactionCount);
    }

    /// <summary>
    /// The blocks that <paramref name="frame"/> and <paramref name="headers"/> make, or why not: the data
    /// is not one batch of <paramref name="chainId"/>, or its transactions and parent certificates are not
    /// the headers'. (The commitment is checked apart: <see cref="ShardCommitment.Of"/> of the frame.)
    /// </summary>
    public static (IReadOnlyList<Block>? Blocks, string? Error) Open(ulong chainId, byte[] frame, IReadOnlyList<BlockHeader> headers, CommitCertificate lastCertificate)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Length == 0)
            return (null, "the anchor carries no batch data");
        Batch batch;
        try
        {
            batch = Batch.Decode(BatchFrame.Decompress(frame));
        }
        catch (DecodeException ex)
        {
            return (null, $"the batch data does not decode: {ex.Message}");
        }
        if (batch.ChainId != chainId)
            return (null, $"the batch data is for chain {batch.ChainId}, not {chainId}");
        return batch.ToBlocks(headers, lastCertificate) is { } blocks
            ? (blocks, null)
            : (null, "the batch data is not the headers' blocks (count, first number, transactions or parent certificates differ)");
    }
}
