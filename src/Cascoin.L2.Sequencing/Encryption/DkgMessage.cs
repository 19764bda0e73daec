using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>What a DKG message carries (doc/encrypted-mempool.md), in the order of the run's phases.</summary>
public enum DkgMessageKind : byte
{
    Dealing = 1,
    Complaint = 2,
    Reveal = 3,
    Exposure = 4,
    ExposureComplaint = 5,
    Reconstruction = 6,

    /// <summary>The member's signature over the epoch key call it computed.</summary>
    Signature = 7,
}

/// <summary>
/// One member's message in an epoch's DKG run, signed with its sequencer key so that every member
/// knows who sent it, whoever relayed it. The run is named by chain, epoch and set height.
/// Bytes: chain u64 ‖ epoch u64 ‖ set height u64 ‖ sender u16 ‖ kind u8 ‖ payload (CompactSize ‖
/// bytes) ‖ signature 65, little-endian; the signature is over SHA-256d("cascoin-l2-dkg-message-v1"
/// ‖ everything before it).
/// </summary>
public sealed record DkgMessage(ulong ChainId, ulong Epoch, ulong SetHeight, ushort Sender, DkgMessageKind Kind, byte[] Payload, byte[] Signature)
{
    /// <summary>The largest payload: a dealing for the largest member set.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    public Hash256 SigningHash
    {
        get
        {
            var writer = new SpanWriter(64 + Payload.Length);
            writer.WriteBytes("cascoin-l2-dkg-message-v1"u8);
            WriteBody(writer);
            return new Hash256(Hashes.Sha256d(writer.ToArray()));
        }
    }

    /// <summary>The signer's address, or null when the signature does not recover.</summary>
    public Address? Signer => SignatureSigners.Recover(Signature, SigningHash.ToArray());

    public static DkgMessage Sign(ulong chainId, ulong epoch, ulong setHeight, ushort sender, DkgMessageKind kind, byte[] payload, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var unsigned = new DkgMessage(chainId, epoch, setHeight, sender, kind, payload, new byte[RecoverableSignature.Size]);
        return unsigned with { Signature = key.SignRecoverable(unsigned.SigningHash.ToArray()).ToArray() };
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(96 + Payload.Length);
        WriteBody(writer);
        writer.WriteBytes(Signature);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">on bytes that are not a DKG message.</exception>
    public static DkgMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var (chainId, epoch, setHeight, sender) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt16());
        var kind = reader.ReadByte();
        if (kind is < (byte)DkgMessageKind.Dealing or > (byte)DkgMessageKind.Signature)
            throw new DecodeException($"unknown DKG message kind {kind}");
        var message = new DkgMessage(chainId, epoch, setHeight, sender, (DkgMessageKind)kind, reader.ReadVarBytes(MaxPayloadBytes), reader.ReadBytes(RecoverableSignature.Size));
        reader.EnsureEnd();
        return message;
    }

    private void WriteBody(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Epoch);
        writer.WriteUInt64(SetHeight);
        writer.WriteUInt16(Sender);
        writer.WriteByte((byte)Kind);
        writer.WriteVarBytes(Payload);
    }
}
