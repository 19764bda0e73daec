using System.Buffers.Binary;
using Cascoin.L2.Primitives;
using Cascoin.L2.Storage;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The settlement chain's records in its database (doc/db-schema.md): blocks of every branch, the
/// receipts of connected blocks, the active chain by height, the tip, the invalid marks. Connecting and
/// disconnecting are staged into the caller's batch, so a block's state and records commit together.
/// </summary>
internal sealed class L1BlockStore(NodeDatabase database)
{
    private static readonly byte[] TipKey = "l1/tip"u8.ToArray();

    public DbWriteBatch CreateBatch() => database.CreateBatch();

    public void Commit(DbWriteBatch batch) => database.Commit(batch);

    public L1Block? GetBlock(Hash256 hash)
    {
        var bytes = database.Get(DbColumn.L1Blocks, hash.ToArray());
        if (bytes is null)
            return null;
        try
        {
            return L1Block.Decode(bytes);
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.L1Blocks, hash.ToArray(), ex);
        }
    }

    public IReadOnlyList<L1Receipt>? GetReceipts(Hash256 hash)
    {
        var bytes = database.Get(DbColumn.L1Receipts, hash.ToArray());
        if (bytes is null)
            return null;
        try
        {
            var reader = new SpanReader(bytes);
            var count = (int)reader.ReadCompactSize(L1Block.MaxTransactions);
            var receipts = new List<L1Receipt>(count);
            for (var i = 0; i < count; i++)
                receipts.Add(L1Receipt.Read(ref reader));
            reader.EnsureEnd();
            return receipts;
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.L1Receipts, hash.ToArray(), ex);
        }
    }

    /// <summary>Stores a block received on a branch that is not connected (yet): its body only.</summary>
    public void StoreBlock(L1Block block)
    {
        using var batch = database.CreateBatch();
        batch.Put(DbColumn.L1Blocks, block.Hash.ToArray(), block.ToBytes());
        database.Commit(batch);
    }

    /// <summary>Stages <paramref name="block"/> as the new tip: its body, receipts and active-chain entry.</summary>
    public static void StageConnect(DbWriteBatch batch, L1Block block, IReadOnlyList<L1Receipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        batch.Put(DbColumn.L1Blocks, block.Hash.ToArray(), block.ToBytes());
        var writer = new SpanWriter(64 * receipts.Count + 9);
        writer.WriteCompactSize((ulong)receipts.Count);
        foreach (var receipt in receipts)
            receipt.WriteTo(writer);
        batch.Put(DbColumn.L1Receipts, block.Hash.ToArray(), writer.WrittenSpan);
        batch.Put(DbColumn.L1ActiveChain, HeightKey(block.Height), block.Hash.ToArray());
        batch.Put(DbColumn.Metadata, TipKey, HeightKey(block.Height));
    }

    /// <summary>Stages the active chain's cut from <paramref name="tip"/> back to <paramref name="height"/>.</summary>
    public static void StageDisconnect(DbWriteBatch batch, ulong height, ulong tip)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var h = height + 1; h <= tip; h++)
            batch.Delete(DbColumn.L1ActiveChain, HeightKey(h));
        batch.Put(DbColumn.Metadata, TipKey, HeightKey(height));
    }

    /// <summary>Sets or clears the invalid mark of <paramref name="hashes"/> in one batch.</summary>
    public void MarkInvalid(IReadOnlyCollection<Hash256> hashes, bool invalid)
    {
        using var batch = database.CreateBatch();
        foreach (var hash in hashes)
        {
            if (invalid)
                batch.Put(DbColumn.L1Invalid, hash.ToArray(), [1]);
            else
                batch.Delete(DbColumn.L1Invalid, hash.ToArray());
        }
        database.Commit(batch);
    }

    /// <summary>Every stored block's header, lowest first (a parent before its children).</summary>
    public IReadOnlyList<L1BlockHeader> LoadHeaders()
    {
        var headers = new List<L1BlockHeader>();
        foreach (var (key, value) in database.IterateByPrefix(DbColumn.L1Blocks, []))
        {
            try
            {
                var reader = new SpanReader(value);
                headers.Add(L1BlockHeader.Read(ref reader));
            }
            catch (DecodeException ex)
            {
                throw DatabaseCorruptionException.ForRecord(DbColumn.L1Blocks, key, ex);
            }
        }
        return headers.OrderBy(h => h.Height).ToList();
    }

    public IReadOnlyList<Hash256> LoadInvalid() => database.IterateByPrefix(DbColumn.L1Invalid, [])
        .Select(entry => entry.Key.Length == Hash256.Size ? new Hash256(entry.Key) : throw new DatabaseCorruptionException($"an L1 invalid mark has a {entry.Key.Length}-byte key"))
        .ToList();

    /// <summary>The active chain's hashes by height; the index must run from 0 without a gap.</summary>
    public IReadOnlyList<Hash256> LoadActive()
    {
        var active = new List<Hash256>();
        foreach (var (key, value) in database.IterateByPrefix(DbColumn.L1ActiveChain, []))
        {
            if (key.Length != 8 || value.Length != Hash256.Size || BinaryPrimitives.ReadUInt64BigEndian(key) != (ulong)active.Count)
                throw new DatabaseCorruptionException($"the active L1 chain index is broken at entry {active.Count}");
            active.Add(new Hash256(value));
        }
        return active;
    }

    private static byte[] HeightKey(ulong height)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, height);
        return key;
    }
}
