using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// SPEC §4 "each block's root is kept so the node can prove and revert to any root inside the
/// retention window": reads at any retained version see that version, and a revert puts the tree —
/// and its database records — back exactly as they were when that version was the newest.
/// </summary>
public sealed class HistoryProperties(SmtScratchDatabases scratch) : IClassFixture<SmtScratchDatabases>
{
    private const int Cases = 200;

    private static readonly DbColumn[] TreeColumns =
        [DbColumn.SmtNodes, DbColumn.SmtStale, DbColumn.SmtRoots, DbColumn.SmtValues, DbColumn.SmtVersionKeys];

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void Get_at_every_version_returns_the_value_as_of_that_version(SmtScript script)
    {
        var random = new Random(script.Seed);
        using var tree = scratch.FreshFirst();
        // Versions need only increase: leave random gaps, which must not be readable.
        var versions = new List<ulong>();
        var models = new List<Dictionary<Hash256, byte[]>>();
        var model = new Dictionary<Hash256, byte[]>();
        var next = (ulong)random.Next(0, 3);
        foreach (var ops in script.Versions)
        {
            tree.Apply(next, Changes(ops));
            ApplyTo(model, Changes(ops));
            versions.Add(next);
            models.Add(new Dictionary<Hash256, byte[]>(model));
            next += 1 + (ulong)random.Next(0, 3);
        }
        Assert.Equal(versions[0], tree.OldestVersion);
        Assert.Equal(versions[^1], tree.LatestVersion);
        for (var i = 0; i < versions.Count; i++)
        {
            foreach (var key in SmtKeyPool.Keys)
                Assert.Equal(models[i].GetValueOrDefault(key), tree.Get(key, versions[i]));
        }
        foreach (var key in SmtKeyPool.Keys)
            Assert.Equal(model.GetValueOrDefault(key), tree.Get(key));

        for (var v = 0UL; v <= next; v++)
        {
            if (versions.Contains(v))
                continue;
            Assert.False(tree.TryGetRoot(v, out _));
            Assert.Throws<ArgumentOutOfRangeException>(() => tree.Get(SmtKeyPool.Keys[0], v));
            Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(SmtKeyPool.Keys[0], v));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Prepare(versions[^1], []));
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void RevertTo_restores_the_exact_root_values_proofs_and_records_and_new_versions_follow(SmtScript script, SmtScript continuation, bool byRoot)
    {
        var random = new Random(script.Seed);
        var models = new List<Dictionary<Hash256, byte[]>>();
        var model = new Dictionary<Hash256, byte[]>();
        foreach (var ops in script.Versions)
        {
            ApplyTo(model, Changes(ops));
            models.Add(new Dictionary<Hash256, byte[]>(model));
        }
        var roots = models.Select(m => ReferenceSmt.RootHash(m)).ToList();
        var target = random.Next(models.Count);
        // A root can repeat (a key set, then deleted); a revert by root goes to the newest version that has it.
        var kept = byRoot ? (ulong)roots.FindLastIndex(r => r == roots[target]) : (ulong)target;

        using var tree = scratch.FreshFirst();
        Dictionary<DbColumn, Dictionary<string, string>>? recordsAtKept = null;
        for (var v = 0; v < script.Versions.Length; v++)
        {
            tree.Apply((ulong)v, Changes(script.Versions[v]));
            if ((ulong)v == kept)
                recordsAtKept = Records(scratch.First);
        }
        if (byRoot)
            tree.RevertTo(roots[target]);
        else
            tree.RevertTo((ulong)target);

        Assert.Equal(kept, tree.LatestVersion);
        Assert.Equal(roots[target], tree.Root);
        // The database is exactly as it was when the kept version was the newest: nothing of later versions remains.
        var now = Records(scratch.First);
        foreach (var column in TreeColumns)
            Assert.Equal(recordsAtKept![column], now[column]);
        for (var v = 0UL; v <= kept; v++)
            AssertVersionIntact(tree, v, models[(int)v], SmtKeyPool.Keys);
        for (var v = kept + 1; v < (ulong)models.Count; v++)
        {
            Assert.False(tree.TryGetRoot(v, out _));
            Assert.Throws<ArgumentOutOfRangeException>(() => tree.Get(SmtKeyPool.Keys[0], v));
            Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(SmtKeyPool.Keys[0], v));
            Assert.Throws<ArgumentOutOfRangeException>(() => tree.RevertTo(v));
            if (!roots.Take((int)kept + 1).Contains(roots[(int)v]))
            {
                Assert.False(tree.TryGetVersion(roots[(int)v], out _));
                Assert.Throws<ArgumentException>(() => tree.RevertTo(roots[(int)v]));
            }
        }

        // History goes on from the kept version, reusing the undone version numbers with other changes.
        var newModels = ApplyScript(tree, continuation, kept + 1, models[(int)kept]);
        var all = models.Take((int)kept + 1).Concat(newModels).ToList();
        Assert.Equal((ulong)all.Count - 1, tree.LatestVersion);
        for (var v = 0; v < all.Count; v++)
        {
            if (v <= (int)kept)
            {
                // Versions up to the revert point were checked in full above; they still read the same.
                Assert.True(tree.TryGetRoot((ulong)v, out var root));
                Assert.Equal(roots[v], root);
                foreach (var key in SmtKeyPool.Keys)
                    Assert.Equal(all[v].GetValueOrDefault(key), tree.Get(key, (ulong)v));
            }
            else
            {
                AssertVersionIntact(tree, (ulong)v, all[v], SmtKeyPool.Keys);
            }
        }

        // Reverting to the newest version changes nothing.
        var before = Records(scratch.First);
        tree.RevertTo(tree.LatestVersion!.Value);
        Assert.Equal(before[DbColumn.SmtNodes], Records(scratch.First)[DbColumn.SmtNodes]);
        Assert.Equal(ReferenceSmt.RootHash(all[^1]), tree.Root);
    }

    private static Dictionary<DbColumn, Dictionary<string, string>> Records(NodeDatabase database) =>
        TreeColumns.ToDictionary(
            c => c,
            c => database.IterateByPrefix(c, []).ToDictionary(r => Convert.ToHexStringLower(r.Key), r => Convert.ToHexStringLower(r.Value)));
}
