using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Settlement.Application;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 encrypted mempool")]
public interface IEncryptionKeyRpc
{
    [RpcMethod("l2_getencryptionkey", "An epoch's encryption key for the encrypted mempool as the settlement chain's registry records it (doc/encrypted-mempool.md): the joint key, threshold, members (the sequencer set of setheight, in address order), their verification keys, the qualified dealers and the L1 block that committed it.",
        Returns = "{ chainid, epoch, key, threshold, members, verificationkeys, qualified, setheight, committedheight }")]
    EpochKeyDto GetEncryptionKey([RpcParam("the chain id (default: this node's)")] ulong? chainid = null, [RpcParam("the epoch (default: the newest)")] ulong? epoch = null);

    [RpcMethod("l2_sendencryptedtransaction", "Signs a transfer with a key of the node wallet, seals it in an envelope to the newest epoch key of this node's chain and submits the envelope: the sequencers order it before anyone can read it. Nonce and fees are filled in; the envelope pays for its gas limit, which covers the transfer.",
        Returns = "\"txid\" the envelope's id")]
    string SendEncryptedTransaction([RpcParam("the sender: an address whose key the wallet holds")] string fromaddress, [RpcParam("the L2 recipient")] string toaddress,
        [RpcParam("the amount in CAS")] System.Text.Json.JsonElement amount);
}

public sealed record EpochKeyDto(ulong ChainId, ulong Epoch, string Key, int Threshold, IReadOnlyList<string> Members, IReadOnlyList<string> VerificationKeys,
    IReadOnlyList<int> Qualified, ulong SetHeight, ulong CommittedHeight);

/// <summary>The encrypted mempool over RPC: the registry's epoch keys, and sealed transfers. Binds, asks the settlement layer, maps.</summary>
public sealed class EncryptionKeyRpcModule(SettlementQueries queries, SettlementCommands commands, RpcNodeContext node) : IRpcModule, IEncryptionKeyRpc
{
    public string SendEncryptedTransaction(string fromaddress, string toaddress, System.Text.Json.JsonElement amount) =>
        commands.SendEncrypted(RpcArguments.Address(fromaddress, node.Network, "from address"), RpcArguments.Address(toaddress, node.Network, "to address"),
            RpcArguments.Amount(amount)).OrThrow().ToString();

    public EpochKeyDto GetEncryptionKey(ulong? chainid = null, ulong? epoch = null)
    {
        var id = chainid ?? queries.RunningChainId ?? throw RpcException.InvalidParameter("give a chain id: this node runs no L2 chain");
        var record = queries.EpochKey(id, epoch).OrThrow();
        return new EpochKeyDto(record.ChainId, record.Epoch, Convert.ToHexStringLower(record.PublicKey), record.Threshold,
            record.Members.Select(m => m.ToBase58(node.Network)).ToList(), record.VerificationKeys.Select(Convert.ToHexStringLower).ToList(),
            record.Qualified.Select(q => (int)q).ToList(), record.SetHeight, record.CommittedHeight);
    }
}
