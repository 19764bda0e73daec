using System.Buffers.Binary;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Bridge;

/// <summary>
/// The L2 state records that the settlement layer proves against anchored roots: withdrawals and
/// L2→L1 messages (keyed by the L2 transaction that made them), the delivered L1→L2 queue entries,
/// and the queue cursor. Being in the state tree makes them part of the state root.
/// </summary>
public static class BridgeKeys
{
    public static Hash256 Withdrawal(Hash256 transactionId) => StateKeys.ForNamespace("l2/withdrawal", transactionId.ToArray());

    public static Hash256 Message(Hash256 transactionId) => StateKeys.ForNamespace("l2/message", transactionId.ToArray());

    public static Hash256 Delivered(ulong sequence) => StateKeys.ForNamespace("l2/delivered", U64(sequence));

    public static Hash256 Cursor { get; } = StateKeys.ForNamespace("l2/cursor", []);

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}

/// <summary>
/// A withdrawal burned on L2 at <paramref name="Block"/> by <paramref name="Owner"/>, payable on L1 to
/// <paramref name="Recipient"/>. The owner is kept because the fast path depends on the owner's score,
/// not on whoever submits the finalization on L1.
/// </summary>
/// <param name="OwnerScore">
/// The owner's aggregate reputation when it withdrew (doc/reputation.md): the L1 bridge reads it from
/// the proven record, so the fast path follows the score the L2 gave, not the L1 score alone.
/// </param>
public sealed record WithdrawalRecord(Address Owner, Address Recipient, Amount Amount, ulong Block, byte OwnerScore)
{
    public const int EncodedSize = Address.Size + Address.Size + 8 + 8 + 1;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(EncodedSize);
        writer.WriteAddress(Owner);
        writer.WriteAddress(Recipient);
        writer.WriteAmount(Amount);
        writer.WriteUInt64(Block);
        writer.WriteByte(OwnerScore);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a withdrawal record.</exception>
    public static WithdrawalRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var record = new WithdrawalRecord(reader.ReadAddress(), reader.ReadAddress(), reader.ReadAmount(), reader.ReadUInt64(), reader.ReadByte());
        reader.EnsureEnd();
        if (!record.Amount.IsMoneyRange)
            throw new DecodeException("withdrawal amount outside 0..MaxMoney");
        if (record.OwnerScore > 100)
            throw new DecodeException($"owner score {record.OwnerScore} is above 100");
        return record;
    }
}

/// <summary>An L2→L1 message sent at <paramref name="Block"/>: its bytes reach <paramref name="Target"/> on L1 unchanged.</summary>
public sealed record L2MessageRecord(Address Sender, Address Target, ulong Block, byte[] Data)
{
    public byte[] ToBytes()
    {
        var writer = new SpanWriter(64 + Data.Length);
        writer.WriteAddress(Sender);
        writer.WriteAddress(Target);
        writer.WriteUInt64(Block);
        writer.WriteVarBytes(Data);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a message record.</exception>
    public static L2MessageRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var record = new L2MessageRecord(reader.ReadAddress(), reader.ReadAddress(), reader.ReadUInt64(), reader.ReadVarBytes(Transactions.Transaction.MaxDataBytes));
        reader.EnsureEnd();
        return record;
    }
}

/// <summary>How far the L2 has consumed its chain's L1 queues (deposits and messages; forced transactions).</summary>
public readonly record struct QueueCursor(ulong L1Messages, ulong Forced)
{
    public byte[] ToBytes()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, L1Messages);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), Forced);
        return bytes;
    }

    public static QueueCursor FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 16
            ? new QueueCursor(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]))
            : throw new DecodeException($"a queue cursor is 16 bytes, got {bytes.Length}");
}
