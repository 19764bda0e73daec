using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Storage;

namespace Cascoin.L2.Chain.Storage;

/// <summary>Where a transaction sits: its block and its index there.</summary>
public readonly record struct TransactionLocation(ulong Block, int Index);

/// <summary>
/// L2 blocks, receipts and the transaction index on RocksDB (doc/db-schema.md). Writes are staged
/// into the caller's batch, which also holds the block's state, so a block is stored whole or not at all.
/// </summary>
public sealed class BlockStore
{
    private static readonly byte[] HeadKey = "l2/head"u8.ToArray();

    private readonly NodeDatabase _database;

    public BlockStore(NodeDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>The number of the newest stored block, or null before genesis.</summary>
    public ulong? ReadHead()
    {
        var bytes = _database.Get(DbColumn.Metadata, HeadKey);
        if (bytes is null)
            return null;
        if (bytes.Length != 8)
            throw new DatabaseCorruptionException($"corrupt record in column 'metadata' at key {Convert.ToHexStringLower(HeadKey)}: not a block number");
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    public void Stage(Block block, IReadOnlyList<Receipt> receipts, DbWriteBatch batch) => Stage(block, receipts, [], batch);

    /// <summary>
    /// Stages a block's records, with the envelopes it opened: 0x01 ‖ envelope id → opening id in the
    /// transaction index (33-byte keys beside the 32-byte txids). A revert leaves such a link behind;
    /// it is read only through the opening's own location (<see cref="GetOpening"/>), which the revert
    /// removes, and a later opening of the same envelope overwrites it.
    /// </summary>
    public void Stage(Block block, IReadOnlyList<Receipt> receipts, IReadOnlyList<(Hash256 Envelope, Hash256 Opening)> openings, DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(openings);
        foreach (var (envelope, opening) in openings)
            batch.Put(DbColumn.L2Transactions, OpeningKey(envelope), opening.ToArray());
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        ArgumentNullException.ThrowIfNull(batch);
        var number = NumberKey(block.Number);
        batch.Put(DbColumn.L2Blocks, number, block.ToBytes());
        Span<byte> hash = stackalloc byte[32];
        block.Hash.WriteTo(hash);
        batch.Put(DbColumn.L2BlockNumbers, hash, number);
        Span<byte> location = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(location, block.Number);
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            block.Transactions[i].Id.WriteTo(hash);
            BinaryPrimitives.WriteUInt32BigEndian(location[8..], (uint)i);
            batch.Put(DbColumn.L2Transactions, hash, location);
        }
        var writer = new SpanWriter(9 + receipts.Count * Receipt.EncodedSize);
        writer.WriteCompactSize((ulong)receipts.Count);
        foreach (var receipt in receipts)
            receipt.WriteTo(writer);
        batch.Put(DbColumn.L2Receipts, number, writer.WrittenSpan);
        batch.Put(DbColumn.Metadata, HeadKey, number);
    }

    /// <summary>Deletes a block's records (a revert); the caller moves the head with <see cref="StageHead"/>.</summary>
    public static void StageRemove(Block block, DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(batch);
        var number = NumberKey(block.Number);
        batch.Delete(DbColumn.L2Blocks, number);
        batch.Delete(DbColumn.L2Receipts, number);
        batch.Delete(DbColumn.L2BlockNumbers, block.Hash.ToArray());
        foreach (var transaction in block.Transactions)
            batch.Delete(DbColumn.L2Transactions, transaction.Id.ToArray());
    }

    public static void StageHead(ulong number, DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Put(DbColumn.Metadata, HeadKey, NumberKey(number));
    }

    public Block? GetBlock(ulong number) => ReadBlockRecord(number, static bytes => Block.Decode(bytes));

    /// <summary>The header of block <paramref name="number"/> alone: the stored block begins with it, so its transactions are not decoded.</summary>
    public BlockHeader? GetHeader(ulong number) => ReadBlockRecord(number, static bytes =>
    {
        var reader = new SpanReader(bytes);
        return BlockHeader.Read(ref reader);
    });

    private T? ReadBlockRecord<T>(ulong number, Func<byte[], T> decode) where T : class
    {
        var key = NumberKey(number);
        var bytes = _database.Get(DbColumn.L2Blocks, key);
        if (bytes is null)
            return null;
        try
        {
            return decode(bytes);
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.L2Blocks, key, ex);
        }
    }

    public ulong? GetNumber(Hash256 hash)
    {
        var key = hash.ToArray();
        var bytes = _database.Get(DbColumn.L2BlockNumbers, key);
        if (bytes is null)
            return null;
        if (bytes.Length != 8)
            throw DatabaseCorruptionException.ForRecord(DbColumn.L2BlockNumbers, key, new DecodeException("not a block number"));
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    public TransactionLocation? GetLocation(Hash256 transactionId)
    {
        var key = transactionId.ToArray();
        var bytes = _database.Get(DbColumn.L2Transactions, key);
        if (bytes is null)
            return null;
        if (bytes.Length != 12)
            throw DatabaseCorruptionException.ForRecord(DbColumn.L2Transactions, key, new DecodeException("not a transaction location"));
        return new TransactionLocation(BinaryPrimitives.ReadUInt64BigEndian(bytes), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)));
    }

    /// <summary>The id of the transaction that opened <paramref name="envelope"/>, as last indexed (check its location: a revert may have undone it).</summary>
    public Hash256? GetOpening(Hash256 envelope)
    {
        var key = OpeningKey(envelope);
        var bytes = _database.Get(DbColumn.L2Transactions, key);
        if (bytes is null)
            return null;
        if (bytes.Length != 32)
            throw DatabaseCorruptionException.ForRecord(DbColumn.L2Transactions, key, new DecodeException("not an opening's transaction id"));
        return new Hash256(bytes);
    }

    private static byte[] OpeningKey(Hash256 envelope) => [1, .. envelope.ToArray()];

    public IReadOnlyList<Receipt>? GetReceipts(ulong number)
    {
        var key = NumberKey(number);
        var bytes = _database.Get(DbColumn.L2Receipts, key);
        if (bytes is null)
            return null;
        try
        {
            var reader = new SpanReader(bytes);
            var count = (int)reader.ReadCompactSize(Block.MaxTransactions);
            var receipts = new List<Receipt>(count);
            for (var i = 0; i < count; i++)
                receipts.Add(Receipt.Read(ref reader));
            reader.EnsureEnd();
            return receipts;
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.L2Receipts, key, ex);
        }
    }

    private static byte[] NumberKey(ulong number)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        return key;
    }
}
