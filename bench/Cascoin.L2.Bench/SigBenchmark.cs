using System.Diagnostics;
using System.Text.Json;
using Cascoin.L2.Crypto;

namespace Cascoin.L2.Bench;

/// <summary>
/// secp256k1 throughput of each installed backend, single-threaded: sign, verify and recover
/// over a fixed, pre-generated set of keys and messages, each for about <c>--seconds</c>.
/// </summary>
internal sealed class SigBenchmark : IBenchmark
{
    /// <summary>Fixed so every run measures the same keys and messages.</summary>
    private const int Seed = 20260101;

    public string Name => "sig";

    public string Description => "secp256k1 sign/verify/recover per second for each backend (single-threaded)";

    public IReadOnlyList<BenchOption> Options { get; } =
    [
        new("seconds", "measuring time per operation and backend", "2"),
        new("keys", "number of pre-generated keys/messages cycled through", "256"),
    ];

    public void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress)
    {
        var seconds = arguments.GetDouble("seconds", 0.01, 3600);
        var count = arguments.GetInt("keys", 1, 1_000_000);
        var workload = Workload.Create(count, Seed);

        result.WriteNumber("seconds", seconds);
        result.WriteNumber("keys", count);
        result.WriteNumber("threads", 1);
        Measure(Secp256k1Backends.BouncyCastle, workload, seconds, result, progress);
        if (Secp256k1Backends.Native is { } native)
        {
            Measure(native, workload, seconds, result, progress);
        }
        else
        {
            progress.WriteLine("sig: libsecp256k1 is not installed; skipping it");
            result.WriteNull("libsecp256k1");
        }
    }

    private static void Measure(ISecp256k1Backend backend, Workload workload, double seconds, Utf8JsonWriter result, TextWriter progress)
    {
        var count = workload.Hashes.Length;
        var publicKeys = new byte[count][];
        var signatures = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            publicKeys[i] = new byte[33];
            signatures[i] = new byte[65];
            backend.GetPublicKey(workload.PrivateKeys[i], publicKeys[i]);
            backend.SignRecoverable(workload.Hashes[i], workload.PrivateKeys[i], signatures[i]);
        }

        var signature = new byte[65];
        var recovered = new byte[33];
        var sign = Rate(backend, "sign", seconds, count, progress, i =>
        {
            backend.SignRecoverable(workload.Hashes[i], workload.PrivateKeys[i], signature);
            return signature[0] >= 31;
        });
        var verify = Rate(backend, "verify", seconds, count, progress,
            i => backend.Verify(workload.Hashes[i], signatures[i].AsSpan(1), publicKeys[i]));
        var recover = Rate(backend, "recover", seconds, count, progress,
            i => backend.TryRecover(workload.Hashes[i], signatures[i], recovered));

        result.WriteStartObject(backend.Name);
        result.WriteNumber("sign_per_s", Math.Round(sign, 1));
        result.WriteNumber("verify_per_s", Math.Round(verify, 1));
        result.WriteNumber("recover_per_s", Math.Round(recover, 1));
        result.WriteEndObject();
    }

    /// <summary>Operations per second of <paramref name="operation"/> (which must succeed) over about <paramref name="seconds"/>.</summary>
    private static double Rate(ISecp256k1Backend backend, string name, double seconds, int count, TextWriter progress, Func<int, bool> operation)
    {
        // Warm-up: JIT, BouncyCastle's precomputed tables, caches.
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; warmUp.Elapsed.TotalSeconds < Math.Min(0.5, seconds / 4); i = (i + 1) % count)
            Check(operation(i), backend, name);

        var limit = TimeSpan.FromSeconds(seconds);
        long operations = 0;
        var index = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            for (var batch = 0; batch < 8; batch++)
            {
                Check(operation(index), backend, name);
                index = index + 1 == count ? 0 : index + 1;
            }
            operations += 8;
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var rate = operations / elapsed;
        progress.WriteLine($"sig: {backend.Name,-12} {name,-7} {operations,9} ops in {elapsed:F2} s = {rate,10:F1}/s");
        return rate;
    }

    private static void Check(bool succeeded, ISecp256k1Backend backend, string name)
    {
        if (!succeeded)
            throw new InvalidOperationException($"{backend.Name} {name} failed on a valid input");
    }

    private sealed record Workload(byte[][] PrivateKeys, byte[][] Hashes)
    {
        public static Workload Create(int count, int seed)
        {
            var random = new Random(seed);
            var keys = new byte[count][];
            var hashes = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                keys[i] = new byte[32];
                do
                {
                    random.NextBytes(keys[i]);
                }
                while (!Secp256k1Format.IsValidScalar(keys[i]));
                hashes[i] = new byte[32];
                random.NextBytes(hashes[i]);
            }
            return new Workload(keys, hashes);
        }
    }
}
