using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Relay;

/// <summary>
/// Payloads of the L2 relay. Each starts with the chain id (u64), so nodes following different L2
/// chains over one connection ignore each other's traffic: <c>l2txs</c> (CompactSize count ≤ 2,000 ‖
/// CompactSize-length-prefixed transactions),
/// <c>l2block</c> (one finalized block), <c>l2getblocks</c> (from u64 ‖ count u16 ≤ 500) and
/// <c>l2blocks</c> (CompactSize count ‖ CompactSize-length-prefixed blocks).
/// </summary>
public static class L2RelayMessages
{
    public const string Transactions = "l2txs";

    public const int MaxTransactionsPerMessage = 2_000;
    public const string Block = "l2block";
    public const string GetBlocks = "l2getblocks";
    public const string Blocks = "l2blocks";

    public const int MaxBlocksPerMessage = 500;

    /// <summary>At most this many bytes of blocks in one reply (well under the frame limit).</summary>
    public const int MaxReplyBytes = 16 * 1024 * 1024;

    public static byte[] EncodeTransactions(ulong chainId, IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var writer = new SpanWriter(16 + transactions.Sum(t => t.Size + 3));
        writer.WriteUInt64(chainId);
        writer.WriteCompactSize((ulong)transactions.Count);
        foreach (var transaction in transactions)
            writer.WriteVarBytes(transaction.ToBytes());
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a list of transactions.</exception>
    public static IReadOnlyList<Transaction> DecodeTransactions(ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body);
        var count = (int)reader.ReadCompactSize(MaxTransactionsPerMessage);
        var transactions = new List<Transaction>(count);
        for (var i = 0; i < count; i++)
            transactions.Add(Transaction.Decode(reader.ReadVarBytes(Transaction.MaxEncodedSize)));
        reader.EnsureEnd();
        return transactions;
    }

    public static byte[] EncodeBlock(ulong chainId, Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var writer = new SpanWriter(1024);
        writer.WriteUInt64(chainId);
        writer.WriteBytes(block.ToBytes());
        return writer.ToArray();
    }

    public static byte[] EncodeGetBlocks(ulong chainId, ulong from, int count)
    {
        var writer = new SpanWriter(18);
        writer.WriteUInt64(chainId);
        writer.WriteUInt64(from);
        writer.WriteUInt16((ushort)Math.Clamp(count, 1, MaxBlocksPerMessage));
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a request.</exception>
    public static (ulong ChainId, ulong From, int Count) DecodeGetBlocks(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var request = (reader.ReadUInt64(), reader.ReadUInt64(), (int)reader.ReadUInt16());
        reader.EnsureEnd();
        if (request.Item3 is 0 or > MaxBlocksPerMessage)
            throw new DecodeException($"asks for {request.Item3} blocks (1..{MaxBlocksPerMessage})");
        return request;
    }

    public static byte[] EncodeBlocks(ulong chainId, IReadOnlyList<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var writer = new SpanWriter(4096);
        writer.WriteUInt64(chainId);
        writer.WriteCompactSize((ulong)blocks.Count);
        foreach (var block in blocks)
            writer.WriteVarBytes(block.ToBytes());
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a list of blocks.</exception>
    public static (ulong ChainId, IReadOnlyList<Block> Blocks) DecodeBlocks(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var chainId = reader.ReadUInt64();
        var count = (int)reader.ReadCompactSize(MaxBlocksPerMessage);
        var blocks = new List<Block>(count);
        for (var i = 0; i < count; i++)
            blocks.Add(Chain.Blocks.Block.Decode(reader.ReadVarBytes(payload.Length)));
        reader.EnsureEnd();
        return (chainId, blocks);
    }

    /// <summary>Splits a chain-id-prefixed payload.</summary>
    /// <exception cref="DecodeException">shorter than a chain id.</exception>
    public static (ulong ChainId, ReadOnlyMemory<byte> Body) SplitChainId(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length < 8)
            throw new DecodeException("a payload shorter than its chain id");
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(payload), payload.AsMemory(8));
    }
}
