using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Bench;

/// <summary>
/// Builds a tree of <c>--keys</c> accounts on RocksDB in batches of <c>--batch</c> (each batch one
/// committed, fsynced version, like a block), then updates existing keys, makes and verifies proofs.
/// </summary>
internal sealed class SmtBenchmark : IBenchmark
{
    private const int Seed = 20261123;
    private const int ValueSize = 90; // about an encoded AccountState

    public string Name => "smt";

    public string Description => "sparse Merkle tree on RocksDB: persisted updates/s, proof sizes, proof generation and verification/s";

    public IReadOnlyList<BenchOption> Options { get; } =
    [
        new("keys", "accounts in the tree", "1000000"),
        new("batch", "keys changed per committed version (block)", "10000"),
        new("proofs", "proofs generated and verified", "100000"),
        new("updates", "extra batches that change existing keys after the build", "10"),
        new("datadir", "database directory (default: a new temporary directory, deleted afterwards)", ""),
        new("sync", "fsync every committed version (1) or leave it to the OS (0)", "1"),
    ];

    public void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress)
    {
        var keyCount = arguments.GetInt("keys", 1, 100_000_000);
        var batchSize = arguments.GetInt("batch", 1, 10_000_000);
        var proofCount = arguments.GetInt("proofs", 1, 10_000_000);
        var updateBatches = arguments.GetInt("updates", 0, 1_000_000);
        var given = arguments.GetString("datadir");
        var directory = string.IsNullOrEmpty(given) ? Path.Combine(Path.GetTempPath(), "cascoin-bench-smt-" + Guid.NewGuid().ToString("N")) : given;
        try
        {
            var sync = arguments.GetInt("sync", 0, 1) == 1;
            using var database = NodeDatabase.Open(directory, new DatabaseOptions { BlockCacheBytes = 512UL << 20, SyncWrites = sync }, NullLogger.Instance);
            var tree = new SparseMerkleTree(database, new SmtOptions { CacheNodes = Math.Max(4_000_000, keyCount * 3) });
            var random = new Random(Seed);
            var keys = new Hash256[keyCount];
            for (var i = 0; i < keyCount; i++)
                keys[i] = RandomHash(random);

            // Build: every batch inserts new keys, one committed version each. Like a block pipeline,
            // version N+1 is computed while version N is written (Prepare with a parent).
            ulong version = 0;
            long hashes = 0, nodes = 0;
            var build = Stopwatch.StartNew();
            var batches = new List<SmtChange[]>();
            for (var start = 0; start < keyCount; start += batchSize)
                batches.Add(keys[start..Math.Min(keyCount, start + batchSize)].Select(k => new SmtChange(k, RandomValue(random))).ToArray());
            build.Restart();
            SmtPendingUpdate? pending = null;
            Task writing = Task.CompletedTask;
            var preparing = new Stopwatch();
            foreach (var changes in batches)
            {
                preparing.Start();
                var update = tree.Prepare(version++, changes, pending);
                preparing.Stop();
                hashes += update.Hashes;
                nodes += update.NodesWritten;
                writing.Wait();
                if (pending is not null)
                    tree.Committed(pending);
                var toWrite = update;
                writing = Task.Run(() => Write(tree, database, toWrite));
                pending = update;
                if (version % 10 == 0)
                    progress.WriteLine($"smt: {version * (ulong)batchSize} keys, {version * (ulong)batchSize / build.Elapsed.TotalSeconds:F0} updates/s, {tree.CachedNodes} cached nodes, {tree.DatabaseReads} node reads");
            }
            writing.Wait();
            if (pending is not null)
                tree.Committed(pending);
            build.Stop();
            var buildRate = keyCount / build.Elapsed.TotalSeconds;
            progress.WriteLine($"smt: build {build.Elapsed.TotalSeconds:F1} s, of which computing {preparing.Elapsed.TotalSeconds:F1} s");

            // Steady state: change existing keys, as blocks do.
            var steady = Stopwatch.StartNew();
            long steadyUpdates = 0;
            for (var b = 0; b < updateBatches; b++)
            {
                var changed = new HashSet<Hash256>();
                while (changed.Count < Math.Min(batchSize, keyCount))
                    changed.Add(keys[random.Next(keyCount)]);
                Commit(tree, database, version++, changed.Select(k => new SmtChange(k, RandomValue(random))));
                steadyUpdates += changed.Count;
            }
            steady.Stop();

            // Proofs: half for present keys, half for absent ones.
            var root = tree.Root;
            var proofKeys = Enumerable.Range(0, proofCount).Select(i => i % 2 == 0 ? keys[random.Next(keyCount)] : RandomHash(random)).ToArray();
            var proofs = new SmtProof[proofCount];
            var generate = Stopwatch.StartNew();
            for (var i = 0; i < proofCount; i++)
                proofs[i] = tree.GetProof(proofKeys[i]);
            generate.Stop();
            var compact = proofs.Select(p => p.ToCompact()).ToArray();
            var values = proofKeys.Select(k => tree.Get(k)).ToArray();

            var verify = Stopwatch.StartNew();
            var valid = 0;
            for (var i = 0; i < proofCount; i++)
                valid += SmtVerifier.VerifyCompact(root, proofKeys[i], values[i], compact[i]) ? 1 : 0;
            verify.Stop();
            if (valid != proofCount)
                throw new InvalidOperationException($"{proofCount - valid} of {proofCount} proofs failed to verify");

            var membership = compact.Where((_, i) => values[i] is not null).ToArray();
            result.WriteNumber("keys", keyCount);
            result.WriteBoolean("sync", sync);
            result.WriteNumber("batch", batchSize);
            result.WriteNumber("updates_per_s", Math.Round(buildRate));
            result.WriteNumber("update_existing_per_s", steadyUpdates == 0 ? 0 : Math.Round(steadyUpdates / steady.Elapsed.TotalSeconds));
            result.WriteNumber("proof_bytes_avg", Math.Round(membership.Average(p => p.Length), 1));
            result.WriteNumber("proof_bytes_max", membership.Max(p => p.Length));
            result.WriteNumber("exclusion_proof_bytes_max", compact.Where((_, i) => values[i] is null).Select(p => p.Length).DefaultIfEmpty(0).Max());
            result.WriteNumber("proofs_per_s", Math.Round(proofCount / generate.Elapsed.TotalSeconds));
            result.WriteNumber("verify_per_s", Math.Round(proofCount / verify.Elapsed.TotalSeconds));
            result.WriteNumber("sha256_per_s", Math.Round(MeasureSha256()));
            result.WriteNumber("hashes_per_update", Math.Round((double)hashes / keyCount, 2));
            result.WriteNumber("nodes_written_per_update", Math.Round((double)nodes / keyCount, 2));
            result.WriteNumber("build_seconds", Math.Round(build.Elapsed.TotalSeconds, 2));
        }
        finally
        {
            if (string.IsNullOrEmpty(given))
                Directory.Delete(directory, recursive: true);
        }
    }

    private static SmtPendingUpdate Commit(SparseMerkleTree tree, NodeDatabase database, ulong version, IEnumerable<SmtChange> changes)
    {
        var update = tree.Prepare(version, changes);
        Write(tree, database, update);
        tree.Committed(update);
        return update;
    }

    private static void Write(SparseMerkleTree tree, NodeDatabase database, SmtPendingUpdate update)
    {
        using var batch = database.CreateBatch();
        tree.Stage(update, batch);
        database.Commit(batch);
    }

    /// <summary>Raw single-thread SHA-256 of 64-byte inputs through the hash the tree uses.</summary>
    private static double MeasureSha256()
    {
        Span<byte> input = stackalloc byte[64];
        Span<byte> output = stackalloc byte[32];
        RandomNumberGenerator.Fill(input);
        var count = 0;
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 1000)
        {
            for (var i = 0; i < 10_000; i++)
            {
                Hashes.Sha256(input, output);
                input[0] = output[0];
            }
            count += 10_000;
        }
        return count / watch.Elapsed.TotalSeconds;
    }

    private static Hash256 RandomHash(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    private static byte[] RandomValue(Random random)
    {
        var value = new byte[ValueSize];
        random.NextBytes(value);
        return value;
    }
}
