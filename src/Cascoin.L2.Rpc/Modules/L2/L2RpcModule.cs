using System.Text.Json;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Rpc.Modules.L2;

[RpcModule("l2", MaxConcurrency = 64, TimeoutSeconds = 30)]
public interface IL2Rpc
{
    [RpcMethod("l2_sendrawtransaction", "Submits a signed L2 transaction (hex) to the mempool.", Returns = "\"txid\" (string) the transaction id")]
    string SendRawTransaction([RpcParam("the signed transaction, hex")] string hexstring);

    [RpcMethod("l2_sendtransaction", "Signs a transfer with a key of the node wallet and submits it. Nonce and fees are filled in.",
        Returns = "{ txid, nonce }")]
    SendResultDto SendTransaction(
        [RpcParam("the sender: an address whose key the wallet holds")] string fromaddress,
        [RpcParam("the L2 recipient")] string toaddress,
        [RpcParam("the amount in CAS")] JsonElement amount,
        [RpcParam("max fee per gas in sat (default: 2 × base fee + priority fee)")] ulong? maxfeepergas = null,
        [RpcParam("max priority fee per gas in sat (default: 1)")] ulong? maxpriorityfeepergas = null);

    [RpcMethod("l2_getbalance", "Returns the L2 balance of an address.", Returns = "n (numeric) the balance in CAS")]
    Amount GetBalance([RpcParam("the address")] string address, [RpcParam("block number or \"latest\" (default)")] JsonElement? block = null);

    [RpcMethod("l2_gettransactioncount", "Returns the nonce of an address: transactions sent, and with \"pending\" those waiting in the mempool too.",
        Returns = "n (numeric)")]
    ulong GetTransactionCount([RpcParam("the address")] string address, [RpcParam("\"latest\" (default), \"pending\" or a block number")] JsonElement? block = null);

    [RpcMethod("l2_blocknumber", "Returns the number of the newest L2 block.", Returns = "n (numeric)")]
    ulong BlockNumber();

    [RpcMethod("l2_getblockbynumber", "Returns an L2 block by number.",
        Returns = "verbosity 0: \"hex\"; 1: block object with transaction ids; 2: with transaction objects")]
    object? GetBlockByNumber([RpcParam("block number or \"latest\"")] JsonElement block, [RpcParam("0, 1 (default) or 2")] int verbosity = 1);

    [RpcMethod("l2_getblockbyhash", "Returns an L2 block by hash.", Returns = "as l2_getblockbynumber")]
    object? GetBlockByHash([RpcParam("the block hash")] string blockhash, [RpcParam("0, 1 (default) or 2")] int verbosity = 1);

    [RpcMethod("l2_gettransaction", "Returns an L2 transaction from a block or the mempool.", Returns = "transaction object (blockhash null while pending)")]
    TransactionDto GetTransaction([RpcParam("the transaction id")] string txid);

    [RpcMethod("l2_gettransactionreceipt", "Returns the receipt of a transaction in a block, or null while it is pending or unknown.", Returns = "receipt object or null")]
    ReceiptDto? GetTransactionReceipt([RpcParam("the transaction id")] string txid);

    [RpcMethod("l2_getproof", "Returns an account with its sparse Merkle proof against a state root (SPEC §4).",
        Returns = "{ address, root, block, key, depth, siblings, leaf, value, account, proof }")]
    ProofDto GetProof([RpcParam("the address")] string address, [RpcParam("a state root (plain hex) or block number; default the newest")] JsonElement? at = null);

    [RpcMethod("l2_estimategas", "Returns the gas a transaction needs (transfers and withdrawals: 21,000 + calldata).", Returns = "n (numeric)")]
    ulong EstimateGas([RpcParam("the recipient")] string toaddress, [RpcParam("calldata, hex (default: none)")] string? data = null);

    [RpcMethod("l2_feehistory", "Returns base fees and block fullness of recent blocks.",
        Returns = "{ oldestblock, basefeepergas: [n+1 values, the last for the next block], gasusedratio, medianpriorityfeepergas }")]
    FeeHistoryDto FeeHistory([RpcParam("number of blocks, 1..1024")] int blockcount, [RpcParam("newest block (default \"latest\")")] JsonElement? newestblock = null);
}

/// <summary>The L2 chain over JSON-RPC: submission, balances, blocks, receipts, proofs and fees.</summary>
public sealed class L2RpcModule : IRpcModule, IL2Rpc
{
    private const int MaxFeeHistoryBlocks = 1024;

    private readonly L2Blockchain _chain;
    private readonly TxPool _pool;
    private readonly KeyWallet _wallet;
    private readonly NetworkParameters _network;

    public L2RpcModule(L2Blockchain chain, TxPool pool, KeyWallet wallet, RpcNodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _chain = chain;
        _pool = pool;
        _wallet = wallet;
        _network = node.Network;
    }

    public string SendRawTransaction(string hexstring)
    {
        var bytes = RpcArguments.Hex(hexstring, "hexstring");
        if (bytes.Length > _chain.Parameters.MaxTransactionBytes)
            throw RpcArguments.Rejected(new TxRejection(TxRejectReason.TooLarge, $"transaction is {bytes.Length} bytes, the limit is {_chain.Parameters.MaxTransactionBytes}"));
        return Submit(RpcArguments.Decoded(bytes, b => Transaction.Decode(b)));
    }

    public SendResultDto SendTransaction(string fromaddress, string toaddress, JsonElement amount, ulong? maxfeepergas = null, ulong? maxpriorityfeepergas = null)
    {
        var sender = RpcArguments.Address(fromaddress, _network, "from address");
        var recipient = RpcArguments.Address(toaddress, _network, "to address");
        var value = RpcArguments.Amount(amount);
        var key = _wallet.GetKey(sender) ?? throw new RpcException(RpcErrorCode.WalletError, $"Private key for address {fromaddress} is not known");
        var priority = maxpriorityfeepergas ?? 1;
        var maxFee = maxfeepergas ?? checked(2 * _chain.NextBaseFee + priority);
        var nonce = _pool.PendingNonce(sender, _chain.GetAccount(sender));
        var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, _chain.Parameters.ChainId, nonce, recipient, value, maxFee, priority, IntrinsicGas.Base);
        var transaction = Transaction.Sign(unsigned, key);
        return new SendResultDto(Submit(transaction), nonce);
    }

    private string Submit(Transaction transaction)
    {
        if (_chain.GetTransaction(transaction.Id) is not null)
            throw new RpcException(RpcErrorCode.VerifyAlreadyInChain, $"transaction {transaction.Id} is already in block chain");
        if (_pool.Add(transaction, _chain.GetAccount, _chain.NextBaseFee) is { } rejection)
            throw RpcArguments.Rejected(rejection);
        return transaction.Id.ToString();
    }

    public Amount GetBalance(string address, JsonElement? block = null) => Account(RpcArguments.Address(address, _network), RpcArguments.BlockTag(block)).Balance;

    public ulong GetTransactionCount(string address, JsonElement? block = null)
    {
        var owner = RpcArguments.Address(address, _network);
        var tag = RpcArguments.BlockTag(block);
        var account = Account(owner, tag);
        return tag.Pending ? _pool.PendingNonce(owner, account) : account.Nonce;
    }

    private AccountState Account(Address address, BlockTag tag)
    {
        if (tag.Number is not { } number)
            return _chain.GetAccount(address);
        RequireBlock(number);
        try
        {
            return _chain.GetAccount(address, number);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw RpcException.InvalidParameter($"the state of block {number} is no longer retained");
        }
    }

    public ulong BlockNumber() => _chain.Head.Number;

    public object? GetBlockByNumber(JsonElement block, int verbosity = 1)
    {
        var number = RpcArguments.BlockTag(block).Number ?? _chain.Head.Number;
        RequireBlock(number);
        return Describe(_chain.GetBlock(number)!, verbosity);
    }

    public object? GetBlockByHash(string blockhash, int verbosity = 1)
    {
        var found = _chain.GetBlock(RpcArguments.Hash(blockhash, "blockhash"))
            ?? throw new RpcException(RpcErrorCode.InvalidAddressOrKey, "Block not found");
        return Describe(found, verbosity);
    }

    private object Describe(Block block, int verbosity)
    {
        if (verbosity is < 0 or > 2)
            throw RpcException.InvalidParameter("verbosity must be 0, 1 or 2");
        if (verbosity == 0)
            return Convert.ToHexStringLower(block.ToBytes());
        var tip = _chain.Head.Number;
        var header = block.Header;
        IReadOnlyList<object> transactions = verbosity == 1
            ? block.Transactions.Select(t => (object)t.Id.ToString()).ToList()
            : block.Transactions.Select((t, i) => (object)TransactionDto.Of(t, _network, block, i, tip)).ToList();
        return new BlockDto(block.Hash.ToString(), block.Number, tip - block.Number + 1, header.ParentHash.ToString(),
            header.StateRoot.ToHex(), header.TransactionsRoot.ToHex(), header.ReceiptsRoot.ToHex(), header.L1MessagesRoot.ToHex(),
            header.Sequencer.ToBase58(_network), header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee,
            header.L1AnchorHeight, header.L1AnchorHash.ToString(), block.ToBytes().Length, block.Transactions.Count, transactions,
            block.Signatures.Select(Convert.ToHexStringLower).ToList(),
            block.RecoverSigners(_chain.Parameters.ChainId)?.Select(a => a.ToBase58(_network)).ToList() ?? [], block.CommitRound);
    }

    public TransactionDto GetTransaction(string txid)
    {
        var id = RpcArguments.Hash(txid, "txid");
        if (_chain.GetTransaction(id) is { } stored)
            return TransactionDto.Of(stored.Transaction, _network, stored.Block, stored.Index, _chain.Head.Number);
        if (_pool.Get(id) is { } pending)
            return TransactionDto.Of(pending, _network, null, null, _chain.Head.Number);
        throw new RpcException(RpcErrorCode.InvalidAddressOrKey, "No such mempool or blockchain transaction");
    }

    public ReceiptDto? GetTransactionReceipt(string txid)
    {
        var id = RpcArguments.Hash(txid, "txid");
        if (_chain.GetTransaction(id) is not { } stored)
            return null;
        var receipt = ReceiptDtos.From(stored.Receipt, stored.Transaction, stored.Block, stored.Index, _network);
        return stored.Transaction.Type == TransactionType.Envelope && _chain.GetOpening(id) is { } opening
            ? receipt with { Opening = new OpeningDto(opening.Transaction.Id.ToString(), opening.Block.Number, opening.Receipt.Status == ReceiptStatus.Success ? "success" : "failed") }
            : receipt;
    }

    public ProofDto GetProof(string address, JsonElement? at = null)
    {
        var owner = RpcArguments.Address(address, _network);
        Hash256? root = null;
        ulong? asked = null;
        if (at is { ValueKind: JsonValueKind.String } text && text.GetString() is { Length: 64 } hex)
        {
            root = Hash256.TryFromHex(hex, out var parsed) ? parsed : throw RpcException.InvalidParameter("root must be 64 hex characters");
        }
        else if (RpcArguments.BlockTag(at, "at").Number is { } number)
        {
            RequireBlock(number);
            root = _chain.GetBlock(number)!.Header.StateRoot;
            asked = number;
        }
        State.AccountProof proof;
        try
        {
            proof = _chain.GetProof(owner, root);
        }
        catch (ArgumentException ex)
        {
            throw RpcException.InvalidParameter($"no retained state with that root: {ex.Message}");
        }
        var smt = proof.Proof;
        var account = proof.Account;
        // Blocks that change nothing share their parent's root: a proof asked at block N says N, one asked by root the newest block with it.
        return new ProofDto(owner.ToBase58(_network), proof.Root.ToHex(), asked ?? proof.Block, proof.Key.ToHex(), smt.Depth,
            smt.Siblings.Select(s => s.ToHex()).ToList(),
            smt.Leaf is { } leaf ? new ProofLeafDto(leaf.Key.ToHex(), leaf.ValueHash.ToHex()) : null,
            proof.Value is null ? null : Convert.ToHexStringLower(proof.Value),
            new AccountDto(account.Balance, account.Nonce, account.CodeHash.ToHex(), account.StorageRoot.ToHex(), account.HatScore, account.LastActivity),
            Convert.ToHexStringLower(smt.ToCompact()));
    }

    public ulong EstimateGas(string toaddress, string? data = null)
    {
        var recipient = RpcArguments.Address(toaddress, _network, "to address");
        var bytes = data is null ? [] : RpcArguments.Hex(data, "data");
        if (bytes.Length > Transaction.MaxDataBytes)
            throw RpcException.InvalidParameter($"data is at most {Transaction.MaxDataBytes} bytes");
        var probe = Transaction.CreateUnsigned(TransactionType.Transfer, _chain.Parameters.ChainId, 0, recipient, Amount.Zero, 0, 0, 0, bytes);
        return IntrinsicGas.Of(probe);
    }

    public FeeHistoryDto FeeHistory(int blockcount, JsonElement? newestblock = null)
    {
        if (blockcount is < 1 or > MaxFeeHistoryBlocks)
            throw RpcException.InvalidParameter($"blockcount must be 1..{MaxFeeHistoryBlocks}");
        var newest = RpcArguments.BlockTag(newestblock, "newestblock").Number ?? _chain.Head.Number;
        RequireBlock(newest);
        var oldest = newest + 1 >= (ulong)blockcount ? newest + 1 - (ulong)blockcount : 0;
        var baseFees = new List<ulong>();
        var ratios = new List<double>();
        var tips = new List<ulong>();
        BlockHeader? last = null;
        for (var number = oldest; number <= newest; number++)
        {
            var block = _chain.GetBlock(number)!;
            var header = block.Header;
            baseFees.Add(header.BaseFee);
            ratios.Add(header.GasLimit == 0 ? 0 : (double)header.GasUsed / header.GasLimit);
            var receipts = _chain.GetReceipts(number) ?? [];
            var blockTips = receipts.Select(r => r.GasPrice >= header.BaseFee ? r.GasPrice - header.BaseFee : 0).Order().ToList();
            tips.Add(blockTips.Count == 0 ? 0 : blockTips[blockTips.Count / 2]);
            last = header;
        }
        baseFees.Add(Chain.Execution.FeeMarket.NextBaseFee(last!.BaseFee, last.GasUsed, last.GasLimit, _chain.Parameters.MinGasPrice));
        return new FeeHistoryDto(oldest, baseFees, ratios, tips);
    }

    private void RequireBlock(ulong number)
    {
        var tip = _chain.Head.Number;
        if (number > tip)
            throw RpcException.InvalidParameter($"Block number {number} is after the tip {tip}");
    }
}
