using System.Text.Json;
using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("settlement chain (regtest)", MaxConcurrency = 8, TimeoutSeconds = 120)]
public interface IL1Rpc
{
    [RpcMethod("generate", "Mines blocks of the embedded settlement chain, paying this node's sequencer address.", Returns = "[\"blockhash\", ...]")]
    IReadOnlyList<string> Generate([RpcParam("how many blocks (1..1000)")] int nblocks);

    [RpcMethod("generatetoaddress", "Mines blocks paying an address.", Returns = "[\"blockhash\", ...]")]
    IReadOnlyList<string> GenerateToAddress([RpcParam("how many blocks (1..1000)")] int nblocks, [RpcParam("the miner's address")] string address);

    [RpcMethod("getblockcount", "Returns the height of the settlement chain's tip.", Returns = "n")]
    ulong GetBlockCount();

    [RpcMethod("getbestblockhash", "Returns the hash of the settlement chain's tip.", Returns = "\"hash\"")]
    string GetBestBlockHash();

    [RpcMethod("getblockhash", "Returns the hash of the active chain's block at a height.", Returns = "\"hash\"")]
    string GetBlockHash([RpcParam("the height")] ulong height);

    [RpcMethod("getblock", "Returns a settlement block.", Returns = "verbosity 0: hex; 1: header fields and txids; 2: transactions with their receipts")]
    object GetBlock([RpcParam("the block hash")] string blockhash, [RpcParam("0, 1 (default) or 2")] int verbosity = 1);

    [RpcMethod("invalidateblock", "Marks a block and its descendants invalid; the chain reorganizes to the best valid branch.", Returns = "null")]
    object? InvalidateBlock([RpcParam("the block hash")] string blockhash);

    [RpcMethod("reconsiderblock", "Removes the invalid mark of a block, its ancestors and descendants; the chain moves to the best branch.", Returns = "null")]
    object? ReconsiderBlock([RpcParam("the block hash")] string blockhash);

    [RpcMethod("getbalance", "Returns the wallet's total spendable balance on the settlement chain.", Returns = "n (numeric) CAS")]
    Amount GetBalance();

    [RpcMethod("getrawmempool", "Returns the ids of the settlement transactions waiting to be mined (received over RPC or from peers).", Returns = "[\"txid\", ...]")]
    IReadOnlyList<string> GetRawMempool();

    [RpcMethod("sendtoaddress", "Sends CAS on the settlement chain from the wallet (mined with the next block).", Returns = "\"txid\"")]
    string SendToAddress([RpcParam("the recipient")] string address, [RpcParam("the amount in CAS")] JsonElement amount);

    [RpcMethod("sendrawtransaction", "Submits a signed settlement transaction (hex); refused with the reason when it could not be mined or its call would fail now.", Returns = "\"txid\"")]
    string SendRawTransaction([RpcParam("the signed transaction, hex")] string hexstring);

    [RpcMethod("setreputation", "Regtest: sets an address's HAT v2 score (0..100) with the next block.", Returns = "\"txid\"")]
    string SetReputation([RpcParam("the address")] string address, [RpcParam("the score, 0..100")] int score);

    [RpcMethod("getreputation", "Returns an address's HAT v2 score on the settlement chain.", Returns = "{ address, score, height }")]
    ReputationDto GetReputation([RpcParam("the address")] string address);
}

public sealed record ReputationDto(string Address, byte Score, ulong Height);

public sealed record L1BlockDto(string Hash, ulong Height, ulong Confirmations, string PreviousBlockHash, string StateRoot, string TransactionsRoot,
    ulong Time, string Miner, int NTx, IReadOnlyList<object> Tx);

public sealed record L1TransactionDto(string TxId, string Kind, string? From, ulong Nonce, Amount Fee, string Payload, bool? Success, string? Error, string? Event);

/// <summary>The embedded settlement chain over bitcoind-style RPC (regtest).</summary>
public sealed class L1RpcModule : IRpcModule, IL1Rpc
{
    private const int MaxBlocksPerCall = 1000;

    private readonly L1Chain _l1;
    private readonly KeyWallet _wallet;
    private readonly Address _sequencer;
    private readonly NetworkParameters _network;
    private readonly TimeProvider _time;
    private readonly L1Wallet _payer;

    public L1RpcModule(L1Chain l1, KeyWallet wallet, L1Wallet payer, PrivateKey sequencerKey, RpcNodeContext node, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sequencerKey);
        ArgumentNullException.ThrowIfNull(node);
        _l1 = l1;
        _wallet = wallet;
        _sequencer = Address.FromPublicKey(sequencerKey.PublicKey.AsSpan());
        _network = node.Network;
        _time = time;
        _payer = payer;
    }

    public IReadOnlyList<string> Generate(int nblocks) => Mine(nblocks, _sequencer);

    public IReadOnlyList<string> GenerateToAddress(int nblocks, string address) => Mine(nblocks, RpcArguments.Address(address, _network));

    private List<string> Mine(int count, Address miner)
    {
        if (count is < 1 or > MaxBlocksPerCall)
            throw RpcException.InvalidParameter($"nblocks must be 1..{MaxBlocksPerCall}");
        var hashes = new List<string>(count);
        for (var i = 0; i < count; i++)
            hashes.Add(_l1.Mine(miner, (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds()).Hash.ToString());
        return hashes;
    }

    public ulong GetBlockCount() => _l1.Height;

    public string GetBestBlockHash() => _l1.Tip.Hash.ToString();

    public string GetBlockHash(ulong height) =>
        _l1.GetHash(height)?.ToString() ?? throw RpcException.InvalidParameter($"Block height out of range (tip {_l1.Height})");

    public object GetBlock(string blockhash, int verbosity = 1)
    {
        if (verbosity is < 0 or > 2)
            throw RpcException.InvalidParameter("verbosity must be 0, 1 or 2");
        var hash = RpcArguments.Hash(blockhash, "blockhash");
        var block = _l1.GetBlock(hash) ?? throw new RpcException(RpcErrorCode.InvalidAddressOrKey, "Block not found");
        if (verbosity == 0)
            return Convert.ToHexStringLower(block.ToBytes());
        var active = _l1.IsActive(hash);
        var receipts = _l1.GetReceipts(hash);
        IReadOnlyList<object> transactions = verbosity == 1
            ? block.Transactions.Select(t => (object)t.Id.ToString()).ToList()
            : block.Transactions.Select((t, i) => (object)new L1TransactionDto(t.Id.ToString(), t.Kind.ToString().ToLowerInvariant(),
                t.RecoverSender(_network)?.ToBase58(_network), t.Nonce, t.Fee, Convert.ToHexStringLower(t.Payload),
                receipts?[i].Success, receipts?[i].Refusal?.ToString(), receipts?[i].Event)).ToList();
        return new L1BlockDto(block.Hash.ToString(), block.Height, active ? _l1.Height - block.Height + 1 : 0, block.Header.ParentHash.ToString(),
            block.Header.StateRoot.ToHex(), block.Header.TransactionsRoot.ToHex(), block.Header.Timestamp / 1000, block.Header.Miner.ToBase58(_network),
            block.Transactions.Count, transactions);
    }

    public object? InvalidateBlock(string blockhash)
    {
        try
        {
            _l1.InvalidateBlock(RpcArguments.Hash(blockhash, "blockhash"));
        }
        catch (KeyNotFoundException)
        {
            throw new RpcException(RpcErrorCode.InvalidAddressOrKey, "Block not found");
        }
        catch (InvalidOperationException ex)
        {
            throw new RpcException(RpcErrorCode.VerifyError, ex.Message);
        }
        return null;
    }

    public object? ReconsiderBlock(string blockhash)
    {
        try
        {
            _l1.ReconsiderBlock(RpcArguments.Hash(blockhash, "blockhash"));
        }
        catch (KeyNotFoundException)
        {
            throw new RpcException(RpcErrorCode.InvalidAddressOrKey, "Block not found");
        }
        return null;
    }

    public Amount GetBalance()
    {
        var state = _l1.StateAtTip();
        return _wallet.Addresses.Aggregate(Amount.Zero, (sum, address) => sum + state.GetAccount(address).Balance);
    }

    public IReadOnlyList<string> GetRawMempool() => _l1.Mempool.Select(t => t.Id.ToString()).ToList();

    public string SendToAddress(string address, JsonElement amount)
    {
        var to = RpcArguments.Address(address, _network);
        var value = RpcArguments.Amount(amount);
        if (value <= Amount.Zero)
            throw new RpcException(RpcErrorCode.TypeError, "Invalid amount for send");
        return _payer.Richest(value + _l1.Parameters.MinimumFee).Then(from => _payer.Send(from, new TransferCall(to, value))).OrThrow().ToString();
    }

    public string SendRawTransaction(string hexstring)
    {
        var bytes = RpcArguments.Hex(hexstring, "hexstring");
        return _payer.Send(RpcArguments.Decoded(bytes, b => L1Transaction.Decode(b))).OrThrow().ToString();
    }

    public string SetReputation(string address, int score)
    {
        if (_network.Kind != NetworkKind.Regtest)
            throw new RpcException(RpcErrorCode.MiscError, "setreputation exists on regtest only");
        if (score is < 0 or > 100)
            throw RpcException.InvalidParameter("score must be 0..100");
        var subject = RpcArguments.Address(address, _network);
        return _payer.SendFromRichest(new SetReputationCall(subject, (byte)score)).OrThrow().ToString();
    }

    public ReputationDto GetReputation(string address)
    {
        var subject = RpcArguments.Address(address, _network);
        return new ReputationDto(subject.ToBase58(_network), _l1.StateAtTip().GetAccount(subject).HatScore, _l1.Height);
    }
}
