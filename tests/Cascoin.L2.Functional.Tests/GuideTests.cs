using System.Diagnostics;
using Cascoin.L2.TestKit;
using Xunit.Abstractions;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// Every ```sh block of the operator's and the developer's guide runs, in order, against regtest
/// nodes of this build (contrib/guide-runner.sh: a throw-away home, free ports), so the guides
/// cannot drift from what the node does.
/// </summary>
public sealed class GuideTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("operator-guide.md")]
    [InlineData("developer-guide.md")]
    public async Task Every_shell_block_of_the_guide_runs(string guide)
    {
        var path = Path.Combine(ProductPaths.RepositoryRoot, "doc", guide);
        Assert.True(File.Exists(path), $"{path} is missing");
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ProductPaths.RepositoryRoot,
        };
        foreach (var argument in new[] { Path.Combine(ProductPaths.RepositoryRoot, "contrib", "guide-runner.sh"), path, FreePort.Get().ToString(), FreePort.Get().ToString() })
            info.ArgumentList.Add(argument);
        info.Environment["CONFIGURATION"] = ProductPaths.Configuration;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{guide} did not finish within 4 minutes:\n{Tail(await stderr)}");
        }
        var errors = await stderr;
        output.WriteLine($"{guide}: exit {process.ExitCode} after {watch.Elapsed.TotalSeconds:F0} s");
        Assert.True(process.ExitCode == 0, $"{guide}: exit {process.ExitCode}\n--- stderr (the last ### names the block) ---\n{Tail(errors, 200)}\n--- stdout ---\n{Tail(await stdout, 30)}");
    }

    private static string Tail(string text, int lines = 60) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
