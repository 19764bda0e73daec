using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// An accepted batch anchor: pending until <see cref="PostedHeight"/> + the challenge period, then
/// final. Everything but the poster and the posting height comes from the certified headers:
/// <see cref="BlockRootsRoot"/> is the Merkle root of the state root after each block of the range
/// (what a fraud-proof game bisects over), <see cref="DataRoot"/> the DA commitment of the batch data
/// (<see cref="DataLength"/> compressed bytes, which fix the shard layout),
/// <see cref="LastL1AnchorHeight"/> the L1 block the last one references (the next anchor's headers may
/// not go back before it), <see cref="SetHeight"/> the L1 height whose sequencer set signed, and
/// <see cref="Signers"/> who signed (they answer for a forced transaction the batch left out).
/// </summary>
public sealed record AnchorRecord(
    ulong Index,
    ulong FirstBlock,
    ulong LastBlock,
    Hash256 StateRoot,
    Hash256 LastBlockHash,
    Hash256 DataRoot,
    int DataLength,
    ulong L1MessagesProcessed,
    ulong ForcedProcessed,
    Address Poster,
    ulong PostedHeight,
    Hash256 BlockRootsRoot,
    ulong LastL1AnchorHeight,
    ulong SetHeight,
    IReadOnlyList<Address> Signers)
{
    public bool IsFinalAt(ulong height, ulong challengePeriod) => height >= PostedHeight + challengePeriod;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(256 + Address.Size * Signers.Count);
        writer.WriteUInt64(Index);
        writer.WriteUInt64(FirstBlock);
        writer.WriteUInt64(LastBlock);
        writer.WriteHash256(StateRoot);
        writer.WriteHash256(LastBlockHash);
        writer.WriteHash256(DataRoot);
        writer.WriteInt32(DataLength);
        writer.WriteUInt64(L1MessagesProcessed);
        writer.WriteUInt64(ForcedProcessed);
        writer.WriteAddress(Poster);
        writer.WriteUInt64(PostedHeight);
        writer.WriteHash256(BlockRootsRoot);
        writer.WriteUInt64(LastL1AnchorHeight);
        writer.WriteUInt64(SetHeight);
        writer.WriteCompactSize((ulong)Signers.Count);
        foreach (var signer in Signers)
            writer.WriteAddress(signer);
        return writer.ToArray();
    }

    public static AnchorRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var record = new AnchorRecord(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadHash256(), reader.ReadHash256(),
            reader.ReadHash256(), reader.ReadInt32(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadAddress(), reader.ReadUInt64(), reader.ReadHash256(), reader.ReadUInt64(),
            reader.ReadUInt64(), ReadSigners(ref reader));
        reader.EnsureEnd();
        return record;
    }

    private static Address[] ReadSigners(ref SpanReader reader)
    {
        var signers = new Address[(int)reader.ReadCompactSize(Cascoin.L2.Chain.Blocks.Block.MaxSignatures)];
        for (var i = 0; i < signers.Length; i++)
            signers[i] = reader.ReadAddress();
        return signers;
    }
}
