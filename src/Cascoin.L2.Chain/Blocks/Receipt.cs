using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>Whether a transaction did what it asked. Every transaction in a valid block succeeds today (no VM can revert).</summary>
public enum ReceiptStatus : byte
{
    Failed = 0,
    Success = 1,
}

/// <summary>
/// The outcome of one transaction in a block. Encoding: txid (32) ‖ status u8 ‖ gasUsed u64 ‖
/// cumulativeGasUsed u64 ‖ gasPrice u64 ‖ fee i64; the receipts root is the Merkle root of their SHA-256d.
/// </summary>
public sealed record Receipt(Hash256 TransactionId, ReceiptStatus Status, ulong GasUsed, ulong CumulativeGasUsed, ulong GasPrice, Amount Fee)
{
    public const int EncodedSize = 32 + 1 + 8 + 8 + 8 + 8;

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteHash256(TransactionId);
        writer.WriteByte((byte)Status);
        writer.WriteUInt64(GasUsed);
        writer.WriteUInt64(CumulativeGasUsed);
        writer.WriteUInt64(GasPrice);
        writer.WriteAmount(Fee);
    }

    public Hash256 Hash()
    {
        var writer = new SpanWriter(EncodedSize);
        WriteTo(writer);
        return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
    }

    /// <exception cref="DecodeException">on malformed input.</exception>
    public static Receipt Read(ref SpanReader reader)
    {
        var id = reader.ReadHash256();
        var status = reader.ReadByte();
        if (status > (byte)ReceiptStatus.Success)
            throw new DecodeException($"unknown receipt status {status}");
        var receipt = new Receipt(id, (ReceiptStatus)status, reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadAmount());
        if (!receipt.Fee.IsMoneyRange)
            throw new DecodeException($"receipt fee {receipt.Fee.Sat} sat is outside 0..MaxMoney");
        return receipt;
    }
}
