using RocksDbSharp;

namespace Cascoin.L2.Storage;

/// <summary>A point-in-time read view of the database (RocksDB snapshot).</summary>
public sealed class DbSnapshot : IDisposable
{
    private readonly NodeDatabase _database;
    private readonly Snapshot _snapshot;

    internal DbSnapshot(NodeDatabase database, Snapshot snapshot)
    {
        _database = database;
        _snapshot = snapshot;
    }

    public byte[]? Get(DbColumn column, ReadOnlySpan<byte> key) => _database.Get(column, key, _snapshot);

    public bool TryGet<T>(DbColumn column, ReadOnlySpan<byte> key, IDbCodec<T> codec, out T value) =>
        NodeDatabase.TryDecode(column, key, Get(column, key), codec, out value);

    public IEnumerable<KeyValuePair<byte[], byte[]>> IterateByPrefix(DbColumn column, byte[] prefix) =>
        _database.IterateByPrefix(column, prefix, _snapshot);

    /// <summary>Releases the snapshot; once the database is closing there is nothing left to release.</summary>
    public void Dispose()
    {
        if (!_database.TryUse(out var lease))
            return;
        using (lease)
            _snapshot.Dispose();
    }
}
