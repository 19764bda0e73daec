using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Execution;

/// <summary>
/// The envelopes ordered and not yet opened, in the state (so the state root commits to them and a
/// one-step proof can show them): entry <c>l2/envelope/queue ‖ seq</c> per envelope, and the cursor
/// <c>l2/envelopes</c> (next sequence to order, next to open). Entries are deleted as they are opened.
/// </summary>
public static class EnvelopeKeys
{
    public static Hash256 Entry(ulong sequence)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, sequence);
        return StateKeys.ForNamespace("l2/envelope/queue", bytes);
    }

    public static Hash256 Cursor { get; } = StateKeys.ForNamespace("l2/envelopes", []);
}

/// <summary>Envelopes ordered so far (<see cref="Next"/>) and opened so far (<see cref="Opened"/>); the ones between wait for their keys.</summary>
public readonly record struct EnvelopeCursor(ulong Next, ulong Opened)
{
    public ulong Waiting => Next - Opened;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(16);
        writer.WriteUInt64(Next);
        writer.WriteUInt64(Opened);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a cursor.</exception>
    public static EnvelopeCursor FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var cursor = new EnvelopeCursor(reader.ReadUInt64(), reader.ReadUInt64());
        reader.EnsureEnd();
        if (cursor.Opened > cursor.Next)
            throw new DecodeException("an envelope cursor opened more than it ordered");
        return cursor;
    }
}

/// <summary>An envelope waiting to be opened: the block that ordered it, its sender (recovered once, when ordered) and the envelope.</summary>
public sealed record QueuedEnvelope(ulong Block, Address Sender, Transaction Envelope)
{
    public byte[] ToBytes()
    {
        var writer = new SpanWriter(8 + Address.Size + Envelope.Size);
        writer.WriteUInt64(Block);
        writer.WriteAddress(Sender);
        Envelope.WriteTo(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a queued envelope.</exception>
    public static QueuedEnvelope FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var queued = new QueuedEnvelope(reader.ReadUInt64(), reader.ReadAddress(), Transaction.Read(ref reader));
        reader.EnsureEnd();
        if (queued.Envelope.Type != TransactionType.Envelope)
            throw new DecodeException("a queued envelope that is not an envelope");
        return queued;
    }
}
