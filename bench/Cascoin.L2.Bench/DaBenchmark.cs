using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.DataAvailability.Erasure;
using Cascoin.L2.Primitives;
using Cascoin.L2.Bench.Da;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Bench;

/// <summary>
/// Data availability: <c>--txs</c> signed transfers among <c>--accounts</c> accounts in full 30 M gas
/// blocks (each with a 3-signature parent certificate), cut into anchors of at most 1 MiB as the
/// monitor does. Reports L1 bytes per transaction (the whole anchor transaction: headers, certificate,
/// batch data), the compression ratio of the column-wise batch and of the same transactions in block
/// order, zstd speed, Reed–Solomon encode and decode (from the parity alone) speed, and how fast a node
/// rebuilds the L2 from the L1 data on its disk (<see cref="Da.L1RebuildMeasurement"/>).
/// </summary>
internal sealed class DaBenchmark : IBenchmark
{
    private const int Seed = 20261207;
    private const int TransactionsPerBlock = 1_428; // 30,000,000 / 21,000

    public string Name => "da";

    public string Description => "data availability: L1 bytes per transaction, compression (column-wise vs block order), zstd and Reed-Solomon speeds";

    public IReadOnlyList<BenchOption> Options { get; } =
    [
        new("accounts", "sending accounts", "10000"),
        new("txs", "signed transfers", "200000"),
    ];

    public void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress)
    {
        var accountCount = arguments.GetInt("accounts", 1, 1_000_000);
        var count = arguments.GetInt("txs", 1, 10_000_000);
        var random = new Random(Seed);
        var keys = Enumerable.Range(0, accountCount).Select(i => PrivateKey.FromBytes(SHA256.HashData(BitConverter.GetBytes(i)))!).ToArray();
        var addresses = keys.Select(k => Address.FromPublicKey(k.PublicKey.AsSpan())).ToArray();
        var nonces = new ulong[accountCount];
        using var rebuild = new L1RebuildMeasurement();
        var chainId = rebuild.Deploy();
        progress.WriteLine($"signing {count} transfers among {accountCount} accounts");
        var transactions = new Transaction[count];
        for (var i = 0; i < count; i++)
        {
            var from = random.Next(accountCount);
            var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, chainId, nonces[from]++, addresses[random.Next(accountCount)],
                Amount.FromSat(random.Next(1, 100_000_000)), 22, 1, IntrinsicGas.Base);
            transactions[i] = Transaction.Sign(unsigned, keys[from]);
        }
        var blocks = Blocks(transactions, keys, random);

        // Anchors as the monitor cuts them: the longest run of blocks whose anchor fits 1 MiB.
        long l1Bytes = 0, rawBytes = 0, frameBytes = 0, blockOrderRaw = 0, blockOrderBytes = 0;
        var anchors = 0;
        var frames = new List<byte[]>();
        var raws = new List<byte[]>();
        var zstd = new Stopwatch();
        for (var start = 0; start < blocks.Count;)
        {
            var length = Math.Min(512, blocks.Count - start);
            AnchorCall call;
            while (true)
            {
                call = AnchorCall.Of(1, blocks.GetRange(start, length));
                if (call.ToBytes().Length <= 1024 * 1024 || length == 1)
                    break;
                length = (length + 1) / 2;
            }
            var raw = Batch.Of(1, blocks.GetRange(start, length)).ToBytes();
            zstd.Start();
            var frame = BatchFrame.Compress(raw);
            zstd.Stop();
            l1Bytes += call.ToBytes().Length + 8 + 8 + 8 + 65 + 4; // the L1 transaction around the payload: kind, nonce, fee, signature, length
            rawBytes += raw.Length;
            frameBytes += frame.Length;
            var blockOrder = BlockOrder(blocks.GetRange(start, length));
            blockOrderRaw += blockOrder.Length;
            blockOrderBytes += BatchFrame.Compress(blockOrder).Length;
            frames.Add(frame);
            raws.Add(raw);
            anchors++;
            start += length;
        }
        progress.WriteLine($"{anchors} anchors of {blocks.Count} blocks");

        var encode = Stopwatch.StartNew();
        var shardSets = frames.Select(f => ShardCommitment.Of(f)).ToList();
        encode.Stop();
        var decode = Stopwatch.StartNew();
        foreach (var (commitment, shards) in shardSets)
        {
            var layout = commitment.Layout;
            var parityOnly = shards.Select((s, i) => i >= layout.DataShards ? s : null).ToArray();
            if (commitment.Rebuild(parityOnly) is null)
                throw new InvalidOperationException("the parity did not rebuild a batch");
        }
        decode.Stop();
        var unzip = Stopwatch.StartNew();
        foreach (var frame in frames)
            Batch.Decode(BatchFrame.Decompress(frame));
        unzip.Stop();

        var rebuilt = rebuild.Run(transactions, addresses, progress);

        var mb = frameBytes / 1e6;
        result.WriteNumber("accounts", accountCount);
        result.WriteNumber("txs", count);
        result.WriteNumber("blocks", blocks.Count);
        result.WriteNumber("anchors", anchors);
        result.WriteNumber("l1_bytes_per_tx", Math.Round((double)l1Bytes / count, 1));
        result.WriteNumber("batch_bytes_per_tx", Math.Round((double)frameBytes / count, 1));
        result.WriteNumber("compression_ratio", Math.Round((double)rawBytes / frameBytes, 3));
        result.WriteNumber("block_order_compression_ratio", Math.Round((double)blockOrderRaw / blockOrderBytes, 3));
        result.WriteNumber("column_vs_block_order_bytes", Math.Round((double)frameBytes / blockOrderBytes, 3));
        result.WriteNumber("zstd_level", BatchFrame.Level);
        result.WriteNumber("zstd_mb_per_s", Math.Round(rawBytes / 1e6 / zstd.Elapsed.TotalSeconds, 1));
        result.WriteNumber("unzstd_decode_mb_per_s", Math.Round(rawBytes / 1e6 / unzip.Elapsed.TotalSeconds, 1));
        result.WriteNumber("rs_encode_mb_per_s", Math.Round(mb / encode.Elapsed.TotalSeconds, 1));
        result.WriteNumber("rs_decode_mb_per_s", Math.Round(mb / decode.Elapsed.TotalSeconds, 1));
        result.WriteNumber("rebuild_anchors", rebuilt.Anchors);
        result.WriteNumber("rebuild_blocks", rebuilt.Blocks);
        result.WriteNumber("rebuild_s", Math.Round(rebuilt.Elapsed.TotalSeconds, 2));
        result.WriteNumber("rebuild_tx_per_s", Math.Round(rebuilt.TransactionsPerSecond));
    }

    /// <summary>Full blocks of the transactions in order, each carrying a 3-signature parent certificate and a header with random roots.</summary>
    private static List<Block> Blocks(Transaction[] transactions, PrivateKey[] keys, Random random)
    {
        var blocks = new List<Block>();
        var parent = Hash256.Zero;
        CommitCertificate parentCommit = CommitCertificate.Empty;
        for (var start = 0; start < transactions.Length; start += TransactionsPerBlock)
        {
            var body = transactions[start..Math.Min(transactions.Length, start + TransactionsPerBlock)];
            var number = (ulong)blocks.Count + 1;
            var header = new BlockHeader(number, parent, RandomHash(random), MerkleRoot.Compute(body.Select(t => t.Id).ToList()), RandomHash(random), Hash256.Zero,
                Address.FromPublicKey(keys[0].PublicKey.AsSpan()), 1_767_225_600_000 + number * 100, 30_000_000, (ulong)body.Length * 21_000, 10, number, RandomHash(random),
                default, parentCommit.Hash);
            var certificate = keys.Take(3).Select(k => Block.Seal(1, header, k)).ToList();
            blocks.Add(new Block(header, body, certificate, 0, parentCommit));
            parentCommit = new CommitCertificate(0, certificate);
            parent = header.Hash;
        }
        return blocks;
    }

    /// <summary>The same data in block order: each block's parent certificate, then its transactions as they are encoded.</summary>
    private static byte[] BlockOrder(IEnumerable<Block> blocks)
    {
        var writer = new SpanWriter();
        foreach (var block in blocks)
        {
            block.ParentCommit.WriteTo(writer);
            writer.WriteCompactSize((ulong)block.Transactions.Count);
            foreach (var transaction in block.Transactions)
                transaction.WriteTo(writer);
        }
        return writer.ToArray();
    }

    private static Hash256 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
