using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.DataAvailability.Batches;

/// <summary>One block's part of a batch: the parent certificate it carries and its transactions (its header travels in the anchor).</summary>
public sealed record BatchBlock(CommitCertificate ParentCommit, IReadOnlyList<Transaction> Transactions);

/// <summary>
/// The L2 blocks of one anchoring interval as data for L1 (doc/da.md): what cannot be derived —
/// every transaction with its signature and the parent certificate each block carries — and nothing
/// that can (the chain id of every transaction, lengths of fixed fields; the headers are in the anchor).
/// The canonical bytes (version 1) are column-wise: the block section, then each transaction field
/// for all transactions in order, so like values sit together for the compressor.
/// </summary>
public sealed record Batch(ulong ChainId, ulong FirstBlock, IReadOnlyList<BatchBlock> Blocks)
{
    public const byte Version = 1;

    /// <summary>Bounds on decoding (an anchor covers at most 512 blocks; a 30 M gas block holds at most 1,428 transfers).</summary>
    public const int MaxBlocks = 1024;

    public const int MaxTransactions = 1_000_000;

    public int TransactionCount => Blocks.Sum(b => b.Transactions.Count);

    /// <summary>The batch of <paramref name="blocks"/> (consecutive, of chain <paramref name="chainId"/>).</summary>
    public static Batch Of(ulong chainId, IReadOnlyList<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
            throw new ArgumentException("a batch has at least one block", nameof(blocks));
        return new Batch(chainId, blocks[0].Header.Number, blocks.Select(b => new BatchBlock(b.ParentCommit, b.Transactions)).ToList());
    }

    /// <summary>
    /// The blocks again, given their headers (from the anchor) and the last block's certificate: each
    /// block's certificate is the next one's parent certificate. Null when the data does not match the
    /// headers (transactions root, parent certificate hash, count, chain id) — data that is not the chain's.
    /// </summary>
    public IReadOnlyList<Block>? ToBlocks(IReadOnlyList<BlockHeader> headers, CommitCertificate lastCertificate)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(lastCertificate);
        if (headers.Count != Blocks.Count || headers.Count == 0 || headers[0].Number != FirstBlock)
            return null;
        var blocks = new List<Block>(Blocks.Count);
        for (var i = 0; i < Blocks.Count; i++)
        {
            var part = Blocks[i];
            var header = headers[i];
            if (part.ParentCommit.Hash != header.ParentCommitHash
                || MerkleRoot.Compute(part.Transactions.Select(t => t.Id).ToList()) != header.TransactionsRoot
                || part.Transactions.Any(t => t.ChainId != ChainId))
                return null;
            var certificate = i + 1 < Blocks.Count ? Blocks[i + 1].ParentCommit : lastCertificate;
            blocks.Add(new Block(header, part.Transactions, certificate.Signatures, certificate.Round, part.ParentCommit));
        }
        return blocks;
    }

    /// <summary>The canonical (uncompressed) bytes.</summary>
    public byte[] ToBytes()
    {
        var transactions = Blocks.SelectMany(b => b.Transactions).ToList();
        var writer = new SpanWriter(64 + Blocks.Count * 80 + transactions.Sum(t => t.Size));
        writer.WriteByte(Version);
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(FirstBlock);
        writer.WriteCompactSize((ulong)Blocks.Count);
        foreach (var block in Blocks)
        {
            writer.WriteCompactSize((ulong)block.Transactions.Count);
            block.ParentCommit.WriteTo(writer);
        }
        foreach (var t in transactions)
            writer.WriteByte((byte)t.Type);
        foreach (var t in transactions)
            writer.WriteCompactSize(t.Nonce);
        foreach (var t in transactions)
            writer.WriteAddress(t.To);
        foreach (var t in transactions)
            writer.WriteCompactSize((ulong)t.Value.Sat);
        foreach (var t in transactions)
            writer.WriteCompactSize(t.MaxFeePerGas);
        foreach (var t in transactions)
            writer.WriteCompactSize(t.MaxPriorityFeePerGas);
        foreach (var t in transactions)
            writer.WriteCompactSize(t.GasLimit);
        foreach (var t in transactions)
            writer.WriteCompactSize((ulong)t.DataLength);
        foreach (var t in transactions)
            writer.WriteBytes(t.Data);
        foreach (var t in transactions)
            writer.WriteBytes(t.Signature);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not exactly one version-1 batch within the bounds.</exception>
    public static Batch Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        if (reader.ReadByte() is var version && version != Version)
            throw new DecodeException($"batch version {version} is not {Version}");
        var chainId = reader.ReadUInt64();
        var firstBlock = reader.ReadUInt64();
        var blockCount = (int)reader.ReadCompactSize(MaxBlocks);
        if (blockCount == 0)
            throw new DecodeException("a batch has at least one block");
        var counts = new int[blockCount];
        var parents = new CommitCertificate[blockCount];
        var total = 0L;
        for (var i = 0; i < blockCount; i++)
        {
            counts[i] = (int)reader.ReadCompactSize(Block.MaxTransactions);
            total += counts[i];
            if (total > MaxTransactions)
                throw new DecodeException($"more than {MaxTransactions} transactions in a batch");
            parents[i] = CommitCertificate.Read(ref reader);
        }
        var n = (int)total;
        // Every transaction takes at least a type byte, eight one-byte fields, an address and a signature: bound n before allocating.
        if ((long)n * (1 + 7 + Address.Size + RecoverableSignature.Size) > reader.Remaining)
            throw new DecodeException($"{n} transactions do not fit in the {reader.Remaining} bytes left");
        var types = new TransactionType[n];
        for (var i = 0; i < n; i++)
        {
            var type = reader.ReadByte();
            if (!Enum.IsDefined((TransactionType)type))
                throw new DecodeException($"unknown transaction type {type}");
            types[i] = (TransactionType)type;
        }
        var nonces = ReadNumbers(ref reader, n, ulong.MaxValue);
        var recipients = new Address[n];
        for (var i = 0; i < n; i++)
            recipients[i] = reader.ReadAddress();
        var values = ReadNumbers(ref reader, n, (ulong)Amount.MaxMoney.Sat);
        var maxFees = ReadNumbers(ref reader, n, ulong.MaxValue);
        var priorities = ReadNumbers(ref reader, n, ulong.MaxValue);
        var gasLimits = ReadNumbers(ref reader, n, ulong.MaxValue);
        var dataLengths = ReadNumbers(ref reader, n, Transaction.MaxDataBytes);
        var data = new byte[n][];
        for (var i = 0; i < n; i++)
            data[i] = reader.ReadBytes((int)dataLengths[i]);
        var transactions = new Transaction[n];
        for (var i = 0; i < n; i++)
        {
            var signature = reader.ReadSpan(RecoverableSignature.Size);
            transactions[i] = new Transaction(types[i], chainId, nonces[i], recipients[i], Amount.FromSat((long)values[i]), maxFees[i], priorities[i], gasLimits[i],
                data[i], signature);
        }
        reader.EnsureEnd();
        var blocks = new List<BatchBlock>(blockCount);
        var next = 0;
        for (var i = 0; i < blockCount; i++)
        {
            blocks.Add(new BatchBlock(parents[i], transactions[next..(next + counts[i])]));
            next += counts[i];
        }
        return new Batch(chainId, firstBlock, blocks);
    }

    private static ulong[] ReadNumbers(ref SpanReader reader, int count, ulong max)
    {
        var numbers = new ulong[count];
        for (var i = 0; i < count; i++)
            numbers[i] = reader.ReadCompactSize(max);
        return numbers;
    }
}
