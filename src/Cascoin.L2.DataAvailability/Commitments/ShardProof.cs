using Cascoin.L2.Primitives;

namespace Cascoin.L2.DataAvailability.Commitments;

/// <summary>One shard of a batch with the sibling hashes from its leaf up to the commitment's root (<see cref="ShardCommitment.Verifies"/>).</summary>
public sealed record ShardProof(int Index, byte[] Shard, IReadOnlyList<Hash256> Siblings)
{
    /// <summary>256 shards of at most 1 MiB each: 8 siblings; the bounds keep a peer's proof from costing more.</summary>
    public const int MaxSiblings = 8;

    public const int MaxShardBytes = 1024 * 1024;

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16((ushort)Index);
        writer.WriteVarBytes(Shard);
        writer.WriteCompactSize((ulong)Siblings.Count);
        foreach (var sibling in Siblings)
            writer.WriteHash256(sibling);
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(16 + Shard.Length + Siblings.Count * Hash256.Size);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not exactly one proof within the bounds.</exception>
    public static ShardProof Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var index = reader.ReadUInt16();
        var shard = reader.ReadVarBytes(MaxShardBytes);
        var count = (int)reader.ReadCompactSize(MaxSiblings);
        var siblings = new Hash256[count];
        for (var i = 0; i < count; i++)
            siblings[i] = reader.ReadHash256();
        reader.EnsureEnd();
        return new ShardProof(index, shard, siblings);
    }
}
