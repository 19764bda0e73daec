using System.Text.Json;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>A test on one real node running a chain it deployed (<see cref="DeployedChain"/>): its directory, the node, and cascoin-cli against it.</summary>
public abstract class DeployedChainTest(string name) : IAsyncLifetime
{
    private TestNode? _node;

    protected TestDirectory Directory { get; } = TestDirectory.Create(name);

    protected TestNode Node => _node ?? throw new InvalidOperationException("no node");

    /// <summary>Deploys a chain called <paramref name="chain"/> and restarts the node on it; returns the chain id.</summary>
    protected async Task<string> DeployAsync(string chain, int? blockTimeMs = null)
    {
        (_node, var chainId, _) = await DeployedChain.StartAsync(Directory.Combine("node"), chain, blockTimeMs: blockTimeMs);
        return chainId;
    }

    protected Task<string> Cli(params string[] arguments) => CliCalls.OkAsync(Node, arguments);

    protected Task<JsonElement> Json(params string[] arguments) => CliCalls.JsonAsync(Node, arguments);

    /// <summary>cascoin-cli must fail, saying <paramref name="expected"/>.</summary>
    protected async Task CliFailsAsync(string expected, params string[] arguments)
    {
        var result = await Node.CliAsync(arguments);
        Assert.True(result.ExitCode != 0, $"{string.Join(' ', arguments)} was expected to fail: {result}");
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit 2 awaits this after the test, pass or fail: the node is stopped.</summary>
    public async Task DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
        Directory.Dispose();
    }
}
