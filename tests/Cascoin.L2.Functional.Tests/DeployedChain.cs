using System.Globalization;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>One regtest node on a chain it deployed: generate 101, l2_deploy, setreputation 90 for its sequencer until ACTIVE, restart with -l2chainid.</summary>
internal static class DeployedChain
{
    /// <returns>The node running the chain, the chain id and the sequencer's address.</returns>
    /// <param name="blockTimeMs">The chain's block time (l2_deploy's default, 100 ms, when null).</param>
    public static async Task<(TestNode Node, string ChainId, string Sequencer)> StartAsync(string directory, string name, IEnumerable<string>? extraArguments = null,
        int? blockTimeMs = null)
    {
        var node = new TestNode(directory);
        try
        {
            await node.StartAsync();
            await CliCalls.JsonAsync(node, "generate", "101");
            string[] deploy = blockTimeMs is { } blockTime ? ["l2_deploy", name, blockTime.ToString(CultureInfo.InvariantCulture)] : ["l2_deploy", name];
            var chainId = (await CliCalls.JsonAsync(node, deploy)).GetProperty("chainid").GetUInt64().ToString(CultureInfo.InvariantCulture);
            await CliCalls.JsonAsync(node, "generate", "1");
            var sequencer = (await CliCalls.JsonAsync(node, "l2_getchaininfo", chainId)).GetProperty("deployer").GetString()!;
            await CliCalls.OkAsync(node, "setreputation", sequencer, "90");
            await CliCalls.JsonAsync(node, "generate", "1");
            Assert.Equal("ACTIVE", (await CliCalls.JsonAsync(node, "l2_getchaininfo", chainId)).GetProperty("status").GetString());
            await node.DisposeAsync();
            node = new TestNode(directory, [$"-l2chainid={chainId}", .. extraArguments ?? []]);
            await node.StartAsync();
            return (node, chainId, sequencer);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }
}
