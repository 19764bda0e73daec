using System.Text.Json.Serialization;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("blockchain", MaxConcurrency = 32, TimeoutSeconds = 30)]
public interface IBlockchainRpc
{
    [RpcMethod("getblockchaininfo", "Returns an object containing various state info regarding blockchain processing.",
        Returns = "{ chain, blocks, headers, initialblockdownload, verificationprogress, size_on_disk, pruned, l2: { enabled, chainid, blocks }, warnings }")]
    BlockchainInfo GetBlockchainInfo();
}

public sealed record L2Info(bool Enabled, ulong? ChainId, long Blocks);

public sealed record BlockchainInfo(
    string Chain,
    long Blocks,
    long Headers,
    bool InitialBlockDownload,
    double VerificationProgress,
    [property: JsonPropertyName("size_on_disk")] long SizeOnDisk,
    bool Pruned,
    L2Info L2,
    string Warnings);

/// <summary>Chain status: blocks and headers are the embedded settlement chain's height (0 without one); l2.blocks is the L2 head when this node runs an L2 chain.</summary>
public sealed class BlockchainRpcModule : IRpcModule, IBlockchainRpc
{
    private readonly RpcNodeContext _node;
    private readonly Cascoin.L2.Chain.L2Blockchain? _chain;

    private readonly Cascoin.L2.Settlement.L1.L1Chain? _l1;

    public BlockchainRpcModule(RpcNodeContext node, Cascoin.L2.Chain.L2Blockchain? chain = null, Cascoin.L2.Settlement.L1.L1Chain? l1 = null)
    {
        _node = node;
        _chain = chain;
        _l1 = l1;
    }

    public BlockchainInfo GetBlockchainInfo() => new(
        _node.Network.Name,
        Blocks: (long)(_l1?.Height ?? 0),
        Headers: (long)(_l1?.Height ?? 0),
        InitialBlockDownload: false,
        VerificationProgress: 1.0,
        SizeOnDisk: DirectorySize(_node.DatabaseDirectory),
        Pruned: false,
        new L2Info(_node.L2Enabled, _node.L2ChainId, Blocks: _chain is { HasGenesis: true } chain ? (long)chain.Head.Number : 0),
        string.Join("; ", _node.Warnings));

    private static long DirectorySize(string path)
    {
        if (!Directory.Exists(path))
            return 0;
        long total = 0;
        foreach (var file in new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // RocksDB deletes obsolete files while we walk; a vanished file simply does not count.
            }
        }
        return total;
    }
}
