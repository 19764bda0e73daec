using Cascoin.L2.Primitives;
using Cascoin.L2.Storage;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// Reads tree nodes: from memory when hot, else from RocksDB (checking each record against its
/// hash). The cache has two generations: new and recently used nodes go into the young one; when
/// it is full it becomes the old one and the previous old one is dropped. Reads take a shared
/// lock, so the parallel update and proof readers run together; only <see cref="Update"/> (once
/// per block) writes. Nodes read from the database or found in the old generation are handed back
/// to the caller to be re-remembered with the block, so lookups never write.
/// </summary>
internal sealed class NodeStore : IDisposable
{
    private readonly NodeDatabase _database;
    private readonly int _generationCapacity;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private Dictionary<NodeRef, SmtNode> _young;
    private Dictionary<NodeRef, SmtNode> _old;
    private long _databaseReads;

    public NodeStore(NodeDatabase database, int cacheCapacity)
    {
        _database = database;
        _generationCapacity = Math.Max(1024, cacheCapacity / 2);
        _young = NewGeneration();
        _old = new Dictionary<NodeRef, SmtNode>(NodeRefComparer.Instance);
    }

    public long DatabaseReads => Interlocked.Read(ref _databaseReads);

    public int CachedCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _young.Count + _old.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    private Dictionary<NodeRef, SmtNode> NewGeneration() => new(_generationCapacity + 1024, NodeRefComparer.Instance);

    /// <summary>
    /// The node behind <paramref name="reference"/>. When it was not in the young generation and
    /// <paramref name="promote"/> is given, it is added there, for the caller to pass to <see cref="Update"/>.
    /// </summary>
    public SmtNode Load(NodeRef reference, List<(NodeRef, SmtNode)>? promote = null)
    {
        SmtNode node;
        bool young, found;
        _lock.EnterReadLock();
        try
        {
            young = _young.TryGetValue(reference, out node);
            found = young || _old.TryGetValue(reference, out node);
        }
        finally
        {
            _lock.ExitReadLock();
        }
        if (!found)
            node = ReadFromDatabase(reference);
        if (!young && promote is not null)
            promote.Add((reference, node));
        return node;
    }

    private SmtNode ReadFromDatabase(NodeRef reference)
    {
        Span<byte> key = stackalloc byte[NodeRef.KeySize];
        reference.WriteKey(key);
        Interlocked.Increment(ref _databaseReads);
        var bytes = _database.Get(DbColumn.SmtNodes, key)
            ?? throw new DatabaseCorruptionException($"missing tree node in column 'SmtNodes' at key {Convert.ToHexStringLower(key)} (version {reference.Version})");
        SmtNode node;
        try
        {
            node = SmtNodeCodec.Decode(bytes);
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.SmtNodes, key, ex);
        }
        var kindMatches = reference.Kind == (node.IsLeaf ? NodeKind.Leaf : NodeKind.Inner);
        if (!kindMatches || node.ComputeHash() != reference.Hash)
            throw new DatabaseCorruptionException($"corrupt record in column 'SmtNodes' at key {Convert.ToHexStringLower(key)}: content does not match its hash");
        return node;
    }

    /// <summary>Once per block: drop the nodes that left the newest tree, remember new and promoted ones.</summary>
    public void Update(List<NodeRef> forget, List<(NodeRef Reference, SmtNode Node)> promoted, List<(NodeRef Reference, SmtNode Node)> created)
    {
        _lock.EnterWriteLock();
        try
        {
            // A node lives in one generation only: promotion moves it out of the old one, so a
            // forgotten node is removed with one lookup when it is young (most are).
            foreach (var (reference, node) in promoted)
            {
                _old.Remove(reference);
                Remember(reference, node);
            }
            foreach (var (reference, node) in created)
                Remember(reference, node);
            // Last, so a node both read and replaced by this block does not stay.
            foreach (var reference in forget)
            {
                if (!_young.Remove(reference))
                    _old.Remove(reference);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void Remember(NodeRef reference, SmtNode node)
    {
        if (_young.Count >= _generationCapacity)
        {
            _old = _young;
            _young = NewGeneration();
        }
        _young[reference] = node;
    }

    /// <summary>Drops cached nodes written after <paramref name="version"/> (after a revert removed them).</summary>
    public void ForgetAfter(ulong version)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var generation in new[] { _young, _old })
            {
                foreach (var reference in generation.Keys.Where(r => r.Version > version).ToList())
                    generation.Remove(reference);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Node hashes are SHA-256 outputs of tree content, so their first word is already a good hash code.</summary>
    private sealed class NodeRefComparer : IEqualityComparer<NodeRef>
    {
        public static NodeRefComparer Instance { get; } = new();

        public bool Equals(NodeRef x, NodeRef y) => x.Version == y.Version && x.Kind == y.Kind && x.Hash == y.Hash;

        public int GetHashCode(NodeRef reference) => (int)(reference.Hash.Low64 ^ (reference.Hash.Low64 >> 32) ^ reference.Version);
    }
}
