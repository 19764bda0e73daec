using System.Globalization;

namespace Cascoin.L2.Bench.E2e;

/// <summary>
/// Several <c>cascoind -regtest</c> processes that share a settlement chain and run one deployed L2
/// chain, each staked and scored as a sequencer (the same steps as the README's multi-node story):
/// node 0 mines, deploys and funds; each other node stakes with its own sequencer key; then all
/// restart on the chain, connected to each other.
/// </summary>
internal sealed class SequencerNetworkSetup : IDisposable
{
    private readonly string _daemon;
    private readonly string _directory;
    private readonly TextWriter _progress;
    private readonly RegtestNode?[] _nodes;

    private SequencerNetworkSetup(string daemon, string directory, int count, TextWriter progress)
    {
        _daemon = daemon;
        _directory = directory;
        _progress = progress;
        _nodes = new RegtestNode?[count];
    }

    public ulong ChainId { get; private set; }

    public IReadOnlyList<RegtestNode> Nodes => _nodes.Select(n => n ?? throw new InvalidOperationException("a node is not running")).ToList();

    /// <param name="l1Blocks">Blocks node 0 mines first: rewards mature after 100, 50 CAS each, and fund the deposits.</param>
    /// <param name="firstNodeArguments">Given to node 0 alone once the chain is deployed (its L1 miner, say).</param>
    /// <param name="encryption">The chain's encrypted mempool: off, optional or required (l2_deploy).</param>
    public static async Task<SequencerNetworkSetup> StartAsync(string daemon, string directory, int count, int l1Blocks, IReadOnlyList<string> chainArguments, TextWriter progress,
        IReadOnlyList<string>? firstNodeArguments = null, string encryption = "off")
    {
        var setup = new SequencerNetworkSetup(daemon, directory, count, progress);
        try
        {
            await setup.DeployAsync(l1Blocks, encryption);
            for (var i = 0; i < count; i++)
            {
                setup._nodes[i]!.Dispose();
                setup._nodes[i] = null;
            }
            for (var i = 0; i < count; i++)
                await setup.StartNodeAsync(i, [$"-l2chainid={setup.ChainId.ToString(CultureInfo.InvariantCulture)}", .. chainArguments, .. i == 0 ? firstNodeArguments ?? [] : []]);
            return setup;
        }
        catch
        {
            setup.Dispose();
            throw;
        }
    }

    private async Task DeployAsync(int l1Blocks, string encryption)
    {
        await StartNodeAsync(0, []);
        using var first = Client(0);
        await first.CallAsync("generate", l1Blocks);
        ChainId = (await first.CallAsync("l2_deploy", "bench", 100, 30_000_000, null, encryption)).GetProperty("chainid").GetUInt64();
        await first.CallAsync("generate", 1);
        var sequencers = new List<string> { (await first.CallAsync("l2_getchaininfo", ChainId)).GetProperty("deployer").GetString()! };
        for (var i = 1; i < _nodes.Length; i++)
            await StartNodeAsync(i, []);
        await L1ConvergedAsync();
        for (var i = 1; i < _nodes.Length; i++)
        {
            using var node = Client(i);
            var mined = (await node.CallAsync("generate", 1))[0].GetString()!;
            var address = (await node.CallAsync("getblock", mined)).GetProperty("miner").GetString()!;
            sequencers.Add(address);
            await L1ConvergedAsync();
            await first.CallAsync("sendtoaddress", address, 20);
            await first.CallAsync("generate", 1);
            await L1ConvergedAsync();
            var stake = (await node.CallAsync("l2_stake", ChainId, 10)).GetString();
            await WaitAsync(async () => (await first.CallAsync("getrawmempool")).EnumerateArray().Any(t => t.GetString() == stake), "the stake reaches node 0");
            await first.CallAsync("generate", 1);
            await L1ConvergedAsync();
        }
        foreach (var address in sequencers)
            await first.CallAsync("setreputation", address, 90);
        await first.CallAsync("generate", 1);
        await L1ConvergedAsync();
        _progress.WriteLine($"e2e: chain {ChainId} deployed with {sequencers.Count} staked sequencers");
    }

    /// <summary>Starts node <paramref name="index"/> connected to every running node.</summary>
    private async Task StartNodeAsync(int index, IEnumerable<string> arguments)
    {
        var peers = _nodes.Where(n => n is not null).Select(n => $"-addnode=127.0.0.1:{n!.P2PPort}");
        _nodes[index] = await RegtestNode.StartAsync(_daemon, Path.Combine(_directory, $"n{index}"), [.. peers, .. arguments], _progress);
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until the chain's sequencers committed an epoch key on L1; returns its epoch and key.</summary>
    public async Task<(ulong Epoch, byte[] Key)> EpochKeyAsync(TimeSpan timeout)
    {
        using var first = Client(0);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var record = await first.CallAsync("l2_getencryptionkey", ChainId);
                return (record.GetProperty("epoch").GetUInt64(), Convert.FromHexString(record.GetProperty("key").GetString()!));
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                // Not committed yet: the DKG run follows the settlement blocks.
                await Task.Delay(500);
            }
        }
    }

    public RpcClient Client(int index)
    {
        var node = _nodes[index] ?? throw new InvalidOperationException($"node {index} is not running");
        return new RpcClient(node.RpcPort, node.Cookie);
    }

    private async Task L1ConvergedAsync() =>
        await WaitAsync(async () =>
        {
            var tips = new HashSet<string>();
            for (var i = 0; i < _nodes.Length; i++)
            {
                if (_nodes[i] is null)
                    continue;
                using var client = Client(i);
                tips.Add((await client.CallAsync("getbestblockhash")).GetString()!);
            }
            return tips.Count == 1;
        }, "the nodes share the settlement tip");

    public static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within 2 minutes: {what}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
            node?.Dispose();
    }
}
