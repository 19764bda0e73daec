using System.Diagnostics;
using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>A long history written, closed and reopened: every root and a sample of proofs come back from disk intact.</summary>
public sealed class LongHistoryTests(ITestOutputHelper output)
{
    private const int Versions = 10_000;
    private const int KeyCount = 2_000;

    [Fact]
    public void Ten_thousand_versions_keep_every_root_and_provable_values_across_a_reopen()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var dir = TestDirectory.Create("smt-10k");
        var keys = Enumerable.Range(0, KeyCount).Select(i => new Hash256(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
        var roots = new Hash256[Versions];
        var history = new List<SmtChange>[Versions];
        var clock = Stopwatch.StartNew();

        using (var db = NodeDatabase.Open(dir.Path, SmtScratchDatabases.FastOptions, NullLogger.Instance))
        {
            using var tree = new SparseMerkleTree(db, new SmtOptions { CacheNodes = 50_000 });
            for (var v = 0; v < Versions; v++)
            {
                var changes = new Dictionary<Hash256, byte[]?>();
                for (var n = random.Next(1, 6); changes.Count < n;)
                {
                    var value = new byte[random.Next(0, 24)];
                    random.NextBytes(value);
                    changes[keys[random.Next(KeyCount)]] = random.Next(5) == 0 ? null : value;
                }
                history[v] = [.. changes.Select(c => new SmtChange(c.Key, c.Value))];
                roots[v] = tree.Apply((ulong)v, history[v]);
            }
        }
        output.WriteLine($"wrote {Versions} versions in {clock.ElapsedMilliseconds} ms");

        // The sample: the oldest and newest versions and some in between, each with the model as of that version.
        var sample = new SortedSet<int> { 0, 1, Versions / 2, Versions - 2, Versions - 1 };
        while (sample.Count < 25)
            sample.Add(random.Next(Versions));
        var models = new Dictionary<int, Dictionary<Hash256, byte[]>>();
        var model = new Dictionary<Hash256, byte[]>();
        for (var v = 0; v < Versions; v++)
        {
            ApplyTo(model, history[v]);
            if (sample.Contains(v))
                models[v] = new Dictionary<Hash256, byte[]>(model);
        }

        clock.Restart();
        using (var db = NodeDatabase.Open(dir.Path, SmtScratchDatabases.FastOptions, NullLogger.Instance))
        {
            using var tree = new SparseMerkleTree(db, new SmtOptions { CacheNodes = 4_096 });
            Assert.Equal(0UL, tree.OldestVersion);
            Assert.Equal((ulong)Versions - 1, tree.LatestVersion);
            for (var v = 0; v < Versions; v++)
            {
                Assert.True(tree.TryGetRoot((ulong)v, out var root), $"version {v} lost");
                Assert.True(roots[v] == root, $"version {v}: root {root.ToHex()} after reopen, {roots[v].ToHex()} when written");
            }
            Assert.Equal(roots[^1], tree.Root);

            foreach (var v in sample)
            {
                var version = (ulong)v;
                var expected = models[v];
                var sampleKeys = Enumerable.Range(0, 40).Select(_ => keys[random.Next(KeyCount)]).Append(SmtKeyPool.Outsider);
                foreach (var key in sampleKeys)
                {
                    var value = expected.GetValueOrDefault(key);
                    Assert.Equal(value, tree.Get(key, version));
                    var proof = tree.GetProof(key, version);
                    var compact = proof.ToCompact();
                    Assert.True(SmtVerifier.Verify(roots[v], key, value, proof), $"proof of {key.ToHex()} at version {v}");
                    Assert.True(SmtVerifier.VerifyCompact(roots[v], key, value, compact));
                    Assert.False(SmtVerifier.Verify(roots[v], key, value is null ? [] : null, proof));
                    // SPEC §4: proofs are about log2(n) siblings; far under 1 KB for 2,000 keys.
                    Assert.True(compact.Length < 1024, $"compact proof of {compact.Length} bytes");
                }
            }
            // The newest and oldest states, whole, against the reference.
            Assert.Equal(ReferenceSmt.RootHash(models[Versions - 1]), roots[^1]);
            Assert.Equal(ReferenceSmt.RootHash(models[Versions / 2]), roots[Versions / 2]);
            Assert.Equal(ReferenceSmt.RootHash(models[0]), roots[0]);
            Assert.True(tree.DatabaseReads > 0);
        }
        output.WriteLine($"reopened and checked in {clock.ElapsedMilliseconds} ms");
        dir.Succeeded();
    }
}
