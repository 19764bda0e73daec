using System.Text.Json.Serialization;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("blockchain", MaxConcurrency = 32, TimeoutSeconds = 30)]
public interface IBlockchainRpc
{
    [RpcMethod("getblockchaininfo", "Returns an object containing various state info regarding blockchain processing.",
        Returns = "{ chain, blocks, headers, initialblockdownload, verificationprogress, size_on_disk, pruned, l2: { enabled, chainid, blocks, sync, derivationhalted }, warnings }")]
    BlockchainInfo GetBlockchainInfo();
}

/// <summary>The L2 part: <c>sync</c> is "p2p" or "l1" (-l2sync); <c>derivationhalted</c> why deriving from L1 stopped (fraud evidence), or null.</summary>
public sealed record L2Info(bool Enabled, ulong? ChainId, long Blocks, string Sync, string? DerivationHalted);

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

    private readonly Cascoin.L2.Settlement.Derivation.L1Derivation? _derivation;

    public BlockchainRpcModule(RpcNodeContext node, Cascoin.L2.Chain.L2Blockchain? chain = null, Cascoin.L2.Settlement.L1.L1Chain? l1 = null,
        Cascoin.L2.Settlement.Derivation.L1Derivation? derivation = null)
    {
        _derivation = derivation;
        _node = node;
        _chain = chain;
        _l1 = l1;
    }

    /// <summary>Deriving from L1, verificationprogress is the share of the anchored L2 blocks re-executed so far (and initialblockdownload true until all are).</summary>
    public BlockchainInfo GetBlockchainInfo()
    {
        var derivation = _derivation?.Progress;
        var progress = derivation?.VerificationProgress ?? 1.0;
        return new(
            _node.Network.Name,
            Blocks: (long)(_l1?.Height ?? 0),
            Headers: (long)(_l1?.Height ?? 0),
            InitialBlockDownload: progress < 1.0,
            VerificationProgress: progress,
            SizeOnDisk: DirectorySize(_node.DatabaseDirectory),
            Pruned: false,
            new L2Info(_node.L2Enabled, _node.L2ChainId, Blocks: _chain is { HasGenesis: true } chain ? (long)chain.Head.Number : 0,
                Sync: _derivation is null ? "p2p" : "l1", DerivationHalted: derivation?.Halted),
            string.Join("; ", _node.Warnings));
    }

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
