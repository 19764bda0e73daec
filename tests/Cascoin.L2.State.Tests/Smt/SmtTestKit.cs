using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// A small, fixed key space for the tree properties, so that generated scripts update, delete and
/// re-insert the same keys often. It holds the corner cases of the path rule on purpose: the all-zero
/// and all-one keys, keys that differ from another only in bit 0, 1, 9, 64, 200, 254 or 255 (so the tree
/// gets depth-256 leaves and long one-sided inner chains), and ordinary hash-like keys.
/// </summary>
internal static class SmtKeyPool
{
    public static IReadOnlyList<Hash256> Keys { get; } = Build();

    /// <summary>A key no script ever writes (for absent-key proofs in a tree that holds many keys).</summary>
    public static Hash256 Outsider { get; } = new(SHA256.HashData("never-written"u8));

    private static Hash256[] Build()
    {
        var zero = new byte[32];
        var near = SHA256.HashData("near"u8);
        var keys = new List<byte[]>
        {
            zero,
            Enumerable.Repeat((byte)0xff, 32).ToArray(),
            FlipBit(zero, 0),
            FlipBit(zero, 255),
            near,
        };
        foreach (var bit in new[] { 255, 254, 200, 64, 9, 1 })
            keys.Add(FlipBit(near, bit));
        keys.Add(FlipBit(FlipBit(near, 255), 254));
        for (var i = 0; i < 13; i++)
            keys.Add(SHA256.HashData([.. "pool"u8, (byte)i]));
        return [.. keys.Select(k => new Hash256(k))];
    }

    public static byte[] FlipBit(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(0x80 >> (bit % 8));
        return copy;
    }

    public static Hash256 FlipBit(Hash256 hash, int bit) => new(FlipBit(hash.ToArray(), bit));
}

/// <summary>
/// Two real RocksDB databases (in temporary directories) per test class, handed out as an empty tree
/// per property case. Opening RocksDB costs 20–70 ms on a loaded 2-core machine, too much for every
/// one of hundreds of cases, so a case usually range-deletes the tree's column families and builds a
/// new <see cref="SparseMerkleTree"/> (with a cold cache) over them; but range tombstones slow every
/// later read, so every <see cref="CasesPerDatabase"/> cases the database is replaced by a new one.
/// </summary>
public sealed class SmtScratchDatabases : IDisposable
{
    public static readonly DatabaseOptions FastOptions = new() { SyncWrites = false, BlockCacheBytes = 8 << 20 };

    public static readonly SmtOptions SmallCache = new() { CacheNodes = 4_096 };

    private const int CasesPerDatabase = 20;

    private static readonly DbColumn[] TreeColumns =
        [DbColumn.SmtNodes, DbColumn.SmtStale, DbColumn.SmtRoots, DbColumn.SmtValues, DbColumn.SmtVersionKeys];

    private readonly TestDirectory _directory = TestDirectory.Create("smt-scratch");
    private readonly NodeDatabase?[] _databases = new NodeDatabase?[2];
    private readonly int[] _uses = new int[2];
    private int _opened;

    /// <summary>The database of the tree the last <see cref="FreshFirst"/> returned.</summary>
    public NodeDatabase First => _databases[0] ?? throw new InvalidOperationException("call FreshFirst first");

    /// <summary>The database of the tree the last <see cref="FreshSecond"/> returned.</summary>
    public NodeDatabase Second => _databases[1] ?? throw new InvalidOperationException("call FreshSecond first");

    /// <summary>An empty tree in the first database. Any tree an earlier call returned must no longer be used.</summary>
    public SparseMerkleTree FreshFirst(SmtOptions? options = null) => Fresh(0, options);

    /// <summary>An empty tree in the second database (a different RocksDB instance from the first).</summary>
    public SparseMerkleTree FreshSecond(SmtOptions? options = null) => Fresh(1, options);

    private SparseMerkleTree Fresh(int slot, SmtOptions? options)
    {
        if (_databases[slot] is null || ++_uses[slot] % CasesPerDatabase == 0)
        {
            _databases[slot]?.Dispose();
            _databases[slot] = NodeDatabase.Open(_directory.Combine($"db{_opened++}"), FastOptions, NullLogger.Instance);
        }
        var database = _databases[slot]!;
        using (var batch = database.CreateBatch())
        {
            foreach (var column in TreeColumns)
                batch.DeleteRange(column, [0x00], [.. Enumerable.Repeat((byte)0xff, 80)]);
            database.Commit(batch);
        }
        var tree = new SparseMerkleTree(database, options ?? SmallCache);
        return tree.LatestVersion is null ? tree : throw new InvalidOperationException("a wiped tree has versions");
    }

    public void Dispose()
    {
        foreach (var database in _databases)
            database?.Dispose();
        // Every case wipes what the previous one wrote, so nothing here is worth keeping after a failure.
        _directory.Succeeded();
        _directory.Dispose();
    }
}

/// <summary>Helpers shared by the tree tests: applying scripts, models, counting records.</summary>
internal static class SmtTestSupport
{
    public static Hash256 Key(int index) => SmtKeyPool.Keys[index];

    public static IEnumerable<SmtChange> Changes(IEnumerable<SmtOp> ops) =>
        ops.Select(o => new SmtChange(Key(o.Key), o.Value));

    public static void ApplyTo(Dictionary<Hash256, byte[]> model, IEnumerable<SmtChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Value is null)
                model.Remove(change.Key);
            else
                model[change.Key] = change.Value;
        }
    }

    /// <summary>
    /// Applies every version of <paramref name="script"/> (versions <paramref name="firstVersion"/>,
    /// +1, …) and returns the model after each one, in order.
    /// </summary>
    public static List<Dictionary<Hash256, byte[]>> ApplyScript(SparseMerkleTree tree, SmtScript script, ulong firstVersion = 0, Dictionary<Hash256, byte[]>? start = null)
    {
        var models = new List<Dictionary<Hash256, byte[]>>();
        var model = new Dictionary<Hash256, byte[]>(start ?? []);
        var version = firstVersion;
        foreach (var ops in script.Versions)
        {
            var changes = Changes(ops).ToList();
            tree.Apply(version++, changes);
            ApplyTo(model, changes);
            models.Add(new Dictionary<Hash256, byte[]>(model));
        }
        return models;
    }

    /// <summary>The final key→value map of a script applied in order from an empty tree.</summary>
    public static Dictionary<Hash256, byte[]> FinalModel(SmtScript script)
    {
        var model = new Dictionary<Hash256, byte[]>();
        foreach (var ops in script.Versions)
            ApplyTo(model, Changes(ops));
        return model;
    }

    public static int Count(NodeDatabase database, DbColumn column) => database.IterateByPrefix(column, []).Count();

    public static HashSet<string> KeysOf(NodeDatabase database, DbColumn column) =>
        database.IterateByPrefix(column, []).Select(r => Convert.ToHexStringLower(r.Key)).ToHashSet();

    public static List<T> Shuffled<T>(IEnumerable<T> items, Random random)
    {
        var list = items.ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }

    /// <summary>Asserts value, proof (object and compact form) and the reference proof of every pool key at one version.</summary>
    public static void AssertVersionIntact(SparseMerkleTree tree, ulong version, IReadOnlyDictionary<Hash256, byte[]> model, IEnumerable<Hash256> keys)
    {
        Assert.True(tree.TryGetRoot(version, out var root), $"version {version} is not retained");
        var reference = ReferenceSmt.Tree.Of(model);
        Assert.Equal(reference.Root, root);
        foreach (var key in keys)
        {
            model.TryGetValue(key, out var value);
            Assert.Equal(value, tree.Get(key, version));
            var proof = tree.GetProof(key, version);
            reference.AssertSameProof(key, proof);
            Assert.True(SmtVerifier.Verify(root, key, value, proof), $"proof of {key.ToHex()} at version {version}");
            Assert.True(SmtVerifier.VerifyCompact(root, key, value, proof.ToCompact()));
        }
    }
}
