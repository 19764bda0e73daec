using Cascoin.L2.Settlement.Application;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 encrypted mempool")]
public interface IEncryptionKeyRpc
{
    [RpcMethod("l2_getencryptionkey", "An epoch's encryption key for the encrypted mempool as the settlement chain's registry records it (doc/encrypted-mempool.md): the joint key, threshold, members (the sequencer set of setheight, in address order), their verification keys, the qualified dealers and the L1 block that committed it.",
        Returns = "{ chainid, epoch, key, threshold, members, verificationkeys, qualified, setheight, committedheight }")]
    EpochKeyDto GetEncryptionKey([RpcParam("the chain id (default: this node's)")] ulong? chainid = null, [RpcParam("the epoch (default: the newest)")] ulong? epoch = null);
}

public sealed record EpochKeyDto(ulong ChainId, ulong Epoch, string Key, int Threshold, IReadOnlyList<string> Members, IReadOnlyList<string> VerificationKeys,
    IReadOnlyList<int> Qualified, ulong SetHeight, ulong CommittedHeight);

/// <summary>The registry's epoch keys over RPC: binds, asks the settlement queries, maps.</summary>
public sealed class EncryptionKeyRpcModule(SettlementQueries queries, RpcNodeContext node) : IRpcModule, IEncryptionKeyRpc
{
    public EpochKeyDto GetEncryptionKey(ulong? chainid = null, ulong? epoch = null)
    {
        var id = chainid ?? queries.RunningChainId ?? throw RpcException.InvalidParameter("give a chain id: this node runs no L2 chain");
        var record = queries.EpochKey(id, epoch).OrThrow();
        return new EpochKeyDto(record.ChainId, record.Epoch, Convert.ToHexStringLower(record.PublicKey), record.Threshold,
            record.Members.Select(m => m.ToBase58(node.Network)).ToList(), record.VerificationKeys.Select(Convert.ToHexStringLower).ToList(),
            record.Qualified.Select(q => (int)q).ToList(), record.SetHeight, record.CommittedHeight);
    }
}
