using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cascoin.L2.Crypto;

namespace Cascoin.L2.Bench;

/// <summary>
/// SHA-256 of 64-byte messages per second, single-threaded: <see cref="Sha256Fast"/> (OpenSSL when it
/// loaded) against the framework's <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>, plus the
/// sparse Merkle tree's inner-node shape (0x01 ‖ 32 ‖ 32) through the concatenating overload.
/// </summary>
internal sealed class Sha256Benchmark : IBenchmark
{
    private const int InputSize = 64;

    public string Name => "sha256";

    public string Description => "SHA-256 of 64-byte inputs per second, native (OpenSSL) vs managed (single-threaded)";

    public IReadOnlyList<BenchOption> Options { get; } =
    [
        new("seconds", "measuring time per variant", "2"),
    ];

    public void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress)
    {
        var seconds = arguments.GetDouble("seconds", 0.01, 3600);

        result.WriteNumber("seconds", seconds);
        result.WriteNumber("input_bytes", InputSize);
        result.WriteNumber("threads", 1);
        result.WriteString("backend", Sha256Fast.Backend);

        // Each digest feeds the next message, so no call can be skipped or reordered.
        if (Sha256Fast.IsNative)
            result.WriteNumber("native_per_s", Math.Round(Rate("native", seconds, progress, static m => Sha256Fast.Hash(m, m)), 1));
        else
            result.WriteNull("native_per_s");
        result.WriteNumber("managed_per_s", Math.Round(Rate("managed", seconds, progress, static m => SHA256.HashData(m, m)), 1));
        result.WriteNumber("node_per_s", Math.Round(Rate("node", seconds, progress, static m => Sha256Fast.Hash(0x01, m[..32], m[32..], m)), 1));
    }

    private static double Rate(string name, double seconds, TextWriter progress, SpanAction hash)
    {
        var message = new byte[InputSize];
        message.AsSpan().Fill(0x5a);

        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < Math.Min(0.5, seconds / 4))
            hash(message);

        var limit = TimeSpan.FromSeconds(seconds);
        long operations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            for (var i = 0; i < 256; i++)
                hash(message);
            operations += 256;
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var rate = operations / elapsed;
        progress.WriteLine($"sha256: {name,-8} {operations,10} hashes in {elapsed:F2} s = {rate,12:F1}/s ({1e6 / rate:F3} µs each)");
        return rate;
    }

    private delegate void SpanAction(Span<byte> message);
}
