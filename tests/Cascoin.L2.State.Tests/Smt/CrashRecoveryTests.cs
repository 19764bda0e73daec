using System.Diagnostics;
using System.Globalization;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// kill -9 in the middle of commits. A real writer process (tests/Cascoin.L2.State.CrashWriter) commits
/// 200-change versions with fsync and prints each version after its commit returned; the test kills
/// it with SIGKILL at a random moment, three times on the same data directory, and checks that every
/// printed version survived, that the one in flight is wholly there or wholly absent, and that the
/// tree on disk is consistent with its values.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Rounds = 3;
    private const int MinimumCommitsPerRound = 30;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Commits_that_returned_survive_kill_9_and_the_one_in_flight_is_all_or_nothing()
    {
        var seed = Environment.TickCount & 0x7fff_ffff;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        using var dir = TestDirectory.Create("smt-kill9");
        var dataDir = dir.Combine("data");
        var writer = CrashWriterAssembly();
        var printedRoots = new Dictionary<ulong, Hash256>();
        var model = new WorkloadModel(seed);
        var clock = Stopwatch.StartNew();

        for (var round = 0; round < Rounds; round++)
        {
            var target = MinimumCommitsPerRound + random.Next(0, 15);
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 40));
            var lines = await RunAndKill(writer, dataDir, seed, target, delay);
            output.WriteLine($"round {round}: killed {delay.TotalMilliseconds} ms after {target} commits; {lines.Count} lines printed ({clock.ElapsedMilliseconds} ms)");

            var committed = lines.Select(ParseCommitted).OfType<(ulong Version, Hash256 Root)>().ToList();
            Assert.True(committed.Count >= target, $"round {round}: only {committed.Count} commits printed:\n{string.Join('\n', lines)}");
            foreach (var (version, root) in committed)
                printedRoots.Add(version, root);
            var lastPrinted = committed[^1].Version;

            using var db = NodeDatabase.Open(dataDir, SmtScratchDatabases.FastOptions, NullLogger.Instance);
            using var tree = new SparseMerkleTree(db, SmtScratchDatabases.SmallCache);
            var latest = tree.LatestVersion ?? throw new InvalidOperationException("no version survived");

            // A commit that returned is durable; the one in flight may or may not be.
            Assert.True(latest == lastPrinted || latest == lastPrinted + 1, $"round {round}: newest version on disk {latest}, last printed {lastPrinted}");
            output.WriteLine($"round {round}: last printed {lastPrinted}, newest on disk {latest} ({(latest > lastPrinted ? "in-flight commit landed" : "in-flight commit absent")})");
            Assert.Equal(0UL, tree.OldestVersion);
            foreach (var (version, root) in printedRoots)
            {
                Assert.True(tree.TryGetRoot(version, out var onDisk), $"printed version {version} lost");
                Assert.Equal(root, onDisk);
            }

            // Every version on disk is the workload's state at that version: the printed ones and the in-flight one.
            var lastPrintedModel = model.At(lastPrinted);
            Assert.Equal(ReferenceSmt.RootHash(lastPrintedModel), printedRoots[lastPrinted]);
            Assert.True(tree.TryGetRoot(latest, out var latestRoot));
            Assert.Equal(ReferenceSmt.RootHash(model.At(latest)), latestRoot);

            output.WriteLine($"round {round}: roots checked ({clock.ElapsedMilliseconds} ms)");
            // The tree on disk is consistent with the values on disk, whatever the workload was.
            AssertConsistentWithStoredValues(db, tree, latest, latestRoot);
            output.WriteLine($"round {round}: consistency checked ({clock.ElapsedMilliseconds} ms)");

            // Values and proofs of the last printed version are intact.
            foreach (var index in Enumerable.Range(0, CrashWorkload.KeyCount))
            {
                var key = CrashWorkload.Key(seed, index);
                var value = lastPrintedModel.GetValueOrDefault(key);
                Assert.Equal(value, tree.Get(key, lastPrinted));
                Assert.True(SmtVerifier.Verify(printedRoots[lastPrinted], key, value, tree.GetProof(key, lastPrinted)));
            }
            if (latest > lastPrinted)
                printedRoots[latest] = latestRoot;
            output.WriteLine($"round {round}: checked ({clock.ElapsedMilliseconds} ms)");
        }
        dir.Succeeded();
    }

    /// <summary>The root recomputed from every value stored at <paramref name="version"/> is the tree's root, and every key's proof verifies.</summary>
    private static void AssertConsistentWithStoredValues(NodeDatabase db, SparseMerkleTree tree, ulong version, Hash256 root)
    {
        var storedKeys = db.IterateByPrefix(DbColumn.SmtValues, [])
            .Select(r => new Hash256(r.Key.AsSpan(0, 32)))
            .Distinct()
            .ToList();
        var entries = new Dictionary<Hash256, byte[]>();
        foreach (var key in storedKeys)
        {
            if (tree.Get(key, version) is { } value)
                entries[key] = value;
        }
        Assert.NotEmpty(entries);
        Assert.Equal(ReferenceSmt.RootHash(entries), root);
        foreach (var key in storedKeys)
        {
            var value = entries.GetValueOrDefault(key);
            var proof = tree.GetProof(key, version);
            Assert.True(SmtVerifier.Verify(root, key, value, proof), $"proof of {key.ToHex()} at version {version}");
            Assert.Equal(value is not null, proof.IsMembership);
        }
    }

    private static (ulong Version, Hash256 Root)? ParseCommitted(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 && parts[0] == "committed"
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && Hash256.TryFromHex(parts[2], out var root)
            ? (version, root)
            : null;
    }

    /// <summary>Starts the writer, waits for <paramref name="commits"/> printed commits, waits <paramref name="delay"/> more, then SIGKILLs it; returns every line it printed.</summary>
    private static async Task<List<string>> RunAndKill(string writer, string dataDir, int seed, int commits, TimeSpan delay)
    {
        var lines = new List<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { writer, dataDir, seed.ToString(CultureInfo.InvariantCulture), "120" })
            info.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = info };
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (lines)
            {
                lines.Add(e.Data);
                if (lines.Count(l => l.StartsWith("committed ", StringComparison.Ordinal)) >= commits)
                    enough.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                    stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(enough.Task, exited, Task.Delay(Patience));
            Assert.True(first == enough.Task, $"the writer did not print {commits} commits (exited: {process.HasExited}):\n{string.Join('\n', Snapshot(lines))}\n{stderr}");
            // The random moment: most of the writer's time is spent inside commits (fsync), so this usually lands mid-commit.
            await Task.Delay(delay);
            using (var kill = Process.Start("kill", ["-9", process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
            // The parameterless wait also drains the redirected output.
            process.WaitForExit();
            Assert.Equal(137, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
        return Snapshot(lines);
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
            return [.. lines];
    }

    /// <summary>Where the build put the writer: the same configuration as these tests (see <see cref="ProductPaths"/>).</summary>
    private static string CrashWriterAssembly()
    {
        var output = Path.Combine(ProductPaths.RepositoryRoot, "tests", "Cascoin.L2.State.CrashWriter", "bin", ProductPaths.Configuration);
        var candidates = Directory.Exists(output)
            ? Directory.GetFiles(output, "Cascoin.L2.State.CrashWriter.dll", SearchOption.AllDirectories)
            : [];
        return candidates.OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new FileNotFoundException($"Cascoin.L2.State.CrashWriter.dll not found under {output}: build tests/Cascoin.L2.State.Tests in {ProductPaths.Configuration} first");
    }

    /// <summary>The workload's key→value map at any version, computed by replaying <see cref="CrashWorkload"/> forward.</summary>
    private sealed class WorkloadModel(int seed)
    {
        private readonly Dictionary<Hash256, byte[]> _state = [];
        private ulong _next;

        public Dictionary<Hash256, byte[]> At(ulong version)
        {
            if (version + 1 < _next)
                throw new InvalidOperationException($"the model is already past version {version}");
            while (_next <= version)
                ApplyTo(_state, CrashWorkload.ChangesFor(seed, _next++));
            return new Dictionary<Hash256, byte[]>(_state);
        }
    }
}
