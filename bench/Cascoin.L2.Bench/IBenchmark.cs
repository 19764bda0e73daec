using System.Text.Json;

namespace Cascoin.L2.Bench;

/// <summary>
/// One <c>cascoin-bench &lt;name&gt;</c> subcommand. A new benchmark is one class implementing
/// this, added to <see cref="Program.Benchmarks"/>.
/// </summary>
internal interface IBenchmark
{
    /// <summary>The subcommand name, also the value of the "bench" member of the result.</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>The options the benchmark accepts; anything else is a usage error.</summary>
    IReadOnlyList<BenchOption> Options { get; }

    /// <summary>
    /// Runs the benchmark and writes its result members into the already-open JSON object (the
    /// dispatcher has written <c>"bench"</c> and closes the object). Progress goes to <paramref name="progress"/>
    /// (stderr), never to stdout.
    /// </summary>
    void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress);
}

/// <summary>A <c>--name value</c> option with its default.</summary>
internal sealed record BenchOption(string Name, string Description, string DefaultValue);

/// <summary>Wrong command line: reported on stderr with exit code 2.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);
