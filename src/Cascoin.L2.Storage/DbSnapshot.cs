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

    public bool TryGet<T>(DbColumn column, ReadOnlySpan<byte> key, IDbCodec<T> codec, out T value)
    {
        ArgumentNullException.ThrowIfNull(codec);
        var bytes = Get(column, key);
        if (bytes is null)
        {
            value = default!;
            return false;
        }
        value = NodeDatabase.DecodeRecord(column, key, bytes, codec);
        return true;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> IterateByPrefix(DbColumn column, byte[] prefix) =>
        _database.IterateByPrefix(column, prefix, _snapshot);

    public void Dispose() => _snapshot.Dispose();
}
