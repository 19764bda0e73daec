using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Xunit;

namespace Cascoin.L2.DataAvailability.Tests.Batches;

/// <summary>A batch's canonical bytes decode to the same transactions (same ids) and certificates; damaged bytes are refused, never a crash.</summary>
public sealed class BatchProperties
{
    [Property(MaxTest = 150)]
    public void A_batch_reads_back_as_written_through_its_zstd_frame(int seed)
    {
        var batch = BatchBuilder.RandomBatch(new Random(seed));
        var raw = batch.ToBytes();
        var read = Batch.Decode(BatchFrame.Decompress(BatchFrame.Compress(raw)));
        Assert.Equal(batch.ChainId, read.ChainId);
        Assert.Equal(batch.FirstBlock, read.FirstBlock);
        Assert.Equal(batch.Blocks.Count, read.Blocks.Count);
        for (var i = 0; i < batch.Blocks.Count; i++)
        {
            Assert.Equal(batch.Blocks[i].ParentCommit.Hash, read.Blocks[i].ParentCommit.Hash);
            Assert.Equal(batch.Blocks[i].Transactions.Select(t => t.Id), read.Blocks[i].Transactions.Select(t => t.Id));
        }
        Assert.Equal(raw, read.ToBytes());
    }

    [Property(MaxTest = 300)]
    public void Damaged_or_random_batch_bytes_are_refused_with_a_decode_error(int seed, PositiveInt position, byte flip, bool truncate)
    {
        var random = new Random(seed);
        var raw = BatchBuilder.RandomBatch(random, maxBlocks: 3, maxTransactions: 4).ToBytes();
        var at = position.Get % raw.Length;
        var damaged = truncate ? raw[..at] : raw.ToArray();
        if (!truncate)
            damaged[at] ^= flip == 0 ? (byte)1 : flip;
        foreach (var bytes in new[] { damaged, BatchBuilder.RandomBytes(random, random.Next(0, 300)) })
        {
            try
            {
                var batch = Batch.Decode(bytes);
                // A flip inside a signature or an address still decodes: it is another batch, re-encoded to the same bytes.
                Assert.Equal(bytes, batch.ToBytes());
            }
            catch (DecodeException)
            {
            }
            try
            {
                BatchFrame.Decompress(bytes);
            }
            catch (DecodeException)
            {
            }
        }
    }

    [Fact]
    public void Blocks_are_rebuilt_only_from_data_that_matches_their_headers()
    {
        var random = new Random(5);
        var batch = BatchBuilder.RandomBatch(random, maxBlocks: 4);
        var headers = batch.Blocks.Select((b, i) => new BlockHeader(batch.FirstBlock + (ulong)i, Hash256.Zero, Hash256.Zero,
            MerkleRoot.Compute(b.Transactions.Select(t => t.Id).ToList()), Hash256.Zero, Hash256.Zero, Address.Zero, 1, 30_000_000, 0, 7, 0, Hash256.Zero, default, b.ParentCommit.Hash)).ToList();
        var last = BatchBuilder.RandomCertificate(random);

        var blocks = batch.ToBlocks(headers, last);

        Assert.NotNull(blocks);
        Assert.Equal(last.Hash, blocks[^1].Certificate.Hash);
        for (var i = 0; i + 1 < blocks.Count; i++)
            Assert.Equal(blocks[i + 1].ParentCommit.Hash, blocks[i].Certificate.Hash);
        // One header too few, a transactions root of other data, a parent certificate that is not the header's.
        Assert.Null(batch.ToBlocks(headers[..^1], last));
        var otherRoot = headers.ToList();
        otherRoot[0] = new BlockHeader(headers[0].Number, Hash256.Zero, Hash256.Zero, new Hash256(new byte[32] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }),
            Hash256.Zero, Hash256.Zero, Address.Zero, 1, 30_000_000, 0, 7, 0, Hash256.Zero, default, headers[0].ParentCommitHash);
        Assert.Null(batch.ToBlocks(otherRoot, last));
        var otherParent = headers.ToList();
        otherParent[^1] = new BlockHeader(headers[^1].Number, Hash256.Zero, Hash256.Zero, headers[^1].TransactionsRoot, Hash256.Zero, Hash256.Zero, Address.Zero, 1,
            30_000_000, 0, 7, 0, Hash256.Zero, default, new Hash256(new byte[32] { 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        Assert.Null(batch.ToBlocks(otherParent, last));
    }
}
