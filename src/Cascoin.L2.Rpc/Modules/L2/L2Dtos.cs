using System.Text.Json.Serialization;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Rpc.Modules.L2;

/// <summary>A transaction as RPC shows it. Ids and hashes in display order (byte-reversed), addresses in base58.</summary>
public sealed record TransactionDto(
    string TxId,
    string Type,
    ulong ChainId,
    ulong Nonce,
    string? From,
    string To,
    Amount Value,
    ulong MaxFeePerGas,
    ulong MaxPriorityFeePerGas,
    ulong Gas,
    string Data,
    int Size,
    string? BlockHash,
    ulong? BlockNumber,
    int? TransactionIndex,
    ulong Confirmations,
    string Hex)
{
    public static TransactionDto Of(Transaction transaction, NetworkParameters network, Block? block, int? index, ulong tip) => new(
        transaction.Id.ToString(),
        transaction.Type.ToString().ToLowerInvariant(),
        transaction.ChainId,
        transaction.Nonce,
        transaction.Sender?.ToBase58(network),
        transaction.To.ToBase58(network),
        transaction.Value,
        transaction.MaxFeePerGas,
        transaction.MaxPriorityFeePerGas,
        transaction.GasLimit,
        Convert.ToHexStringLower(transaction.Data),
        transaction.Size,
        block?.Hash.ToString(),
        block?.Number,
        index,
        block is null ? 0 : tip - block.Number + 1,
        Convert.ToHexStringLower(transaction.ToBytes()));
}

public sealed record ReceiptDto(
    string TxId,
    string BlockHash,
    ulong BlockNumber,
    int TransactionIndex,
    string From,
    string To,
    string Status,
    ulong GasUsed,
    ulong CumulativeGasUsed,
    ulong EffectiveGasPrice,
    Amount Fee)
{
    /// <summary>An envelope's: the transaction that opened it and whether its contents ran; absent for other transactions, and while the envelope waits.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public OpeningDto? Opening { get; init; }
}

/// <summary>Where an envelope was opened: the opening's id and block, and the status of the transaction it carried.</summary>
public sealed record OpeningDto(string TxId, ulong BlockNumber, string Status);

/// <summary>A block; <see cref="Tx"/> holds ids (verbosity 1) or transactions (verbosity 2).</summary>
public sealed record BlockDto(
    string Hash,
    ulong Number,
    ulong Confirmations,
    string ParentHash,
    string StateRoot,
    string TransactionsRoot,
    string ReceiptsRoot,
    string L1MessagesRoot,
    string Sequencer,
    ulong Timestamp,
    ulong GasLimit,
    ulong GasUsed,
    ulong BaseFeePerGas,
    ulong L1AnchorHeight,
    string L1AnchorHash,
    int Size,
    int NTx,
    IReadOnlyList<object> Tx,
    IReadOnlyList<string> Signatures,
    IReadOnlyList<string> Signers,
    int CommitRound);

/// <summary>SPEC §4's l2_getproof: hashes as plain hex in byte order, so anyone can verify with SHA-256 alone.</summary>
public sealed record ProofDto(
    string Address,
    string Root,
    ulong Block,
    string Key,
    int Depth,
    IReadOnlyList<string> Siblings,
    ProofLeafDto? Leaf,
    string? Value,
    AccountDto Account,
    string Proof);

public sealed record ProofLeafDto(string Key, string ValueHash);

public sealed record AccountDto(Amount Balance, ulong Nonce, string CodeHash, string StorageRoot, byte HatScore, ulong LastActivity);

public sealed record FeeHistoryDto(
    ulong OldestBlock,
    [property: JsonPropertyName("basefeepergas")] IReadOnlyList<ulong> BaseFeePerGas,
    [property: JsonPropertyName("gasusedratio")] IReadOnlyList<double> GasUsedRatio,
    [property: JsonPropertyName("medianpriorityfeepergas")] IReadOnlyList<ulong> MedianPriorityFeePerGas);

public sealed record SendResultDto(string TxId, ulong Nonce);

internal static class ReceiptDtos
{
    public static ReceiptDto From(Receipt receipt, Transaction transaction, Block block, int index, NetworkParameters network) => new(
        receipt.TransactionId.ToString(),
        block.Hash.ToString(),
        block.Number,
        index,
        transaction.Sender?.ToBase58(network) ?? "",
        transaction.To.ToBase58(network),
        receipt.Status == ReceiptStatus.Success ? "success" : "failed",
        receipt.GasUsed,
        receipt.CumulativeGasUsed,
        receipt.GasPrice,
        receipt.Fee);
}
