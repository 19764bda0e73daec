using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// SPEC §9 property 1 for the state tree: the root is a function of the final key→value map only —
/// not of how the changes were batched into versions, their order, the history before, or which
/// database holds the tree — and equals the from-scratch reference root.
/// </summary>
public sealed class ReplayDeterminismProperties(SmtScratchDatabases scratch) : IClassFixture<SmtScratchDatabases>
{
    private const int Cases = 200;

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void Same_changes_give_the_same_root_as_one_batch_as_shuffled_versions_and_in_another_database(SmtScript script)
    {
        var random = new Random(script.Seed);
        var final = FinalModel(script);
        var expected = ReferenceSmt.RootHash(final);

        // The script replayed version by version, as generated, in one database.
        using var replayed = scratch.FreshFirst();
        ApplyScript(replayed, script);
        Assert.Equal(expected, replayed.Root);

        // (a) In a second database: every touched key's final state as one batch, offered in random order
        // (keys the script deleted are deleted again: no-ops on a fresh tree).
        using var other = scratch.FreshSecond();
        var touched = script.Versions.SelectMany(v => v).Select(o => Key(o.Key)).Distinct().ToList();
        var oneBatch = touched.Select(k => new SmtChange(k, final.GetValueOrDefault(k))).ToList();
        Assert.Equal(expected, other.Apply(0, Shuffled(oneBatch, random)));

        // Deleting everything gives the empty root, whatever history the database holds.
        Assert.True(other.Apply(1, final.Keys.Select(k => new SmtChange(k, null))).IsZero);

        // (b) The final map again, in random order, split at random points into several versions.
        var entries = Shuffled(final, random);
        var version = 2UL;
        for (var start = 0; start < entries.Count;)
        {
            var length = random.Next(1, entries.Count - start + 1);
            other.Apply(version++, entries.Skip(start).Take(length).Select(e => new SmtChange(e.Key, e.Value)));
            start += length;
        }
        Assert.Equal(expected, other.Root);
        Assert.Equal(replayed.Root, other.Root);
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void Inserting_then_deleting_any_key_gives_back_the_previous_root(SmtScript script)
    {
        using var tree = scratch.FreshFirst();
        var model = ApplyScript(tree, script)[^1];
        var before = tree.Root;
        var version = (ulong)script.Versions.Length;
        byte[] fresh = [0xfe, (byte)script.Seed];
        foreach (var key in SmtKeyPool.Keys.Append(SmtKeyPool.Outsider))
        {
            if (model.TryGetValue(key, out var value))
            {
                // Delete k: the root of the map without k. Put it back: the root before.
                var without = new Dictionary<Hash256, byte[]>(model);
                without.Remove(key);
                Assert.Equal(ReferenceSmt.RootHash(without), tree.Apply(version++, [new SmtChange(key, null)]));
                Assert.Null(tree.Get(key));
                Assert.Equal(before, tree.Apply(version++, [new SmtChange(key, value)]));
            }
            else
            {
                var with = new Dictionary<Hash256, byte[]>(model) { [key] = fresh };
                Assert.Equal(ReferenceSmt.RootHash(with), tree.Apply(version++, [new SmtChange(key, fresh)]));
                Assert.Equal(before, tree.Apply(version++, [new SmtChange(key, null)]));
            }
            // The root maps back to the newest version that has it.
            Assert.True(tree.TryGetVersion(before, out var newest));
            Assert.Equal(version - 1, newest);
        }
        foreach (var key in SmtKeyPool.Keys)
            Assert.Equal(model.GetValueOrDefault(key), tree.Get(key));
    }

    /// <summary>
    /// Block N+1 prepared on top of block N before N is written (the pipelined path), each committed in
    /// order, gives the same roots, values and proofs as preparing each after the previous commit.
    /// </summary>
    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void Pipelined_updates_give_the_same_roots_as_one_after_another(SmtScript script)
    {
        using var tree = scratch.FreshFirst();
        var models = new List<Dictionary<Hash256, byte[]>>();
        var model = new Dictionary<Hash256, byte[]>();
        SmtPendingUpdate? pending = null;
        for (var v = 0; v <= script.Versions.Length; v++)
        {
            // Prepare this version on the uncommitted previous one, then commit the previous one.
            var next = v < script.Versions.Length ? tree.Prepare((ulong)v, Changes(script.Versions[v]), pending) : null;
            if (pending is not null)
            {
                using (var batch = scratch.First.CreateBatch())
                {
                    tree.Stage(pending, batch);
                    scratch.First.Commit(batch);
                }
                tree.Committed(pending);
            }
            if (next is not null)
            {
                ApplyTo(model, Changes(script.Versions[v]));
                models.Add(new Dictionary<Hash256, byte[]>(model));
                Assert.Equal(ReferenceSmt.RootHash(model), next.Root);
            }
            pending = next;
        }
        Assert.Equal((ulong)models.Count - 1, tree.LatestVersion);
        for (var v = 0; v < models.Count; v++)
            AssertVersionIntact(tree, (ulong)v, models[v], SmtKeyPool.Keys.Take(8));
    }

    /// <summary>
    /// A prepared update that is never committed (a block that failed validation after its state was
    /// computed) leaves no trace: the committed history, its proofs and the database records are those
    /// of a tree that never saw it.
    /// </summary>
    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void An_abandoned_prepare_leaves_no_trace(SmtScript script, SmtScript abandoned)
    {
        using var tree = scratch.FreshFirst();
        using var clean = scratch.FreshSecond();
        var models = new List<Dictionary<Hash256, byte[]>>();
        var model = new Dictionary<Hash256, byte[]>();
        for (var v = 0; v < script.Versions.Length; v++)
        {
            var dropped = tree.Prepare((ulong)v, Changes(abandoned.Versions[v % abandoned.Versions.Length]));
            Assert.Equal(dropped.Root, tree.Prepare((ulong)v, Changes(abandoned.Versions[v % abandoned.Versions.Length])).Root);
            var root = tree.Apply((ulong)v, Changes(script.Versions[v]));
            Assert.Equal(clean.Apply((ulong)v, Changes(script.Versions[v])), root);
            ApplyTo(model, Changes(script.Versions[v]));
            models.Add(new Dictionary<Hash256, byte[]>(model));
        }
        for (var v = 0; v < models.Count; v++)
            AssertVersionIntact(tree, (ulong)v, models[v], SmtKeyPool.Keys);
        foreach (var column in new[] { DbColumn.SmtNodes, DbColumn.SmtValues, DbColumn.SmtStale, DbColumn.SmtRoots })
            Assert.Equal(KeysOf(scratch.Second, column).Order(), KeysOf(scratch.First, column).Order());
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void Setting_keys_to_the_values_they_have_or_deleting_absent_keys_changes_nothing(SmtScript script)
    {
        using var tree = scratch.FreshFirst();
        var model = ApplyScript(tree, script)[^1];
        var before = tree.Root;
        var version = (ulong)script.Versions.Length;
        var noOps = SmtKeyPool.Keys.Select(k => new SmtChange(k, model.GetValueOrDefault(k)?.ToArray())).ToList();
        var update = tree.Prepare(version, noOps);
        Assert.Equal(before, update.Root);
        Assert.Empty(update.ChangedValues);
        Assert.Equal(0, update.NodesWritten);
    }

    /// <summary>
    /// Batches of thousands of keys take the parallel path of the updater (independent subtrees
    /// hashed on several threads); the result must not depend on it. Seeded; the seed is in the name.
    /// The node cache holds the whole tree, so the test measures the updater, not database reads.
    /// </summary>
    [Theory]
    [InlineData(20260501)]
    [InlineData(7)]
    public async Task Large_parallel_batches_give_the_same_root_as_many_small_versions(int seed)
    {
        using var dir = TestDirectory.Create("smt-parallel");
        // A hang or a pathological slowdown fails the test instead of stalling the run.
        await Task.Run(() => LargeAndSmallBatches(dir, seed)).WaitAsync(TimeSpan.FromSeconds(60));
        dir.Succeeded();
    }

    private static void LargeAndSmallBatches(TestDirectory dir, int seed)
    {
        var wholeTree = new SmtOptions { CacheNodes = 1_000_000 };
        using var first = NodeDatabase.Open(dir.Combine("a"), SmtScratchDatabases.FastOptions, NullLogger.Instance);
        using var second = NodeDatabase.Open(dir.Combine("b"), SmtScratchDatabases.FastOptions, NullLogger.Instance);
        using var big = new SparseMerkleTree(first, wholeTree);
        using var small = new SparseMerkleTree(second, wholeTree);
        var random = new Random(seed);
        var keys = Enumerable.Range(0, 6_000).Select(i => new Hash256(SHA256.HashData(BitConverter.GetBytes(seed * 31L + i)))).ToList();
        var model = new Dictionary<Hash256, byte[]>();

        // Version 0 inserts all keys at once; version 1 updates half and deletes a quarter at once.
        var inserts = keys.Select(k => new SmtChange(k, RandomValue(random))).ToList();
        var rewrites = keys.Where((_, i) => i % 4 != 3).Select((k, i) => new SmtChange(k, i % 2 == 0 ? null : RandomValue(random))).ToList();
        var smallVersion = 0UL;
        foreach (var (bigVersion, changes) in new[] { (0UL, inserts), (1UL, rewrites) })
        {
            big.Apply(bigVersion, changes);
            foreach (var chunk in Shuffled(changes, random).Chunk(97))
                small.Apply(smallVersion++, chunk);
            ApplyTo(model, changes);
            Assert.Equal(ReferenceSmt.RootHash(model), big.Root);
            Assert.Equal(big.Root, small.Root);
        }
        foreach (var key in keys.Take(300))
        {
            var value = model.GetValueOrDefault(key);
            Assert.Equal(value, big.Get(key));
            Assert.True(SmtVerifier.Verify(big.Root, key, value, big.GetProof(key)));
        }
    }

    private static byte[] RandomValue(Random random)
    {
        var value = new byte[random.Next(0, 40)];
        random.NextBytes(value);
        return value;
    }
}
