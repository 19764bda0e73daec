using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>One sequencer's stake on one chain: what is bonded, and what is unbonding until <see cref="ReleaseHeight"/>.</summary>
public sealed record StakeRecord(Amount Bonded, Amount Unbonding, ulong ReleaseHeight)
{
    public static StakeRecord None { get; } = new(Amount.Zero, Amount.Zero, 0);

    public bool IsEmpty => Bonded == Amount.Zero && Unbonding == Amount.Zero;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(24);
        writer.WriteAmount(Bonded);
        writer.WriteAmount(Unbonding);
        writer.WriteUInt64(ReleaseHeight);
        return writer.ToArray();
    }

    public static StakeRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var record = new StakeRecord(reader.ReadAmount(), reader.ReadAmount(), reader.ReadUInt64());
        reader.EnsureEnd();
        return record;
    }
}
