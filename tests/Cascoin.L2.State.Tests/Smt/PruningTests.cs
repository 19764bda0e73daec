using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>Named pruning and revert scenarios on their own database, including across a reopen.</summary>
public sealed class PruningTests
{
    private static readonly SmtOptions RetainFive = new() { CacheNodes = 4_096, RetainVersions = 5, PruneBatchSize = 7 };

    [Fact]
    public void Pruning_shrinks_the_node_and_value_families_and_the_result_survives_a_reopen()
    {
        using var dir = TestDirectory.Create("smt-prune-reopen");
        var keys = Enumerable.Range(0, 30).Select(i => new Hash256(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
        var models = new List<Dictionary<Hash256, byte[]>>();
        int nodesBefore, valuesBefore;
        using (var db = NodeDatabase.Open(dir.Path, SmtScratchDatabases.FastOptions, NullLogger.Instance))
        {
            using var tree = new SparseMerkleTree(db, RetainFive);
            var model = new Dictionary<Hash256, byte[]>();
            for (var v = 0; v < 60; v++)
            {
                // Every version rewrites a third of the keys and deletes one, so old nodes and values go stale fast.
                var changes = keys.Where((_, i) => i % 3 == v % 3).Select(k => new SmtChange(k, [(byte)v])).ToList();
                changes.Add(new SmtChange(keys[(v * 7 + 1) % 30], null));
                changes = [.. changes.GroupBy(c => c.Key).Select(g => g.Last())];
                tree.Apply((ulong)v, changes);
                ApplyTo(model, changes);
                models.Add(new Dictionary<Hash256, byte[]>(model));
            }
            nodesBefore = Count(db, DbColumn.SmtNodes);
            valuesBefore = Count(db, DbColumn.SmtValues);

            var deleted = PruningProperties.PruneFully(tree);
            Assert.True(deleted > 0);
            Assert.Equal(55UL, tree.OldestVersion);
            var nodesAfter = Count(db, DbColumn.SmtNodes);
            var valuesAfter = Count(db, DbColumn.SmtValues);
            // 60 versions of history shrink to 5: far fewer records, and exactly the reachable ones.
            Assert.True(nodesAfter * 3 < nodesBefore, $"nodes {nodesBefore} → {nodesAfter}");
            Assert.True(valuesAfter * 3 < valuesBefore, $"values {valuesBefore} → {valuesAfter}");
            Assert.Equal(PruningProperties.ReachableNodes(db, tree, 55, 59).Count, nodesAfter);
            Assert.Equal(PruningProperties.NeededValueRecords(models, 55).Count, valuesAfter);
            Assert.Equal(0, tree.Prune());
        }
        using (var db = NodeDatabase.Open(dir.Path, SmtScratchDatabases.FastOptions, NullLogger.Instance))
        {
            using var tree = new SparseMerkleTree(db, RetainFive);
            Assert.Equal(55UL, tree.OldestVersion);
            Assert.Equal(59UL, tree.LatestVersion);
            for (var v = 55UL; v <= 59; v++)
                AssertVersionIntact(tree, v, models[(int)v], keys);
            Assert.Throws<ArgumentOutOfRangeException>(() => tree.Get(keys[0], 54));

            // Revert inside the window, continue, prune again: still exact.
            tree.RevertTo(56UL);
            Assert.Equal(56UL, tree.LatestVersion);
            AssertVersionIntact(tree, 56, models[56], keys);
            var model = new Dictionary<Hash256, byte[]>(models[56]);
            models.RemoveRange(57, models.Count - 57);
            for (var v = 57; v < 70; v++)
            {
                List<SmtChange> changes = [new SmtChange(keys[v % 30], null), new SmtChange(keys[(v + 11) % 30], [0xee, (byte)v])];
                tree.Apply((ulong)v, changes);
                ApplyTo(model, changes);
                models.Add(new Dictionary<Hash256, byte[]>(model));
                PruningProperties.PruneFully(tree);
            }
            Assert.Equal(65UL, tree.OldestVersion);
            for (var v = 65UL; v < 70; v++)
                AssertVersionIntact(tree, v, models[(int)v], keys);
            Assert.Equal(PruningProperties.ReachableNodes(db, tree, 65, 69).Count, Count(db, DbColumn.SmtNodes));
            Assert.Equal(PruningProperties.NeededValueRecords(models, 65).Count, Count(db, DbColumn.SmtValues));
        }
        dir.Succeeded();
    }

    /// <summary>
    /// Prune deletes about <see cref="SmtOptions.PruneBatchSize"/> records per call and is meant to be
    /// called again later (a node prunes a batch per block), so between two calls every retained
    /// version must still read correctly. A key deleted at version b leaves two records that go stale
    /// at b: its tombstone and the older value the tombstone hides. Were a batch to end between them
    /// (tombstone gone, older value left), <see cref="SparseMerkleTree.Get(Hash256, ulong)"/> would
    /// return the deleted key's old value. Batches of one record make every boundary happen.
    /// </summary>
    [Fact]
    public void Pruning_in_small_batches_never_lets_a_deleted_key_read_its_old_value()
    {
        using var dir = TestDirectory.Create("smt-prune-tombstone");
        using var db = NodeDatabase.Open(dir.Path, SmtScratchDatabases.FastOptions, NullLogger.Instance);
        using var tree = new SparseMerkleTree(db, new SmtOptions { CacheNodes = 4_096, RetainVersions = 1, PruneBatchSize = 1 });
        var deletedKey = SmtKeyPool.Keys[13];
        var otherKey = SmtKeyPool.Keys[14];
        tree.Apply(0, [new SmtChange(deletedKey, [0xaa]), new SmtChange(otherKey, [0xbb])]);
        tree.Apply(1, [new SmtChange(deletedKey, null)]);
        tree.Apply(2, [new SmtChange(otherKey, [0xcc])]);
        var root = tree.Root;

        var calls = 0;
        int deleted;
        do
        {
            deleted = tree.Prune();
            calls++;
            // After every batch, the one retained version reads as it should.
            Assert.True(tree.Get(deletedKey, 2) is null,
                $"after prune call {calls}, the key deleted at version 1 reads its version-0 value {Convert.ToHexStringLower(tree.Get(deletedKey, 2) ?? [])} at version 2");
            Assert.Equal([0xcc], tree.Get(otherKey, 2));
            Assert.True(SmtVerifier.Verify(root, deletedKey, null, tree.GetProof(deletedKey, 2)));
        }
        while (deleted >= tree.Options.PruneBatchSize && calls < 10_000);
        Assert.True(calls > 1);
        Assert.Equal(2UL, tree.OldestVersion);
        dir.Succeeded();
    }

    /// <summary>
    /// Whatever the retention setting, pruning never removes the newest version: the next block is
    /// built on it. With <see cref="SmtOptions.RetainVersions"/> = 0 the tree would otherwise forget its
    /// newest root and compute the next version from the empty tree — a wrong state root, silently.
    /// Rejecting 0 up front (options or constructor) is an equally good answer.
    /// </summary>
    [Fact]
    public void Pruning_never_removes_the_newest_version_even_when_nothing_is_to_be_retained()
    {
        using var dir = TestDirectory.Create("smt-prune-zero");
        using var db = NodeDatabase.Open(dir.Path, SmtScratchDatabases.FastOptions, NullLogger.Instance);
        SparseMerkleTree tree;
        try
        {
            tree = new SparseMerkleTree(db, new SmtOptions { CacheNodes = 4_096, RetainVersions = 0 });
        }
        catch (ArgumentOutOfRangeException)
        {
            dir.Succeeded();
            return;
        }
        using (tree)
        {
            var a = SmtKeyPool.Keys[13];
            var b = SmtKeyPool.Keys[14];
            tree.Apply(0, [new SmtChange(a, [1])]);
            var root = tree.Apply(1, [new SmtChange(b, [2])]);
            PruningProperties.PruneFully(tree);

            Assert.Equal(1UL, tree.LatestVersion);
            Assert.Equal(root, tree.Root);
            Assert.Equal([1], tree.Get(a));
            var next = tree.Apply(2, [new SmtChange(b, [3])]);
            Assert.Equal(ReferenceSmt.RootHash(new Dictionary<Hash256, byte[]> { [a] = [1], [b] = [3] }), next);
        }
        dir.Succeeded();
    }
}
