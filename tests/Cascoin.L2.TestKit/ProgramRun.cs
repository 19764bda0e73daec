using System.Diagnostics;
using System.Text;

namespace Cascoin.L2.TestKit;

/// <summary>The outcome of running a program to completion.</summary>
public sealed record ProgramResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>A real child process (a .NET program run through <c>dotnet</c>), with its output captured.</summary>
public sealed class ProgramRun : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ProgramRun(Process process)
    {
        _process = process;
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    public string Stdout
    {
        get
        {
            lock (_stdout)
                return _stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public static ProgramRun Start(string assemblyPath, IEnumerable<string> arguments, string? stdin = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new ProgramRun(process);
        process.OutputDataReceived += (_, e) => Append(run._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(run._stderr, e.Data);
        process.Start();
        // A safety net: whatever a test forgot to stop does not outlive the test process (a leaked
        // cascoind would keep producing blocks and take the CPU of every test after it).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => run.KillIfRunning();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
            process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return run;
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
            return;
        lock (buffer)
            buffer.Append(line).Append('\n');
    }

    /// <summary>Runs a program to completion within <paramref name="timeout"/> (killed and reported otherwise).</summary>
    public static async Task<ProgramResult> RunAsync(string assemblyPath, IEnumerable<string> arguments, TimeSpan timeout, string? stdin = null)
    {
        using var run = Start(assemblyPath, arguments, stdin);
        var exit = await run.WaitForExitAsync(timeout);
        return new ProgramResult(exit ?? throw new TimeoutException($"{Path.GetFileName(assemblyPath)} did not exit within {timeout}:\n{run.Stdout}\n{run.Stderr}"), run.Stdout, run.Stderr);
    }

    /// <summary>The exit code, or null when the process is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        // The parameterless wait also drains the redirected output streams.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends a Unix signal (e.g. 15 = SIGTERM, 2 = SIGINT) through the kill command.</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void KillIfRunning()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone or disposed.
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }
}
