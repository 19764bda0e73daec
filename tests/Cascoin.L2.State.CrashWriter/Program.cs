using System.Globalization;
using Cascoin.L2.State.Smt;
using Cascoin.L2.State.Tests.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: Cascoin.L2.State.CrashWriter <data directory> <seed> [max seconds]
// Opens the database with durable (fsync) commits and commits version after version of
// CrashWorkload.ChangesFor(seed, version), continuing after the newest version on disk. After each
// commit returns it prints "committed <version> <root hex>". It runs until killed; the time limit
// only stops a writer whose test died before killing it.
if (args.Length is < 2 or > 3)
{
    await Console.Error.WriteLineAsync("usage: Cascoin.L2.State.CrashWriter <datadir> <seed> [max seconds]");
    return 2;
}
var seed = int.Parse(args[1], CultureInfo.InvariantCulture);
var deadline = TimeSpan.FromSeconds(args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 120);
var clock = System.Diagnostics.Stopwatch.StartNew();

// SyncWrites stays at its default (true): a commit that returned must survive the kill.
using var database = NodeDatabase.Open(args[0], new DatabaseOptions { BlockCacheBytes = 8 << 20 }, NullLogger.Instance);
using var tree = new SparseMerkleTree(database, new SmtOptions { CacheNodes = 100_000 });
var version = tree.LatestVersion is { } latest ? latest + 1 : 0;
var stdout = Console.Out;
await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ready {version}"));
await stdout.FlushAsync();
while (clock.Elapsed < deadline)
{
    var root = tree.Apply(version, CrashWorkload.ChangesFor(seed, version));
    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"committed {version} {root.ToHex()}"));
    await stdout.FlushAsync();
    version++;
}
return 1;
