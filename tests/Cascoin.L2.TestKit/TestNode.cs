using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cascoin.L2.TestKit;

/// <summary>
/// A real <c>cascoind -regtest</c> process on free loopback ports in its own data directory,
/// driven through the real <c>cascoin-cli</c> or raw HTTP. Like Bitcoin Core's functional test
/// framework: one class per node, logs kept when a test fails.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private ProgramRun? _process;

    public TestNode(string dataDirectory, IEnumerable<string>? extraArguments = null)
    {
        DataDirectory = dataDirectory;
        RpcPort = FreePort.Get();
        P2PPort = FreePort.Get();
        ExtraArguments = extraArguments?.ToList() ?? [];
    }

    public string DataDirectory { get; }

    public int RpcPort { get; }

    public int P2PPort { get; }

    public IReadOnlyList<string> ExtraArguments { get; }

    public string NetworkDirectory => Path.Combine(DataDirectory, "regtest");

    public string DebugLog => Path.Combine(NetworkDirectory, "debug.log");

    public ProgramRun Process => _process ?? throw new InvalidOperationException("node not started");

    public IReadOnlyList<string> DaemonArguments =>
        ["-regtest", $"-datadir={DataDirectory}", $"-rpcport={RpcPort}", $"-port={P2PPort}", .. ExtraArguments];

    public IReadOnlyList<string> CliArguments => ["-regtest", $"-datadir={DataDirectory}", $"-rpcport={RpcPort}"];

    /// <summary>Starts the daemon and waits until RPC answers (cascoin-cli -rpcwait).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(DataDirectory);
        _process = ProgramRun.Start(ProductPaths.Daemon, DaemonArguments);
        var ready = await ProgramRun.RunAsync(ProductPaths.Cli, [.. CliArguments, "-rpcwait", "-rpcwaittimeout=60", "uptime"], timeout ?? TimeSpan.FromSeconds(90));
        if (ready.ExitCode != 0)
            throw new InvalidOperationException($"cascoind did not come up: {ready}\ndaemon stderr:\n{_process.Stderr}\n{ReadLog()}");
    }

    /// <summary>Runs cascoin-cli against this node.</summary>
    public Task<ProgramResult> CliAsync(params string[] arguments) =>
        ProgramRun.RunAsync(ProductPaths.Cli, [.. CliArguments, .. arguments], TimeSpan.FromSeconds(60));

    public Task<ProgramResult> CliWithStdinAsync(string stdin, params string[] arguments) =>
        ProgramRun.RunAsync(ProductPaths.Cli, [.. CliArguments, .. arguments], TimeSpan.FromSeconds(60), stdin);

    public string Cookie => File.ReadAllText(Path.Combine(NetworkDirectory, ".cookie")).Trim();

    /// <summary>
    /// POSTs a raw body with the given credentials (null = none) and returns the status and body.
    /// <paramref name="expectContinue"/> lets the server refuse a large body before it is sent.
    /// </summary>
    public async Task<(int Status, string Body)> PostAsync(string body, string? credentials, bool expectContinue = false)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{RpcPort}/")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = expectContinue;
        if (credentials is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Calls a method with positional parameters and the cookie; returns the whole reply object.</summary>
    public Task<JsonElement> RpcAsync(string method, params object?[] parameters) => RpcWithParamsAsync(method, parameters);

    /// <summary>Calls a method with any "params" value (an array, or an object for named parameters).</summary>
    public async Task<JsonElement> RpcWithParamsAsync(string method, object parameters)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "1.0", id = 1, method, @params = parameters });
        var (_, reply) = await PostAsync(body, Cookie);
        using var document = JsonDocument.Parse(reply);
        return document.RootElement.Clone();
    }

    public async Task<int?> WaitForExitAsync(TimeSpan timeout) => await Process.WaitForExitAsync(timeout);

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(DebugLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no debug.log)";
        }
    }

    /// <summary>For a failed wait: whether the daemon still runs (or its exit code), its stderr and the last lines of debug.log.</summary>
    public string Describe(int lines = 60)
    {
        var state = _process is null ? "not started" : _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";
        var log = ReadLog().Split('\n');
        return $"cascoind {state}\ndaemon stderr:\n{_process?.Stderr}\nlast {lines} lines of debug.log:\n{string.Join('\n', log.TakeLast(lines))}";
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            _process.Signal(15);
            if (await _process.WaitForExitAsync(TimeSpan.FromSeconds(20)) is null)
                _process.Kill();
        }
        _process.Dispose();
    }
}
