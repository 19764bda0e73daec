using System.Text.Json;

namespace Cascoin.L2.Bench;

/// <summary>
/// <c>cascoin-bench &lt;name&gt; [--option value ...]</c>: runs one benchmark and prints exactly one
/// JSON line on stdout; progress and errors go to stderr. Exit codes: 0 done, 1 the benchmark
/// failed, 2 wrong command line.
/// </summary>
internal static class Program
{
    /// <summary>Every benchmark, in <c>--help</c> order.</summary>
    internal static readonly IReadOnlyList<IBenchmark> Benchmarks =
    [
        new SigBenchmark(),
        new SmtBenchmark(),
        new Sha256Benchmark(),
        new E2eBenchmark(),
        new DaBenchmark(),
        new FraudBenchmark(),
        new DkgBenchmark(),
    ];

    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            WriteUsage(Console.Error);
            return 2;
        }
        if (args[0] is "--help" or "-h" or "help")
        {
            WriteUsage(Console.Out);
            return 0;
        }

        var benchmark = Benchmarks.FirstOrDefault(b => b.Name == args[0]);
        if (benchmark is null)
        {
            Console.Error.WriteLine($"cascoin-bench: unknown benchmark '{args[0]}' (see cascoin-bench --help)");
            return 2;
        }
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            WriteBenchmarkUsage(Console.Out, benchmark);
            return 0;
        }

        BenchArguments arguments;
        try
        {
            arguments = BenchArguments.Parse(args[1..], benchmark.Options);
        }
        catch (BenchUsageException e)
        {
            Console.Error.WriteLine($"cascoin-bench {benchmark.Name}: {e.Message}");
            return 2;
        }

        // Buffer the result so stdout gets one complete line or nothing.
        var buffer = new MemoryStream();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("bench", benchmark.Name);
                benchmark.Run(arguments, writer, Console.Error);
                writer.WriteEndObject();
            }
        }
        catch (BenchUsageException e)
        {
            Console.Error.WriteLine($"cascoin-bench {benchmark.Name}: {e.Message}");
            return 2;
        }
#pragma warning disable CA1031 // a failed benchmark is reported with exit code 1, whatever the exception
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"cascoin-bench {benchmark.Name}: failed: {e}");
            return 1;
        }

        using var stdout = Console.OpenStandardOutput();
        buffer.WriteTo(stdout);
        stdout.WriteByte((byte)'\n');
        return 0;
    }

    private static void WriteUsage(TextWriter writer)
    {
        writer.WriteLine("usage: cascoin-bench <benchmark> [--option value ...]");
        writer.WriteLine("       cascoin-bench <benchmark> --help");
        writer.WriteLine();
        writer.WriteLine("Prints one JSON line on stdout; progress goes to stderr.");
        writer.WriteLine();
        writer.WriteLine("benchmarks:");
        foreach (var benchmark in Benchmarks)
            writer.WriteLine($"  {benchmark.Name,-10} {benchmark.Description}");
    }

    private static void WriteBenchmarkUsage(TextWriter writer, IBenchmark benchmark)
    {
        writer.WriteLine($"usage: cascoin-bench {benchmark.Name} [--option value ...]");
        writer.WriteLine();
        writer.WriteLine(benchmark.Description);
        if (benchmark.Options.Count == 0)
            return;
        writer.WriteLine();
        writer.WriteLine("options:");
        foreach (var option in benchmark.Options)
            writer.WriteLine($"  --{option.Name,-12} {option.Description} (default {option.DefaultValue})");
    }
}
