using System.Text.Json;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 settlement", MaxConcurrency = 16, TimeoutSeconds = 60)]
public interface ISettlementRpc
{
    [RpcMethod("l2_deploy", "Deploys an L2 chain on the settlement chain, signed by this node's sequencer key, which bonds the minimum stake. The chain id is known at once; the chain exists once mined.",
        Returns = "{ chainid, txid }")]
    DeployResultDto Deploy([RpcParam("the chain's name")] string name, [RpcParam("block time in ms (default 100)")] ulong blocktime = 100,
        [RpcParam("block gas limit (default 30000000)")] ulong gaslimit = 30_000_000, [RpcParam("challenge period in L1 blocks (default: the network's)")] ulong? challengeperiod = null);

    [RpcMethod("l2_getchaininfo", "Describes a deployed L2 chain (default: the one this node runs).", Returns = "{ chainid, name, status, sequencers, anchors, locked, ... }")]
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

    [RpcMethod("l2_getreorgs", "L2 transactions that L1 reorganizations took out and that no longer apply.", Returns = "[ { txid, revertedblock, outcome } ]")]
    IReadOnlyList<AffectedDto> GetReorgs();
}

/// <summary>The bridge, registry and staking over RPC; L2-side calls need the node to run a deployed chain.</summary>
public sealed class SettlementRpcModule : IRpcModule, ISettlementRpc
{
    private readonly L1Chain _l1;
    private readonly KeyWallet _wallet;
    private readonly Address _sequencer;
    private readonly NetworkParameters _network;
    private readonly L1Payer _payer;
    private readonly L2Blockchain? _l2;
    private readonly TxPool? _pool;
    private readonly SettlementMonitor? _monitor;

    public SettlementRpcModule(L1Chain l1, KeyWallet wallet, PrivateKey sequencerKey, RpcNodeContext node,
        L2Blockchain? l2 = null, TxPool? pool = null, SettlementMonitor? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(sequencerKey);
        ArgumentNullException.ThrowIfNull(node);
        _l1 = l1;
        _wallet = wallet;
        _sequencer = Address.FromPublicKey(sequencerKey.PublicKey.AsSpan());
        _network = node.Network;
        _payer = new L1Payer(l1, wallet, node.Network);
        _l2 = l2;
        _pool = pool;
        _monitor = monitor;
    }

    public DeployResultDto Deploy(string name, ulong blocktime = 100, ulong gaslimit = 30_000_000, ulong? challengeperiod = null)
    {
        var call = new DeployChainCall(name, blocktime, gaslimit, challengeperiod ?? _l1.Parameters.DefaultChallengePeriod, _l1.Parameters.MinimumSequencerStake);
        var txid = _payer.Submit(_sequencer, call);
        return new DeployResultDto(Registry.ChainIdOf(Hash256.Parse(txid)), txid);
    }

    public ChainInfoDto GetChainInfo(ulong? chainid = null)
    {
        var id = chainid ?? _l2?.Parameters.ChainId ?? throw RpcException.InvalidParameter("give a chain id: this node runs no L2 chain");
        var state = _l1.StateAtTip();
        var chain = state.GetChain(id) ?? throw new RpcException(RpcErrorCode.InvalidAddressOrKey, $"chain {id} is not deployed on the settlement chain (l2_listchains)");
        return ChainInfoDto.Of(chain, Context(state), _network);
    }

    public IReadOnlyList<ChainInfoDto> ListChains()
    {
        var state = _l1.StateAtTip();
        return state.GetChainIds().Select(id => ChainInfoDto.Of(state.GetChain(id)!, Context(state), _network)).ToList();
    }

    private ContractContext Context(L1StateView state) => new(state, _l1.Parameters, _l1.Height, Address.Zero, Hash256.Zero);

    public string Stake(ulong chainid, JsonElement amount) => _payer.Submit(_sequencer, new BondCall(chainid, Positive(amount)));

    public string Unstake(ulong chainid, JsonElement amount) => _payer.Submit(_sequencer, new UnbondCall(chainid, Positive(amount)));

    public string Deposit(ulong chainid, JsonElement amount, string? l2address = null)
    {
        var value = Positive(amount);
        var from = _payer.Richest(value + _l1.Parameters.MinimumFee);
        var recipient = l2address is null ? from : RpcArguments.Address(l2address, _network, "l2address");
        return _payer.Submit(from, new DepositCall(chainid, value, recipient));
    }

    public string Withdraw(JsonElement amount, string? l1address = null, string? fromaddress = null)
    {
        var (l2, pool) = RequireL2();
        var value = Positive(amount);
        var from = fromaddress is null ? RichestOnL2(l2) : RpcArguments.Address(fromaddress, _network, "fromaddress");
        var to = l1address is null ? from : RpcArguments.Address(l1address, _network, "l1address");
        return SubmitL2(l2, pool, from, TransactionType.Withdrawal, to, value, []);
    }

    public WithdrawalStatusDto GetWithdrawalStatus(string txid)
    {
        var (l2, _) = RequireL2();
        var id = RpcArguments.Hash(txid, "txid");
        var record = WithdrawalOf(l2, id);
        var chain = ChainRecordOf(l2);
        var l1Height = _l1.Height;
        var state = _l1.StateAtTip();
        if (state.IsMarked(SettlementKeys.WithdrawalPaid(chain.ChainId, id)))
            return new WithdrawalStatusDto(id.ToString(), "paid", record.Recipient.ToBase58(_network), record.Amount, record.Block, null, null, l1Height);
        if (AnchorCovering(chain, record.Block) is not { } anchor)
            return new WithdrawalStatusDto(id.ToString(), "pending", record.Recipient.ToBase58(_network), record.Amount, record.Block, null, null, l1Height);
        // The period the bridge enforces: a quarter of the challenge period for an owner with a high HAT score.
        var finalAt = anchor.PostedHeight + Bridge.WithdrawalPeriod(state, _l1.Parameters, chain, record);
        return new WithdrawalStatusDto(id.ToString(), CanBeMinedBy(finalAt) ? "finalizable" : "anchored", record.Recipient.ToBase58(_network), record.Amount,
            record.Block, anchor.Index, finalAt, l1Height);
    }

    public string FinalizeWithdrawal(string txid)
    {
        var (l2, _) = RequireL2();
        var id = RpcArguments.Hash(txid, "txid");
        var record = WithdrawalOf(l2, id);
        var chain = ChainRecordOf(l2);
        var anchor = AnchorCovering(chain, record.Block) ?? throw new RpcException(RpcErrorCode.VerifyRejected, "the withdrawal is not anchored yet: wait for the next batch and mine it (generate)");
        var proof = ProofAt(l2, BridgeKeys.Withdrawal(id), anchor);
        var payer = _wallet.Addresses.Contains(record.Recipient) && _l1.StateAtTip().GetAccount(record.Recipient).Balance >= _l1.Parameters.MinimumFee
            ? record.Recipient
            : _payer.Richest(_l1.Parameters.MinimumFee);
        return _payer.Submit(payer, new FinalizeWithdrawalCall(chain.ChainId, anchor.Index, id, record.ToBytes(), proof));
    }

    public string EmergencyWithdraw(string? address = null)
    {
        var (l2, _) = RequireL2();
        var chain = ChainRecordOf(l2);
        var owner = address is null ? RichestOnL2(l2) : RpcArguments.Address(address, _network);
        if (chain.Status != ChainStatus.Emergency)
            throw new RpcException(RpcErrorCode.VerifyRejected, $"chain {chain.ChainId} is not in emergency mode ({chain.Status.ToString().ToLowerInvariant()}): withdraw with l2_withdraw");
        var anchor = Anchors.EmergencyRoot(_l1.StateAtTip(), chain)
            ?? throw new RpcException(RpcErrorCode.VerifyRejected, "no anchor was final when the chain entered emergency mode: there is no root to prove a balance against");
        var key = StateKeys.ForAccount(owner);
        var proof = ProofAt(l2, key, anchor);
        var record = l2.GetAccountAt(owner, anchor.StateRoot).ToBytes();
        return _payer.Submit(owner, new EmergencyWithdrawCall(chain.ChainId, record, proof));
    }

    public string ForceInclude(string rawtx)
    {
        var bytes = RpcArguments.Hex(rawtx, "rawtx");
        var transaction = RpcArguments.Decoded(bytes, b => Transaction.Decode(b));
        return _payer.Submit(_payer.Richest(_l1.Parameters.MinimumFee), new ForceIncludeCall(transaction.ChainId, bytes));
    }

    public string SendMessage(string destination, string target, string data, string? fromaddress = null)
    {
        var to = RpcArguments.Address(target, _network, "target");
        var bytes = RpcArguments.Hex(data, "data");
        if (bytes.Length > L1Call.MaxMessageBytes)
            throw RpcException.InvalidParameter($"a message is at most {L1Call.MaxMessageBytes} bytes");
        switch (destination)
        {
            case "l2":
                var (l2, _) = RequireL2();
                var from = fromaddress is null ? _payer.Richest(_l1.Parameters.MinimumFee) : RpcArguments.Address(fromaddress, _network, "fromaddress");
                return _payer.Submit(from, new SendMessageCall(l2.Parameters.ChainId, to, bytes));
            case "l1":
                var (chain, pool) = RequireL2();
                var sender = fromaddress is null ? RichestOnL2(chain) : RpcArguments.Address(fromaddress, _network, "fromaddress");
                return SubmitL2(chain, pool, sender, TransactionType.L2ToL1Message, to, Amount.Zero, bytes);
            default:
                throw RpcException.InvalidParameter("destination must be \"l2\" (L1→L2) or \"l1\" (L2→L1)");
        }
    }

    public MessageStatusDto GetMessage(JsonElement id)
    {
        var (l2, _) = RequireL2();
        var chain = ChainRecordOf(l2);
        if (QueueNumber(id) is { } sequence)
        {
            var queued = _l1.StateAtTip().GetL1Message(chain.ChainId, sequence) ?? throw new RpcException(RpcErrorCode.InvalidAddressOrKey, $"no L1→L2 message {sequence}");
            var delivered = l2.GetRecord(BridgeKeys.Delivered(sequence));
            return new MessageStatusDto(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), "l1-to-l2", delivered is null ? "queued" : "delivered", queued.Sender.ToBase58(_network),
                queued.Recipient.ToBase58(_network), Convert.ToHexStringLower(queued.Data), null, null, null);
        }
        var txid = id.ValueKind == JsonValueKind.String
            ? RpcArguments.Hash(id.GetString()!, "id")
            : throw RpcException.InvalidParams("parameter 'id' must be an L2 txid or a queue number");
        var bytes = l2.GetRecord(BridgeKeys.Message(txid)) ?? throw new RpcException(RpcErrorCode.InvalidAddressOrKey, $"no L2→L1 message {txid} in the L2 state");
        var record = L2MessageRecord.FromBytes(bytes);
        var anchor = AnchorCovering(chain, record.Block);
        var executed = _l1.StateAtTip().IsMarked(SettlementKeys.MessageExecuted(chain.ChainId, txid));
        var finalAt = anchor is null ? (ulong?)null : anchor.PostedHeight + chain.ChallengePeriod;
        var status = executed ? "executed" : anchor is null ? "pending" : CanBeMinedBy(finalAt!.Value) ? "executable" : "anchored";
        return new MessageStatusDto(txid.ToString(), "l2-to-l1", status, record.Sender.ToBase58(_network), record.Target.ToBase58(_network),
            Convert.ToHexStringLower(record.Data), record.Block, anchor?.Index, finalAt);
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

    public string ExecuteMessage(string txid)
    {
        var (l2, _) = RequireL2();
        var id = RpcArguments.Hash(txid, "txid");
        var bytes = l2.GetRecord(BridgeKeys.Message(id)) ?? throw new RpcException(RpcErrorCode.InvalidAddressOrKey, $"no L2→L1 message {id} in the L2 state");
        var record = L2MessageRecord.FromBytes(bytes);
        var chain = ChainRecordOf(l2);
        var anchor = AnchorCovering(chain, record.Block) ?? throw new RpcException(RpcErrorCode.VerifyRejected, "the message is not anchored yet");
        var proof = ProofAt(l2, BridgeKeys.Message(id), anchor);
        return _payer.Submit(_payer.Richest(_l1.Parameters.MinimumFee), new ExecuteMessageCall(chain.ChainId, anchor.Index, id, bytes, proof));
    }

    public bool SetAnchoring(bool enabled)
    {
        if (_network.Kind != NetworkKind.Regtest)
            throw new RpcException(RpcErrorCode.MiscError, "l2_setanchoring exists on regtest only");
        var monitor = _monitor ?? throw new RpcException(RpcErrorCode.MiscError, "this node runs no L2 chain on the settlement chain");
        monitor.AnchoringEnabled = enabled;
        return enabled;
    }

    public IReadOnlyList<AffectedDto> GetReorgs() =>
        (_monitor?.Affected ?? []).Select(a => new AffectedDto(a.TransactionId.ToString(), a.RevertedBlock, a.Outcome)).ToList();

    /// <summary>
    /// Whether a call sent now can pass a rule that holds from L1 height <paramref name="height"/>: it is
    /// mined (and checked) in the next block, so this matches what l2_finalizewithdrawal / l2_executemessage accept.
    /// </summary>
    private bool CanBeMinedBy(ulong height) => _l1.Height + 1 >= height;

    private (L2Blockchain Chain, TxPool Pool) RequireL2() =>
        _l2 is not null && _pool is not null ? (_l2, _pool) : throw new RpcException(RpcErrorCode.MiscError, "this node runs no L2 chain");

    private ChainRecord ChainRecordOf(L2Blockchain l2) =>
        _l1.StateAtTip().GetChain(l2.Parameters.ChainId)
        ?? throw new RpcException(RpcErrorCode.MiscError, $"L2 chain {l2.Parameters.ChainId} is not deployed on the settlement chain: deploy one (l2_deploy) and restart with -l2chainid");

    private static Amount Positive(JsonElement amount)
    {
        var value = RpcArguments.Amount(amount);
        return value > Amount.Zero ? value : throw new RpcException(RpcErrorCode.TypeError, "Amount must be positive");
    }

    private static WithdrawalRecord WithdrawalOf(L2Blockchain l2, Hash256 id) =>
        l2.GetRecord(BridgeKeys.Withdrawal(id)) is { } bytes
            ? WithdrawalRecord.FromBytes(bytes)
            : throw new RpcException(RpcErrorCode.InvalidAddressOrKey, $"no withdrawal {id} in the L2 state (not mined yet, or not a withdrawal)");

    /// <summary>The first anchor whose range covers L2 block <paramref name="block"/>.</summary>
    private AnchorRecord? AnchorCovering(ChainRecord chain, ulong block)
    {
        var state = _l1.StateAtTip();
        for (ulong index = 0; index < chain.AnchorCount; index++)
        {
            var anchor = state.GetAnchor(chain.ChainId, index)!;
            if (anchor.FirstBlock <= block && block <= anchor.LastBlock)
                return anchor;
        }
        return null;
    }

    private static byte[] ProofAt(L2Blockchain l2, Hash256 key, AnchorRecord anchor)
    {
        try
        {
            return l2.GetRecordProof(key, anchor.StateRoot).Proof.ToCompact();
        }
        catch (ArgumentException)
        {
            throw new RpcException(RpcErrorCode.MiscError, $"this node no longer holds the state of anchor {anchor.Index} (root {anchor.StateRoot.ToHex()})");
        }
    }

    private Address RichestOnL2(L2Blockchain l2)
    {
        var best = _wallet.Addresses.Select(a => (Address: a, Balance: l2.GetAccount(a).Balance)).OrderByDescending(x => x.Balance).FirstOrDefault();
        return best.Balance > Amount.Zero ? best.Address : throw new RpcException(RpcErrorCode.WalletInsufficientFunds, "no wallet address has an L2 balance");
    }

    private string SubmitL2(L2Blockchain l2, TxPool pool, Address from, TransactionType type, Address to, Amount value, byte[] data)
    {
        var key = _wallet.GetKey(from) ?? throw new RpcException(RpcErrorCode.WalletError, $"Private key for address {from.ToBase58(_network)} is not known");
        var nonce = pool.PendingNonce(from, l2.GetAccount(from));
        var maxFee = checked(2 * l2.NextBaseFee + 1);
        var probe = Transaction.CreateUnsigned(type, l2.Parameters.ChainId, nonce, to, value, maxFee, 1, 0, data);
        var unsigned = Transaction.CreateUnsigned(type, l2.Parameters.ChainId, nonce, to, value, maxFee, 1, IntrinsicGas.Of(probe), data);
        var transaction = Transaction.Sign(unsigned, key);
        if (pool.Add(transaction, l2.GetAccount, l2.NextBaseFee) is { } rejection)
            throw RpcArguments.Rejected(rejection);
        return transaction.Id.ToString();
    }
}
