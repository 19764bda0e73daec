using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Bridge;

public enum L1MessageKind : byte
{
    /// <summary>Locked CAS to mint to <see cref="L1Message.Recipient"/> on L2.</summary>
    Deposit = 0,

    /// <summary>Data for <see cref="L1Message.Recipient"/> on L2.</summary>
    Message = 1,

    /// <summary>A user's L2 transaction (in <see cref="L1Message.Data"/>) the L2 must include.</summary>
    Forced = 2,
}

/// <summary>
/// An entry of a chain's L1→L2 queue (deposits and messages numbered together; forced
/// transactions in their own numbering), with the L1 height that queued it. The L2 consumes the
/// queue in order; its bytes reach L2 unchanged.
/// </summary>
public sealed record L1Message(L1MessageKind Kind, ulong Sequence, Address Sender, Address Recipient, Amount Amount, byte[] Data, ulong Height, Hash256 L1Transaction)
{
    /// <summary>The settlement chain's largest transaction payload.</summary>
    public const int MaxDataBytes = 256 * 1024;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(128 + Data.Length);
        writer.WriteByte((byte)Kind);
        writer.WriteUInt64(Sequence);
        writer.WriteAddress(Sender);
        writer.WriteAddress(Recipient);
        writer.WriteAmount(Amount);
        writer.WriteVarBytes(Data);
        writer.WriteUInt64(Height);
        writer.WriteHash256(L1Transaction);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a message record.</exception>
    public static L1Message FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var kind = reader.ReadByte();
        if (kind > (byte)L1MessageKind.Forced)
            throw new DecodeException($"unknown L1 message kind {kind}");
        var message = new L1Message((L1MessageKind)kind, reader.ReadUInt64(), reader.ReadAddress(), reader.ReadAddress(), reader.ReadAmount(),
            reader.ReadVarBytes(MaxDataBytes), reader.ReadUInt64(), reader.ReadHash256());
        reader.EnsureEnd();
        return message;
    }
}
