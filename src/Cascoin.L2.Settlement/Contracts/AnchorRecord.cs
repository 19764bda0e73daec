using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>An accepted batch anchor: pending until <see cref="PostedHeight"/> + the challenge period, then final.</summary>
public sealed record AnchorRecord(
    ulong Index,
    ulong FirstBlock,
    ulong LastBlock,
    Hash256 StateRoot,
    Hash256 LastBlockHash,
    Hash256 DataHash,
    ulong L1MessagesProcessed,
    ulong ForcedProcessed,
    Address Poster,
    ulong PostedHeight)
{
    public bool IsFinalAt(ulong height, ulong challengePeriod) => height >= PostedHeight + challengePeriod;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(200);
        writer.WriteUInt64(Index);
        writer.WriteUInt64(FirstBlock);
        writer.WriteUInt64(LastBlock);
        writer.WriteHash256(StateRoot);
        writer.WriteHash256(LastBlockHash);
        writer.WriteHash256(DataHash);
        writer.WriteUInt64(L1MessagesProcessed);
        writer.WriteUInt64(ForcedProcessed);
        writer.WriteAddress(Poster);
        writer.WriteUInt64(PostedHeight);
        return writer.ToArray();
    }

    public static AnchorRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var record = new AnchorRecord(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadHash256(), reader.ReadHash256(),
            reader.ReadHash256(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadAddress(), reader.ReadUInt64());
        reader.EnsureEnd();
        return record;
    }
}
