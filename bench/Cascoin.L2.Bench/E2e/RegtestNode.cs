using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cascoin.L2.Bench.E2e;

/// <summary>A <c>cascoind -regtest</c> child process in its own data directory on free loopback ports.</summary>
internal sealed class RegtestNode : IDisposable
{
    private readonly Process _process;

    private RegtestNode(Process process, string dataDirectory, int rpcPort, int p2pPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        RpcPort = rpcPort;
        P2PPort = p2pPort;
    }

    public string DataDirectory { get; }

    public int RpcPort { get; }

    public int P2PPort { get; }

    public string Cookie => File.ReadAllText(Path.Combine(DataDirectory, "regtest", ".cookie")).Trim();

    /// <summary>Starts cascoind and returns once its RPC answers.</summary>
    public static async Task<RegtestNode> StartAsync(string daemonDll, string dataDirectory, IEnumerable<string> arguments, TextWriter progress)
    {
        Directory.CreateDirectory(dataDirectory);
        var rpcPort = FreePort();
        var p2pPort = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { daemonDll, "-regtest", $"-datadir={dataDirectory}", $"-rpcport={rpcPort}", $"-port={p2pPort}" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start cascoind");
        // Drain the pipes so the daemon never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) progress.WriteLine("cascoind: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new RegtestNode(process, dataDirectory, rpcPort, p2pPort);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"cascoind exited with code {process.ExitCode}; see {Path.Combine(dataDirectory, "regtest", "debug.log")}");
            try
            {
                using var client = new RpcClient(rpcPort, node.Cookie);
                await client.CallAsync("l2_blocknumber");
                return node;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or UnauthorizedAccessException)
            {
                await Task.Delay(100);
            }
        }
        node.Dispose();
        throw new TimeoutException("cascoind did not answer RPC within 60 s");
    }

    /// <summary>The built daemon of this checkout (bin/Release of src/Cascoin.L2.Daemon).</summary>
    public static string FindDaemon()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var output = Path.Combine(directory.FullName, "src", "Cascoin.L2.Daemon", "bin", "Release");
            if (!File.Exists(Path.Combine(directory.FullName, "Cascoin.L2.sln")) || !Directory.Exists(output))
                continue;
            var found = Directory.GetFiles(output, "cascoind.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();
            if (found is not null)
                return found;
        }
        throw new FileNotFoundException("cascoind.dll not found: build it (dotnet build -c Release) or pass --cascoind <path to cascoind.dll>");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                using var client = new RpcClient(RpcPort, Cookie);
                client.CallAsync("stop").Wait(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or AggregateException)
            {
                // Already going down; the kill below makes sure.
            }
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
                _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
