using System.Buffers.Binary;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// Pruning with <see cref="SmtOptions.RetainVersions"/> = N: every retained version still reads and
/// proves correctly; older ones are rejected; the node and value families keep exactly what the
/// retained versions reach — and an archive tree (<see cref="SmtOptions.Prune"/> = false) keeps everything.
/// </summary>
public sealed class PruningProperties(SmtScratchDatabases scratch) : IClassFixture<SmtScratchDatabases>
{
    private const int Cases = 200;

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void Pruning_keeps_retained_versions_intact_and_deletes_exactly_what_they_do_not_reach(SmtScript script, PrunePolicy policy)
    {
        var random = new Random(script.Seed);
        using var pruned = scratch.FreshFirst(new SmtOptions
        {
            CacheNodes = 4_096,
            RetainVersions = policy.RetainVersions,
            PruneBatchSize = policy.BatchSize,
        });
        using var archive = scratch.FreshSecond(new SmtOptions
        {
            CacheNodes = 4_096,
            RetainVersions = policy.RetainVersions,
            Prune = false,
        });

        var models = new List<Dictionary<Hash256, byte[]>>();
        var model = new Dictionary<Hash256, byte[]>();
        for (var v = 0; v < script.Versions.Length; v++)
        {
            var changes = Changes(script.Versions[v]).ToList();
            pruned.Apply((ulong)v, changes);
            archive.Apply((ulong)v, changes);
            ApplyTo(model, changes);
            models.Add(new Dictionary<Hash256, byte[]>(model));
            // A node prunes now and then, not necessarily after every block.
            if (random.Next(3) == 0)
                PruneFully(pruned, () => AssertRetainedValues(pruned, models));
        }
        PruneFully(pruned, () => AssertRetainedValues(pruned, models));

        var latest = (ulong)models.Count - 1;
        var oldest = latest + 1 > policy.RetainVersions ? latest + 1 - policy.RetainVersions : 0;
        Assert.Equal(oldest, pruned.OldestVersion);
        Assert.Equal(latest, pruned.LatestVersion);
        for (var v = oldest; v <= latest; v++)
            AssertVersionIntact(pruned, v, models[(int)v], SmtKeyPool.Keys);
        for (var v = 0UL; v < oldest; v++)
        {
            Assert.False(pruned.TryGetRoot(v, out _));
            Assert.Throws<ArgumentOutOfRangeException>(() => pruned.Get(SmtKeyPool.Keys[0], v));
            Assert.Throws<ArgumentOutOfRangeException>(() => pruned.GetProof(SmtKeyPool.Keys[0], v));
            Assert.Throws<ArgumentOutOfRangeException>(() => pruned.RevertTo(v));
        }

        // Exactly the nodes some retained root reaches, and exactly the value records a retained version can read.
        var reachable = ReachableNodes(scratch.First, pruned, oldest, latest);
        Assert.Equal(reachable.OrderBy(k => k), KeysOf(scratch.First, DbColumn.SmtNodes).OrderBy(k => k));
        Assert.Equal(NeededValueRecords(models, oldest).OrderBy(k => k), KeysOf(scratch.First, DbColumn.SmtValues).OrderBy(k => k));
        Assert.Equal(models.Count - (int)oldest, Count(scratch.First, DbColumn.SmtRoots));
        Assert.All(KeysOf(scratch.First, DbColumn.SmtStale), k => Assert.True(BinaryPrimitives.ReadUInt64BigEndian(Convert.FromHexString(k)) > oldest));

        // The archive deletes nothing: every version stays, every node and value ever written stays.
        var archiveRecords = Snapshot(scratch.Second);
        Assert.Equal(0, archive.Prune());
        Assert.Equal(archiveRecords, Snapshot(scratch.Second));
        Assert.Equal(0UL, archive.OldestVersion);
        Assert.Equal(NeededValueRecords(models, 0).Count, Count(scratch.Second, DbColumn.SmtValues));
        Assert.True(Count(scratch.First, DbColumn.SmtNodes) <= Count(scratch.Second, DbColumn.SmtNodes));
        for (var v = 0UL; v <= latest; v++)
            AssertVersionIntact(archive, v, models[(int)v], SmtKeyPool.Keys.Take(6));
    }

    /// <summary>
    /// Calls <see cref="SparseMerkleTree.Prune"/> until a call deletes less than a full batch, running
    /// <paramref name="afterEachCall"/> after every call: a node prunes one batch at a time and serves reads in between.
    /// </summary>
    internal static int PruneFully(SparseMerkleTree tree, Action? afterEachCall = null)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = tree.Prune();
            total += deleted;
            afterEachCall?.Invoke();
        }
        while (deleted >= tree.Options.PruneBatchSize);
        return total;
    }

    /// <summary>Every version the tree still has reads as the model of that version says.</summary>
    private static void AssertRetainedValues(SparseMerkleTree tree, List<Dictionary<Hash256, byte[]>> models)
    {
        for (var v = tree.OldestVersion!.Value; v <= tree.LatestVersion!.Value; v++)
        {
            foreach (var key in SmtKeyPool.Keys)
                Assert.Equal(models[(int)v].GetValueOrDefault(key), tree.Get(key, v));
        }
    }

    /// <summary>The keys of the node records reachable from the roots of versions <paramref name="from"/>..<paramref name="to"/>, read from the database.</summary>
    internal static HashSet<string> ReachableNodes(NodeDatabase database, SparseMerkleTree tree, ulong from, ulong to)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<NodeRef>();
        for (var v = from; v <= to; v++)
        {
            Assert.True(tree.TryGetRootRef(v, out var root));
            pending.Push(root);
        }
        while (pending.Count > 0)
        {
            var reference = pending.Pop();
            if (reference.IsEmpty || !seen.Add(Convert.ToHexStringLower(reference.ToKey())))
                continue;
            var bytes = database.Get(DbColumn.SmtNodes, reference.ToKey());
            Assert.True(bytes is not null, $"node {Convert.ToHexStringLower(reference.ToKey())} reachable from a retained root is missing");
            var node = SmtNodeCodec.Decode(bytes);
            if (node.IsInner)
            {
                pending.Push(node.Left);
                pending.Push(node.Right);
            }
        }
        return seen;
    }

    /// <summary>
    /// The value records (key ‖ ~version) versions ≥ <paramref name="oldest"/> need: a record is written
    /// when a key's value changes (a tombstone when it goes away); every record after
    /// <paramref name="oldest"/> is needed, and of those at or before it only the newest per key, if it
    /// is a value (a tombstone there hides nothing any more).
    /// </summary>
    internal static HashSet<string> NeededValueRecords(List<Dictionary<Hash256, byte[]>> models, ulong oldest)
    {
        var needed = new HashSet<string>();
        var newestAtOrBefore = new Dictionary<Hash256, (ulong Version, bool IsValue)>();
        var previous = new Dictionary<Hash256, byte[]>();
        for (var v = 0; v < models.Count; v++)
        {
            foreach (var key in previous.Keys.Union(models[v].Keys))
            {
                var before = previous.GetValueOrDefault(key);
                var after = models[v].GetValueOrDefault(key);
                if (before is not null && after is not null && before.AsSpan().SequenceEqual(after))
                    continue;
                if ((ulong)v > oldest)
                    needed.Add(ValueRecordKey(key, (ulong)v));
                else
                    newestAtOrBefore[key] = ((ulong)v, after is not null);
            }
            previous = models[v];
        }
        foreach (var (key, (version, isValue)) in newestAtOrBefore)
        {
            if (isValue)
                needed.Add(ValueRecordKey(key, version));
        }
        return needed;
    }

    private static string ValueRecordKey(Hash256 key, ulong version)
    {
        var bytes = new byte[40];
        key.WriteTo(bytes);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(32), ~version);
        return Convert.ToHexStringLower(bytes);
    }

    private static List<string> Snapshot(NodeDatabase database) =>
        [.. new[] { DbColumn.SmtNodes, DbColumn.SmtStale, DbColumn.SmtRoots, DbColumn.SmtValues, DbColumn.SmtVersionKeys }
            .SelectMany(c => database.IterateByPrefix(c, []).Select(r => $"{c}:{Convert.ToHexStringLower(r.Key)}={Convert.ToHexStringLower(r.Value)}"))];
}
