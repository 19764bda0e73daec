using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Sequencing.Relay;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 data availability", MaxConcurrency = 8, TimeoutSeconds = 60)]
public interface IDataAvailabilityRpc
{
    [RpcMethod("l2_getshard", "One Reed-Solomon shard of an anchored batch with its Merkle proof against the batch's DA commitment, from this node's settlement chain.",
        Returns = "{ chainid, batch, index, datashards, parityshards, shardsize, dacommitment, shard, proof: [ sibling, ... ] }")]
    ShardDto GetShard([RpcParam("the chain id")] ulong chainid, [RpcParam("the batch (anchor) index")] ulong batch, [RpcParam("the shard index, 0..2k-1")] int index);

    [RpcMethod("l2_sampleavailability", "Asks connected peers for random shards of a batch and checks each proof against the anchored DA commitment: confidence 1 - 2^-good when every answer is good.",
        Returns = "{ chainid, batch, samples, good, bad, missing, peers, confidence }")]
    Task<SampleDto> SampleAvailability([RpcParam("the chain id")] ulong chainid, [RpcParam("the batch (anchor) index")] ulong batch,
        [RpcParam("how many distinct shards to sample (default 16, at most all)")] int samples = 16);
}

public sealed record ShardDto(ulong ChainId, ulong Batch, int Index, int DataShards, int ParityShards, int ShardSize, string DaCommitment, string Shard, IReadOnlyList<string> Proof);

public sealed record SampleDto(ulong ChainId, ulong Batch, int Samples, int Good, int Bad, int Missing, int Peers, double Confidence);

/// <summary>Shards and sampling over RPC: binds, asks the shard relay, maps.</summary>
public sealed class DataAvailabilityRpcModule(ShardRelay shards, Cascoin.L2.Settlement.Application.BatchQueries batches) : IRpcModule, IDataAvailabilityRpc
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);

    public ShardDto GetShard(ulong chainid, ulong batch, int index)
    {
        var found = batches.Batch(chainid, batch).OrThrow();
        var layout = ShardLayout.For(found.Call.Data.Length);
        if (index < 0 || index >= layout.TotalShards)
            throw RpcException.InvalidParameter($"batch {batch} has shards 0..{layout.TotalShards - 1}");
        var proof = shards.LocalShard(chainid, batch, index)!;
        return new ShardDto(chainid, batch, index, layout.DataShards, layout.ParityShards, layout.ShardSize, found.Anchor.DataRoot.ToHex(),
            Convert.ToHexStringLower(proof.Shard), proof.Siblings.Select(s => s.ToHex()).ToList());
    }

    public async Task<SampleDto> SampleAvailability(ulong chainid, ulong batch, int samples = 16)
    {
        if (samples is < 1 or > DataAvailability.Erasure.ReedSolomon.MaxShards)
            throw RpcException.InvalidParameter($"samples must be 1..{DataAvailability.Erasure.ReedSolomon.MaxShards}");
        var report = (await shards.SampleAsync(chainid, batch, samples, SampleTimeout, CancellationToken.None)).OrThrow();
        return new SampleDto(report.ChainId, report.Batch, report.Requested, report.Good, report.Bad, report.Missing, report.Peers, Math.Round(report.Confidence, 6));
    }
}
