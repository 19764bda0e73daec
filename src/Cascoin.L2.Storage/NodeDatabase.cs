using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using RocksDbSharp;

namespace Cascoin.L2.Storage;

/// <summary>
/// The node's one RocksDB database: a column family per <see cref="DbColumn"/>, atomic write
/// batches, typed reads, prefix iteration and snapshots. Every logical commit (a block, a
/// configuration change) goes through one <see cref="DbWriteBatch"/> so a crash never leaves half of it.
/// </summary>
public sealed class NodeDatabase : IDisposable
{
    /// <summary>The layout version this code writes. Bump it with a migration when the key layout changes.</summary>
    public const uint CurrentSchemaVersion = 2;

    private static readonly byte[] SchemaVersionKey = "schema_version"u8.ToArray();

    private readonly RocksDb _db;
    private readonly ColumnFamilyHandle[] _columns;
    private readonly WriteOptions _writeOptions;
    private readonly ILogger _logger;
    private bool _disposed;
    // Operations in flight, and whether the database is closing: Dispose waits for the first to drain
    // after setting the second, so no read, write or iterator runs into a closed RocksDB (a use after
    // free there is a segfault, which takes the process down without a managed trace).
    private int _users;
    private int _closing;

    private NodeDatabase(string path, RocksDb db, ColumnFamilyHandle[] columns, WriteOptions writeOptions, ILogger logger)
    {
        Path = path;
        _db = db;
        _columns = columns;
        _writeOptions = writeOptions;
        _logger = logger;
    }

    public string Path { get; }

    public uint SchemaVersion { get; private set; }

    /// <summary>True once closing began; snapshots check it so they never release into a closed database.</summary>
    internal bool IsDisposed => Volatile.Read(ref _closing) == 1;

    /// <summary>A lease on the open database for one operation; after closing began, ObjectDisposedException.</summary>
    internal Lease Use() => TryUse(out var lease) ? lease : throw new ObjectDisposedException(nameof(NodeDatabase), $"the database {Path} is closed");

    internal bool TryUse(out Lease lease)
    {
        Interlocked.Increment(ref _users);
        if (Volatile.Read(ref _closing) == 1)
        {
            Interlocked.Decrement(ref _users);
            lease = default;
            return false;
        }
        lease = new Lease(this);
        return true;
    }

    /// <summary>Ends one operation's hold on the database.</summary>
    internal readonly struct Lease(NodeDatabase? database) : IDisposable
    {
        public void Dispose()
        {
            if (database is not null)
                Interlocked.Decrement(ref database._users);
        }
    }

    public static string ColumnName(DbColumn column) => column.ToString().ToLowerInvariant();

    /// <summary>Opens (creating if needed) the database in <paramref name="path"/> and checks its schema version.</summary>
    public static NodeDatabase Open(string path, DatabaseOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Directory.CreateDirectory(path);

        var table = new BlockBasedTableOptions()
            .SetBlockCache(Cache.CreateLru(options.BlockCacheBytes))
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetCacheIndexAndFilterBlocks(true)
            .SetFormatVersion(5);
        var dbOptions = new DbOptions()
            .SetCreateIfMissing(true)
            .SetCreateMissingColumnFamilies(true)
            .SetMaxOpenFiles(options.MaxOpenFiles)
            .IncreaseParallelism(Math.Max(1, options.BackgroundThreads))
            .SetKeepLogFileNum(5)
            .SetMaxLogFileSize(16UL * 1024 * 1024)
            .SetCompression(Compression.Lz4)
            .SetBlockBasedTableFactory(table);

        var families = new ColumnFamilies();
        foreach (var column in Enum.GetValues<DbColumn>())
            families.Add(ColumnName(column), ColumnFamilyOptionsFrom(table, column));

        // RocksDB refuses to open unless every existing family is named; keep ones this version does not know.
        if (RocksDb.TryListColumnFamilies(dbOptions, path, out var existing))
        {
            var known = families.Names.ToHashSet(StringComparer.Ordinal);
            foreach (var name in existing.Where(n => !known.Contains(n)))
            {
                logger.LogWarning("Database {Path} has column family {Name} unknown to this version; keeping it", path, name);
                families.Add(name, ColumnFamilyOptionsFrom(table, DbColumn.Metadata));
            }
        }

        RocksDb db;
        try
        {
            db = RocksDb.Open(dbOptions, path, families);
        }
        catch (RocksDbException ex)
        {
            throw new DatabaseCorruptionException($"cannot open database {path}: {ex.Message}", ex);
        }

        var handles = Enum.GetValues<DbColumn>().Select(c => db.GetColumnFamily(ColumnName(c))).ToArray();
        var writeOptions = new WriteOptions().SetSync(options.SyncWrites);
        var database = new NodeDatabase(path, db, handles, writeOptions, logger);
        try
        {
            database.CheckSchemaVersion();
        }
        catch
        {
            database.Dispose();
            throw;
        }
        logger.LogInformation("Opened database {Path} (schema version {Version})", path, database.SchemaVersion);
        return database;
    }

    /// <summary>
    /// Hash-keyed tree data does not compress; everything else gets LZ4. (A vector memtable would make
    /// node writes about five times cheaper, but every read of a recent node that missed the cache —
    /// a proof at a recent block — would sort the whole memtable, so the skip list stays.)
    /// </summary>
    private static ColumnFamilyOptions ColumnFamilyOptionsFrom(BlockBasedTableOptions table, DbColumn column)
    {
        var incompressible = column is DbColumn.SmtNodes or DbColumn.SmtStale;
        return new ColumnFamilyOptions()
            .SetBlockBasedTableFactory(table)
            .SetCompression(incompressible ? Compression.No : Compression.Lz4)
            .SetWriteBufferSize(64UL * 1024 * 1024);
    }

    private void CheckSchemaVersion()
    {
        var stored = Get(DbColumn.Metadata, SchemaVersionKey);
        if (stored is null)
        {
            var value = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(value, CurrentSchemaVersion);
            Put(DbColumn.Metadata, SchemaVersionKey, value);
            SchemaVersion = CurrentSchemaVersion;
            return;
        }
        if (stored.Length != 4)
            throw new DatabaseCorruptionException($"corrupt record in column 'Metadata' at key 'schema_version': expected 4 bytes, found {stored.Length}");
        SchemaVersion = BinaryPrimitives.ReadUInt32BigEndian(stored);
        if (SchemaVersion > CurrentSchemaVersion)
            throw new DatabaseVersionException(
                $"database {Path} has schema version {SchemaVersion}, newer than this node supports ({CurrentSchemaVersion}); upgrade cascoind");
        if (SchemaVersion < CurrentSchemaVersion)
            throw new DatabaseVersionException(
                $"database {Path} has schema version {SchemaVersion}; this node needs {CurrentSchemaVersion} and has no migration from it: resync into a new data directory");
    }

    /// <summary>A column family's handle; only for use under a <see cref="Lease"/>.</summary>
    internal ColumnFamilyHandle Handle(DbColumn column)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _columns[(int)column];
    }

    public byte[]? Get(DbColumn column, ReadOnlySpan<byte> key)
    {
        using var lease = Use();
        return _db.Get(key, Handle(column), null);
    }

    public bool Contains(DbColumn column, ReadOnlySpan<byte> key)
    {
        using var lease = Use();
        return _db.HasKey(key, Handle(column), null);
    }

    /// <summary>Reads and decodes a record; a record that does not decode is reported as corruption naming its key.</summary>
    public bool TryGet<T>(DbColumn column, ReadOnlySpan<byte> key, IDbCodec<T> codec, out T value) =>
        TryDecode(column, key, Get(column, key), codec, out value);

    /// <summary>Decodes a record read from the database or a snapshot; false when it is absent.</summary>
    internal static bool TryDecode<T>(DbColumn column, ReadOnlySpan<byte> key, byte[]? bytes, IDbCodec<T> codec, out T value)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (bytes is null)
        {
            value = default!;
            return false;
        }
        try
        {
            value = codec.Decode(bytes);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or OverflowException)
        {
            throw DatabaseCorruptionException.ForRecord(column, key, ex);
        }
    }

    /// <summary>A single-record write; use a batch for anything that must change together.</summary>
    public void Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        using var lease = Use();
        _db.Put(key, value, Handle(column), _writeOptions);
    }

    public void Put<T>(DbColumn column, ReadOnlySpan<byte> key, T value, IDbCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        Put(column, key, codec.Encode(value));
    }

    public void Delete(DbColumn column, ReadOnlySpan<byte> key)
    {
        using var lease = Use();
        _db.Remove(key, Handle(column), _writeOptions);
    }

    public DbWriteBatch CreateBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new DbWriteBatch(this);
    }

    /// <summary>Writes every change of the batch atomically: all of them or, after a crash, none.</summary>
    public void Commit(DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!ReferenceEquals(batch.Owner, this))
            throw new ArgumentException("the batch belongs to another database", nameof(batch));
        using var lease = Use();
        _db.Write(batch.Inner, _writeOptions);
    }

    /// <summary>All records whose key starts with <paramref name="prefix"/>, in key order.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> IterateByPrefix(DbColumn column, byte[] prefix) =>
        IterateByPrefix(column, prefix, snapshot: null);

    internal IEnumerable<KeyValuePair<byte[], byte[]>> IterateByPrefix(DbColumn column, byte[] prefix, Snapshot? snapshot)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // Held while the caller enumerates: closing waits for the iterator to be disposed.
        using var lease = Use();
        var handle = Handle(column);
        using var iterator = _db.NewIterator(handle, ReadOptionsFor(snapshot));
        for (iterator.Seek(prefix); iterator.Valid(); iterator.Next())
        {
            var key = iterator.GetKeySpan();
            if (!key.StartsWith(prefix))
                yield break;
            yield return new KeyValuePair<byte[], byte[]>(key.ToArray(), iterator.Value());
        }
    }

    /// <summary>The records of <paramref name="column"/> from key <paramref name="from"/> on, in key order (lazily, for as long as the caller enumerates).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> IterateFrom(DbColumn column, byte[] from)
    {
        ArgumentNullException.ThrowIfNull(from);
        using var lease = Use();
        using var iterator = _db.NewIterator(Handle(column));
        for (iterator.Seek(from); iterator.Valid(); iterator.Next())
            yield return new KeyValuePair<byte[], byte[]>(iterator.Key(), iterator.Value());
    }

    /// <summary>
    /// The first record at or after <paramref name="seek"/> whose key starts with <paramref name="prefix"/>;
    /// the building block of "newest version at or below v" lookups with inverted version suffixes.
    /// </summary>
    public bool TrySeek(DbColumn column, ReadOnlySpan<byte> seek, ReadOnlySpan<byte> prefix, out byte[] key, out byte[] value)
    {
        using var lease = Use();
        using var iterator = _db.NewIterator(Handle(column));
        iterator.Seek(seek);
        if (iterator.Valid() && iterator.GetKeySpan().StartsWith(prefix))
        {
            key = iterator.Key();
            value = iterator.Value();
            return true;
        }
        key = [];
        value = [];
        return false;
    }

    /// <summary>A consistent read view: later writes are invisible to it.</summary>
    public DbSnapshot CreateSnapshot()
    {
        using var lease = Use();
        return new DbSnapshot(this, _db.CreateSnapshot());
    }

    internal byte[]? Get(DbColumn column, ReadOnlySpan<byte> key, Snapshot snapshot)
    {
        using var lease = Use();
        return _db.Get(key, Handle(column), ReadOptionsFor(snapshot));
    }

    public string? GetProperty(string name)
    {
        using var lease = Use();
        return _db.GetProperty(name);
    }

    /// <summary>A RocksDB property of one column family (rocksdb.estimate-live-data-size, say), or null.</summary>
    public string? GetProperty(string name, DbColumn column)
    {
        using var lease = Use();
        return _db.GetProperty(name, Handle(column));
    }

    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);

    /// <summary>Waits for the operations in flight, flushes memtables to disk and closes the database.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
            return;
        // New operations are refused from here; those in flight (a P2P handler still writing a block
        // while the host stops, say) finish first.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var spin = new SpinWait();
        while (Volatile.Read(ref _users) > 0)
        {
            if (waited.Elapsed > DrainLimit)
            {
                _logger.LogError("Database {Path}: {Count} operations still running after {Seconds} s; closing anyway", Path, Volatile.Read(ref _users), DrainLimit.TotalSeconds);
                break;
            }
            spin.SpinOnce(sleep1Threshold: 10);
        }
        try
        {
            _db.Flush(new FlushOptions().SetWaitForFlush(true));
        }
        catch (RocksDbException ex)
        {
            // The WAL still holds every committed write; the next open replays it.
            _logger.LogWarning(ex, "Flushing database {Path} failed", Path);
        }
        _disposed = true;
        _db.Dispose();
        _logger.LogInformation("Closed database {Path}", Path);
    }

    private static ReadOptions? ReadOptionsFor(Snapshot? snapshot) =>
        snapshot is null ? null : new ReadOptions().SetSnapshot(snapshot);
}
