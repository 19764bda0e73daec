using Cascoin.L2.Primitives;
using Cascoin.L2.Storage;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// The persistent 256-bit sparse Merkle tree of SPEC §4 with history: every version (block) has a
/// root; nodes are stored once per (version, hash) so versions share unchanged subtrees; values are
/// kept per version; proofs can be made against any retained version, and a revert to an older
/// version deletes only what came after it.
/// </summary>
/// <remarks>
/// One writer at a time (the block pipeline); readers may run concurrently with it. Writes go
/// through <see cref="Prepare"/> → <see cref="Stage"/> into the caller's batch → commit →
/// <see cref="Committed"/>, so a block's tree, values and other records land in one atomic batch.
/// </remarks>
public sealed partial class SparseMerkleTree : IDisposable
{
    private readonly NodeDatabase _database;
    private readonly NodeStore _store;
    private readonly Lock _rootsLock = new();
    // A sorted list, not a SortedDictionary: the newest version is read on every state read, and a
    // SortedDictionary has no O(1) maximum (its Keys.Last() walks every retained version).
    private readonly SortedList<ulong, NodeRef> _roots = [];
    private readonly Dictionary<Hash256, ulong> _versionByRoot = [];

    public SparseMerkleTree(NodeDatabase database, SmtOptions options)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        // Retaining nothing would prune the newest root itself and silently restart from an empty tree.
        if (options.RetainVersions < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "RetainVersions must be at least 1");
        if (options.PruneBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "PruneBatchSize must be at least 1");
        _database = database;
        Options = options;
        _store = new NodeStore(database, options.CacheNodes);
        foreach (var (key, value) in database.IterateByPrefix(DbColumn.SmtRoots, []))
        {
            if (key.Length != 8)
                throw new DatabaseCorruptionException($"corrupt record in column 'SmtRoots' at key {Convert.ToHexStringLower(key)}: key is not a version");
            NodeRef root;
            try
            {
                root = SmtNodeCodec.ReadRef(value);
            }
            catch (DecodeException ex)
            {
                throw DatabaseCorruptionException.ForRecord(DbColumn.SmtRoots, key, ex);
            }
            AddRoot(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key), root);
        }
    }

    public SmtOptions Options { get; }

    /// <summary>The newest version, or null for a tree that never had one.</summary>
    public ulong? LatestVersion
    {
        get
        {
            lock (_rootsLock)
                return _roots.Count == 0 ? null : _roots.Keys[^1];
        }
    }

    public ulong? OldestVersion
    {
        get
        {
            lock (_rootsLock)
                return _roots.Count == 0 ? null : _roots.Keys[0];
        }
    }

    /// <summary>The newest root (zero for the empty tree).</summary>
    public Hash256 Root => LatestRootRef.Hash;

    internal NodeRef LatestRootRef
    {
        get
        {
            lock (_rootsLock)
                return _roots.Count == 0 ? NodeRef.Empty : _roots.Values[^1];
        }
    }

    internal long DatabaseReads => _store.DatabaseReads;

    internal int CachedNodes => _store.CachedCount;

    public bool TryGetRoot(ulong version, out Hash256 root)
    {
        var found = TryGetRootRef(version, out var reference);
        root = reference.Hash;
        return found;
    }

    internal bool TryGetRootRef(ulong version, out NodeRef root)
    {
        lock (_rootsLock)
            return _roots.TryGetValue(version, out root);
    }

    /// <summary>The newest retained version whose root is <paramref name="root"/>.</summary>
    public bool TryGetVersion(Hash256 root, out ulong version)
    {
        lock (_rootsLock)
            return _versionByRoot.TryGetValue(root, out version);
    }

    /// <summary>The value of <paramref name="key"/> at the newest version, or null when absent.</summary>
    public byte[]? Get(Hash256 key) => LatestVersion is { } latest ? Get(key, latest) : null;

    /// <summary>The value of <paramref name="key"/> at <paramref name="version"/>, or null when absent.</summary>
    public byte[]? Get(Hash256 key, ulong version)
    {
        RequireRetained(version);
        Span<byte> seek = stackalloc byte[SmtKeys.ValueKeySize];
        SmtKeys.Value(key, version, seek);
        if (!_database.TrySeek(DbColumn.SmtValues, seek, seek[..32], out var recordKey, out var record))
            return null;
        return record.Length switch
        {
            1 when record[0] == 0 => null,
            > 0 when record[0] == 1 => record[1..],
            _ => throw new DatabaseCorruptionException($"corrupt record in column 'SmtValues' at key {Convert.ToHexStringLower(recordKey)}: not a value record"),
        };
    }

    /// <summary>
    /// Computes the tree after applying <paramref name="changes"/> (one per key; null value = delete)
    /// as version <paramref name="version"/>, which must be newer than every existing version.
    /// Nothing is written. With <paramref name="parent"/>, the update builds on that prepared but not
    /// yet committed update, so block N+1 can be computed while block N is being written; commit
    /// them in order.
    /// </summary>
    public SmtPendingUpdate Prepare(ulong version, IEnumerable<SmtChange> changes, SmtPendingUpdate? parent = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var latest = parent?.Version ?? LatestVersion;
        if (latest is { } newest && version <= newest)
            throw new ArgumentOutOfRangeException(nameof(version), version, $"versions must increase; the newest is {newest}");

        var byKey = new Dictionary<Hash256, byte[]?>();
        foreach (var change in changes)
        {
            if (!byKey.TryAdd(change.Key, change.Value))
                throw new ArgumentException($"key {change.Key.ToHex()} appears twice in one update", nameof(changes));
        }
        var sorted = new (Hash256 Key, Hash256 ValueHash, bool Delete)[byKey.Count];
        var i = 0;
        foreach (var (key, value) in byKey)
            sorted[i++] = (key, value is null ? default : SmtHashing.ValueHash(value), value is null);
        Array.Sort(sorted, static (a, b) => a.Key.CompareTo(b.Key));

        var writes = new SmtWriteSet(byKey.Count) { Hashes = byKey.Values.Count(v => v is not null) };
        var previous = parent?.RootRef ?? LatestRootRef;
        var root = new SmtUpdater(_store, version).Apply(previous, sorted, writes);
        // Nodes are immutable and keyed by (version, hash), so they can be cached before the commit:
        // a later update built on this one finds them, and an abandoned update leaves only unreachable entries.
        _store.Update(writes.StaleNodes, writes.Promoted, writes.NewNodes);
        return new SmtPendingUpdate(version, previous, root, writes, ChangedValues(byKey, writes));
    }

    /// <summary>The keys whose stored value changes: new leaves, and removed leaves not replaced.</summary>
    private static List<SmtChange> ChangedValues(Dictionary<Hash256, byte[]?> byKey, SmtWriteSet writes)
    {
        var changed = new List<SmtChange>();
        var written = new HashSet<Hash256>();
        foreach (var (_, node) in writes.NewNodes)
        {
            if (node.IsLeaf && written.Add(node.Key))
                changed.Add(new SmtChange(node.Key, byKey[node.Key]));
        }
        foreach (var (key, _) in writes.StaleLeaves)
        {
            if (!written.Contains(key))
                changed.Add(new SmtChange(key, null));
        }
        return changed;
    }

    /// <summary>Adds the update's records (nodes, values, stale index, root, changed keys) to <paramref name="batch"/>.</summary>
    public void Stage(SmtPendingUpdate update, DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(batch);
        var version = update.Version;
        Span<byte> key = stackalloc byte[64];
        Span<byte> node = stackalloc byte[SmtNodeCodec.InnerSize];
        var newNodes = update.Writes.NewNodes;
        foreach (var index in KeyOrder(newNodes))
        {
            var (reference, content) = newNodes[index];
            reference.WriteKey(key);
            var size = SmtNodeCodec.EncodedSize(content);
            SmtNodeCodec.Encode(content, node);
            batch.Put(DbColumn.SmtNodes, key[..NodeRef.KeySize], node[..size]);
        }
        var changedKeys = new byte[update.ChangedValues.Count * 32];
        var record = new byte[256];
        var offset = 0;
        foreach (var change in update.ChangedValues)
        {
            SmtKeys.Value(change.Key, version, key);
            if (change.Value is { } value)
            {
                if (record.Length < value.Length + 1)
                    record = new byte[value.Length + 1];
                record[0] = 1;
                value.CopyTo(record, 1);
                batch.Put(DbColumn.SmtValues, key[..SmtKeys.ValueKeySize], record.AsSpan(0, value.Length + 1));
            }
            else
            {
                batch.Put(DbColumn.SmtValues, key[..SmtKeys.ValueKeySize], [0]);
            }
            change.Key.WriteTo(changedKeys.AsSpan(offset));
            offset += 32;
        }
        batch.Put(DbColumn.SmtStale, SmtKeys.Version(version), StaleList(update));
        Span<byte> rootRecord = stackalloc byte[NodeRef.EncodedSize];
        SmtNodeCodec.WriteRef(update.RootRef, rootRecord);
        batch.Put(DbColumn.SmtRoots, SmtKeys.Version(version), rootRecord);
        batch.Put(DbColumn.SmtVersionKeys, SmtKeys.Version(version), changedKeys);
    }

    /// <summary>
    /// The positions of <paramref name="nodes"/> in database-key order. RocksDB inserts a batch into its
    /// memtable skip list one record at a time and remembers where the last insert went, so records in
    /// key order cost a short step each instead of a full search from the top (this halved the commit
    /// time of 10,000-key batches). All nodes of one update share the version that leads their key,
    /// so the order is that of the hashes; ordering by the first 8 bytes is enough to get that benefit.
    /// </summary>
    private static int[] KeyOrder(List<(NodeRef Reference, SmtNode Node)> nodes)
    {
        var prefixes = new ulong[nodes.Count];
        var order = new int[nodes.Count];
        for (var i = 0; i < order.Length; i++)
        {
            prefixes[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(nodes[i].Reference.Hash.Low64);
            order[i] = i;
        }
        Array.Sort(prefixes, order);
        return order;
    }

    /// <summary>
    /// Everything that left the tree at this version, as one record: replaced nodes, the value records of
    /// replaced leaves, and the tombstones of deleted keys (a tombstone only hides older values, which are
    /// pruned at the same time, so it can go with them).
    /// </summary>
    private static byte[] StaleList(SmtPendingUpdate update)
    {
        var writes = update.Writes;
        var deletes = update.ChangedValues.Count(c => c.IsDelete);
        var list = new byte[(writes.StaleNodes.Count + writes.StaleLeaves.Count + deletes) * SmtKeys.StaleEntrySize];
        var offset = 0;
        foreach (var stale in writes.StaleNodes)
        {
            SmtKeys.StaleNodeEntry(stale, list.AsSpan(offset));
            offset += SmtKeys.StaleEntrySize;
        }
        foreach (var (key, valueVersion) in writes.StaleLeaves)
        {
            SmtKeys.StaleValueEntry(key, valueVersion, list.AsSpan(offset));
            offset += SmtKeys.StaleEntrySize;
        }
        foreach (var change in update.ChangedValues)
        {
            if (!change.IsDelete)
                continue;
            SmtKeys.StaleValueEntry(change.Key, update.Version, list.AsSpan(offset));
            offset += SmtKeys.StaleEntrySize;
        }
        return list;
    }

    /// <summary>Makes a committed update the newest version (call after the batch holding it was committed).</summary>
    public void Committed(SmtPendingUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (LatestVersion is { } latest && update.Version <= latest)
            throw new InvalidOperationException($"version {update.Version} committed after version {latest}: commit updates in order");
        AddRoot(update.Version, update.RootRef);
    }

    /// <summary>Prepares, writes and commits one version in its own batch; returns the new root.</summary>
    public Hash256 Apply(ulong version, IEnumerable<SmtChange> changes)
    {
        var update = Prepare(version, changes);
        using (var batch = _database.CreateBatch())
        {
            Stage(update, batch);
            _database.Commit(batch);
        }
        Committed(update);
        return update.Root;
    }

    /// <summary>Sets one key as a new version (a block with one change).</summary>
    public Hash256 Set(ulong version, Hash256 key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Apply(version, [new SmtChange(key, value)]);
    }

    /// <summary>Deletes one key as a new version; deleting an absent key leaves the root as it was.</summary>
    public Hash256 Delete(ulong version, Hash256 key) => Apply(version, [new SmtChange(key, null)]);

    private void AddRoot(ulong version, NodeRef root)
    {
        lock (_rootsLock)
        {
            _roots[version] = root;
            if (!_versionByRoot.TryGetValue(root.Hash, out var existing) || existing < version)
                _versionByRoot[root.Hash] = version;
        }
    }

    internal SmtNode LoadNode(NodeRef reference) => _store.Load(reference);

    internal void RequireRetained(ulong version)
    {
        lock (_rootsLock)
        {
            if (!_roots.ContainsKey(version))
                throw new ArgumentOutOfRangeException(nameof(version), version,
                    _roots.Count == 0 ? "the tree has no versions yet" : $"version {version} is not retained (retained: {_roots.Keys[0]}..{_roots.Keys[^1]})");
        }
    }

    internal NodeDatabase Database => _database;

    internal NodeStore Store => _store;

    /// <summary>Forgets versions after <paramref name="version"/> in memory (the revert already removed them on disk).</summary>
    internal void ForgetAfter(ulong version)
    {
        lock (_rootsLock)
        {
            while (_roots.Count > 0 && _roots.Keys[^1] > version)
                _roots.RemoveAt(_roots.Count - 1);
            RebuildRootIndex();
        }
        _store.ForgetAfter(version);
    }

    /// <summary>Forgets versions before <paramref name="version"/> in memory (pruning removed them on disk).</summary>
    internal void ForgetBefore(ulong version)
    {
        lock (_rootsLock)
        {
            // Kept versions are re-added in order (appends), not shifted once per removed version.
            var kept = _roots.Where(r => r.Key >= version).ToList();
            _roots.Clear();
            foreach (var (keptVersion, root) in kept)
                _roots.Add(keptVersion, root);
            RebuildRootIndex();
        }
    }

    private void RebuildRootIndex()
    {
        _versionByRoot.Clear();
        foreach (var (version, root) in _roots)
            _versionByRoot[root.Hash] = version;
    }

    /// <summary>Releases the node cache; the database stays open (its owner closes it).</summary>
    public void Dispose() => _store.Dispose();
}
