using System.Text.Json;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 settlement", MaxConcurrency = 16, TimeoutSeconds = 60)]
public interface ISettlementRpc
{
    [RpcMethod("l2_deploy", "Deploys an L2 chain on the settlement chain, signed by this node's sequencer key, which bonds the minimum stake. The chain id is known at once; the chain exists once mined.",
        Returns = "{ chainid, txid }")]
    DeployResultDto Deploy([RpcParam("the chain's name")] string name, [RpcParam("block time in ms (default 100)")] ulong blocktime = 100,
        [RpcParam("block gas limit, 1000000..30000000 (default 30000000: a full block must fit one anchor)")] ulong gaslimit = 30_000_000, [RpcParam("challenge period in L1 blocks (default: the network's)")] ulong? challengeperiod = null,
        [RpcParam("the encrypted mempool: \"off\" (default), \"optional\" (envelopes beside plain transactions) or \"required\" (user transactions only in envelopes)")] string encryption = "off");

    [RpcMethod("l2_getchaininfo", "Describes a deployed L2 chain (default: the one this node runs); for this node's chain anchoringhalted says why no anchor is posted, if so.", Returns = "{ chainid, name, status, sequencers, anchors, locked, ..., anchoringhalted }")]
    ChainInfoDto GetChainInfo([RpcParam("the chain id (default: this node's)")] ulong? chainid = null);

    [RpcMethod("l2_listchains", "Lists the L2 chains deployed on the settlement chain.", Returns = "[ chain info, ... ]")]
    IReadOnlyList<ChainInfoDto> ListChains();

    [RpcMethod("l2_stake", "Bonds CAS as this node's sequencer stake on a chain.", Returns = "\"txid\"")]
    string Stake([RpcParam("the chain id")] ulong chainid, [RpcParam("the amount in CAS")] JsonElement amount);

    [RpcMethod("l2_unstake", "Starts unbonding part of this node's stake; it is paid back after the unbond delay.", Returns = "\"txid\"")]
    string Unstake([RpcParam("the chain id")] ulong chainid, [RpcParam("the amount in CAS")] JsonElement amount);

    [RpcMethod("l2_deposit", "Locks CAS on the settlement chain for an L2 address (minted on L2 once the L1 block is confirmed).", Returns = "\"txid\" (L1)")]
    string Deposit([RpcParam("the chain id")] ulong chainid, [RpcParam("the amount in CAS")] JsonElement amount,
        [RpcParam("the L2 recipient (default: the paying wallet address)")] string? l2address = null);

    [RpcMethod("l2_withdraw", "Burns CAS on L2 for payment on L1 once its batch is final (l2_finalizewithdrawal).", Returns = "\"txid\" (L2)")]
    string Withdraw([RpcParam("the amount in CAS")] JsonElement amount, [RpcParam("the L1 recipient (default: the sender)")] string? l1address = null,
        [RpcParam("the L2 sender (default: the wallet address with the largest L2 balance)")] string? fromaddress = null);

    [RpcMethod("l2_getwithdrawalstatus", "Where a withdrawal stands: pending (not anchored yet), anchored (in its challenge period), finalizable, paid.",
        Returns = "{ txid, status, recipient, amount, l2block, anchorindex, finalatheight, l1height }")]
    WithdrawalStatusDto GetWithdrawalStatus([RpcParam("the withdrawal's L2 txid")] string txid);

    [RpcMethod("l2_finalizewithdrawal", "Pays a final withdrawal on L1 with its proof against the anchored state root.", Returns = "\"txid\" (L1)")]
    string FinalizeWithdrawal([RpcParam("the withdrawal's L2 txid")] string txid);

    [RpcMethod("l2_emergencywithdraw", "In emergency mode: proves an L2 balance against the last final root and pays it on L1, once.", Returns = "\"txid\" (L1)")]
    string EmergencyWithdraw([RpcParam("the L2 account (its key must be in the wallet; default: the largest balance)")] string? address = null);

    [RpcMethod("l2_forceinclude", "Posts a signed L2 transaction on L1; the sequencers must include it before the deadline or be slashed.", Returns = "\"txid\" (L1)")]
    string ForceInclude([RpcParam("the signed L2 transaction, hex")] string rawtx);

    [RpcMethod("l2_sendmessage", "Sends a cross-layer message: \"l2\" queues it on L1 for L2, \"l1\" sends it from L2 for execution on L1 after the challenge period.",
        Returns = "\"txid\" (L1 for \"l2\", L2 for \"l1\")")]
    string SendMessage([RpcParam("\"l2\" (L1→L2) or \"l1\" (L2→L1)")] string destination, [RpcParam("the target address")] string target,
        [RpcParam("the message bytes, hex")] string data, [RpcParam("the sender (wallet address; default: the richest)")] string? fromaddress = null);

    [RpcMethod("l2_getmessage", "Status of an L2→L1 message (by its L2 txid) or of an L1→L2 message (by its queue number).", Returns = "{ id, direction, status, from, to, data, ... }")]
    MessageStatusDto GetMessage([RpcParam("an L2 txid, or a queue number (number or string) for L1→L2")] JsonElement id);

    [RpcMethod("l2_executemessage", "Executes a final L2→L1 message on L1 with its proof, once.", Returns = "\"txid\" (L1)")]
    string ExecuteMessage([RpcParam("the message's L2 txid")] string txid);

    [RpcMethod("l2_setanchoring", "Regtest: turns this node's anchor posting off or on (off lets the chain reach emergency mode).", Returns = "true|false (the new setting)")]
    bool SetAnchoring([RpcParam("true to post anchors, false to stop")] bool enabled);

    [RpcMethod("l2_getbatch", "An anchored batch: its block range, per-block state roots, DA commitment, sizes, transactions and the L1 transaction that carried it; with withdata the zstd frame as hex (pipe it through xxd -r -p | zstd -d).",
        Returns = "{ chainid, index, firstblock, lastblock, blockroots, stateroot, dacommitment, datashards, parityshards, shardsize, rawbytes, compressedbytes, l1bytes, transactions, l1txid, l1blockhash, l1height, data?, status: pending|challenged|final }")]
    BatchDto GetBatch([RpcParam("the chain id")] ulong chainid, [RpcParam("the batch (anchor) index, from 0")] ulong index, [RpcParam("true to include the zstd frame as hex")] bool withdata = false);

    [RpcMethod("l2_getreorgs", "L2 transactions that L1 reorganizations took out and that no longer apply.", Returns = "[ { txid, revertedblock, outcome } ]")]
    IReadOnlyList<AffectedDto> GetReorgs();
}

/// <summary>The bridge, registry and staking over RPC: binds parameters, calls the settlement application layer and maps its answers.</summary>
public sealed class SettlementRpcModule(SettlementCommands commands, SettlementQueries queries, BatchQueries batches, RpcNodeContext node, SettlementMonitor? monitor = null,
    Cascoin.L2.Settlement.Derivation.L1Derivation? derivation = null, ChallengeQueries? challenges = null)
    : IRpcModule, ISettlementRpc
{
    private readonly NetworkParameters _network = node?.Network ?? throw new ArgumentNullException(nameof(node));

    public DeployResultDto Deploy(string name, ulong blocktime = 100, ulong gaslimit = 30_000_000, ulong? challengeperiod = null, string encryption = "off")
    {
        var policy = EncryptionPolicies.Parse(encryption ?? "") ?? throw RpcException.InvalidParameter($"encryption must be off, optional or required, not \"{encryption}\"");
        var (chainId, txid) = commands.Deploy(name, blocktime, gaslimit, challengeperiod, policy).OrThrow();
        return new DeployResultDto(chainId, txid.ToString());
    }

    public ChainInfoDto GetChainInfo(ulong? chainid = null)
    {
        var id = chainid ?? queries.RunningChainId ?? throw RpcException.InvalidParameter("give a chain id: this node runs no L2 chain");
        var chain = queries.Chain(id).OrThrow();
        return ChainInfoDto.Of(chain, queries.TipContext(queries.L1.StateAtTip()), _network) with
        {
            AnchoringHalted = id == queries.RunningChainId && derivation is null ? monitor?.AnchoringHaltedReason : null,
            VerificationProgress = id == queries.RunningChainId ? derivation?.Progress.VerificationProgress : null,
        };
    }

    public IReadOnlyList<ChainInfoDto> ListChains()
    {
        var context = queries.TipContext(queries.L1.StateAtTip());
        return queries.Chains().Select(chain => ChainInfoDto.Of(chain, context, _network)).ToList();
    }

    public string Stake(ulong chainid, JsonElement amount) => commands.Stake(chainid, Positive(amount)).OrThrow().ToString();

    public string Unstake(ulong chainid, JsonElement amount) => commands.Unstake(chainid, Positive(amount)).OrThrow().ToString();

    public string Deposit(ulong chainid, JsonElement amount, string? l2address = null) =>
        commands.Deposit(chainid, Positive(amount), OptionalAddress(l2address, "l2address")).OrThrow().ToString();

    public string Withdraw(JsonElement amount, string? l1address = null, string? fromaddress = null) =>
        commands.Withdraw(Positive(amount), OptionalAddress(l1address, "l1address"), OptionalAddress(fromaddress, "fromaddress")).OrThrow().ToString();

    public WithdrawalStatusDto GetWithdrawalStatus(string txid)
    {
        var status = queries.Withdrawal(RpcArguments.Hash(txid, "txid")).OrThrow();
        return new WithdrawalStatusDto(status.Id.ToString(), status.State.ToString().ToLowerInvariant(), status.Recipient.ToBase58(_network), status.Amount,
            status.Block, status.AnchorIndex, status.FinalAt, status.L1Height);
    }

    public string FinalizeWithdrawal(string txid) => commands.FinalizeWithdrawal(RpcArguments.Hash(txid, "txid")).OrThrow().ToString();

    public string EmergencyWithdraw(string? address = null) =>
        commands.EmergencyWithdraw(address is null ? null : RpcArguments.Address(address, _network)).OrThrow().ToString();

    public string ForceInclude(string rawtx)
    {
        var bytes = RpcArguments.Hex(rawtx, "rawtx");
        return commands.ForceInclude(RpcArguments.Decoded(bytes, b => Transaction.Decode(b))).OrThrow().ToString();
    }

    public string SendMessage(string destination, string target, string data, string? fromaddress = null)
    {
        var to = RpcArguments.Address(target, _network, "target");
        var bytes = RpcArguments.Hex(data, "data");
        if (bytes.Length > L1Call.MaxMessageBytes)
            throw RpcException.InvalidParameter($"a message is at most {L1Call.MaxMessageBytes} bytes");
        var from = OptionalAddress(fromaddress, "fromaddress");
        return destination switch
        {
            "l2" => commands.SendMessageToL2(to, bytes, from).OrThrow().ToString(),
            "l1" => commands.SendMessageToL1(to, bytes, from).OrThrow().ToString(),
            _ => throw RpcException.InvalidParameter("destination must be \"l2\" (L1→L2) or \"l1\" (L2→L1)"),
        };
    }

    public MessageStatusDto GetMessage(JsonElement id)
    {
        var status = QueueNumber(id) is { } sequence
            ? queries.MessageToL2(sequence).OrThrow()
            : id.ValueKind == JsonValueKind.String
                ? queries.MessageToL1(RpcArguments.Hash(id.GetString()!, "id")).OrThrow()
                : throw RpcException.InvalidParams("parameter 'id' must be an L2 txid or a queue number");
        return new MessageStatusDto(status.Id, status.ToL2 ? "l1-to-l2" : "l2-to-l1", status.State.ToString().ToLowerInvariant(), status.From.ToBase58(_network),
            status.To.ToBase58(_network), Convert.ToHexStringLower(status.Data), status.Block, status.AnchorIndex, status.FinalAt);
    }

    /// <summary>
    /// A queue number given as a JSON number or a decimal string: cascoin-cli (like bitcoin-cli) sends
    /// an argument that parses as JSON as JSON, so "l2_getmessage 3" arrives as the number 3.
    /// </summary>
    private static ulong? QueueNumber(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Number => id.TryGetUInt64(out var number)
            ? number
            : throw RpcException.InvalidParameter($"a queue number is a whole number 0..{ulong.MaxValue}, got {id.GetRawText()}"),
        JsonValueKind.String when ulong.TryParse(id.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    public string ExecuteMessage(string txid) => commands.ExecuteMessage(RpcArguments.Hash(txid, "txid")).OrThrow().ToString();

    public BatchDto GetBatch(ulong chainid, ulong index, bool withdata = false)
    {
        var found = batches.Batch(chainid, index).OrThrow();
        var batch = BatchQueries.Decode(found);
        var layout = found.Layout;
        return new BatchDto(chainid, index, found.Anchor.FirstBlock, found.Anchor.LastBlock, found.Call.Headers.Select(h => h.StateRoot.ToHex()).ToList(),
            found.Anchor.StateRoot.ToHex(), found.Anchor.DataRoot.ToHex(), layout.DataShards, layout.ParityShards, layout.ShardSize, batch.ToBytes().Length,
            found.Call.Data.Length, found.L1Bytes, batch.TransactionCount, found.L1TransactionId.ToString(), found.L1BlockHash.ToString(), found.Anchor.PostedHeight,
            withdata ? Convert.ToHexStringLower(found.Call.Data) : null)
        {
            Status = challenges is null ? "pending" : challenges.StatusOf(queries.Chain(chainid).OrThrow(), found.Anchor).ToString().ToLowerInvariant(),
        };
    }

    public bool SetAnchoring(bool enabled)
    {
        if (_network.Kind != NetworkKind.Regtest)
            throw new RpcException(RpcErrorCode.MiscError, "l2_setanchoring exists on regtest only");
        var running = monitor ?? throw new RpcException(RpcErrorCode.MiscError, "this node runs no L2 chain on the settlement chain");
        running.AnchoringEnabled = enabled;
        return enabled;
    }

    public IReadOnlyList<AffectedDto> GetReorgs() =>
        (monitor?.Affected ?? []).Select(a => new AffectedDto(a.TransactionId.ToString(), a.RevertedBlock, a.Outcome)).ToList();

    private Address? OptionalAddress(string? text, string name) => text is null ? null : RpcArguments.Address(text, _network, name);

    private static Amount Positive(JsonElement amount)
    {
        var value = RpcArguments.Amount(amount);
        return value > Amount.Zero ? value : throw new RpcException(RpcErrorCode.TypeError, "Amount must be positive");
    }
}
