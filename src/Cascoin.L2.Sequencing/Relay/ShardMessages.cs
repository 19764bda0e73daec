using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Relay;

/// <summary>
/// Payloads of shard sampling (doc/da.md): <c>getshard</c> = chainId u64 ‖ batch u64 ‖ index u16;
/// <c>shard</c> = chainId u64 ‖ batch u64 ‖ index u16 ‖ found bool ‖ (if found) the <see cref="ShardProof"/>.
/// </summary>
public static class ShardMessages
{
    public const string GetShard = "getshard";
    public const string Shard = "shard";

    public static byte[] EncodeRequest(ulong chainId, ulong batch, int index)
    {
        var writer = new SpanWriter(18);
        writer.WriteUInt64(chainId);
        writer.WriteUInt64(batch);
        writer.WriteUInt16((ushort)index);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not exactly one request.</exception>
    public static (ulong ChainId, ulong Batch, int Index) DecodeRequest(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var request = (reader.ReadUInt64(), reader.ReadUInt64(), (int)reader.ReadUInt16());
        reader.EnsureEnd();
        return request;
    }

    public static byte[] EncodeReply(ulong chainId, ulong batch, int index, ShardProof? proof)
    {
        var writer = new SpanWriter(32 + (proof?.Shard.Length ?? 0) + 8 * Hash256.Size);
        writer.WriteUInt64(chainId);
        writer.WriteUInt64(batch);
        writer.WriteUInt16((ushort)index);
        writer.WriteBool(proof is not null);
        proof?.WriteTo(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not exactly one reply, or a proof for another index than the one asked.</exception>
    public static (ulong ChainId, ulong Batch, int Index, ShardProof? Proof) DecodeReply(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var chainId = reader.ReadUInt64();
        var batch = reader.ReadUInt64();
        var index = (int)reader.ReadUInt16();
        if (!reader.ReadBool())
        {
            reader.EnsureEnd();
            return (chainId, batch, index, null);
        }
        var proof = ShardProof.Decode(payload[(payload.Length - reader.Remaining)..]);
        if (proof.Index != index)
            throw new DecodeException($"a proof of shard {proof.Index} in the reply for shard {index}");
        return (chainId, batch, index, proof);
    }
}
