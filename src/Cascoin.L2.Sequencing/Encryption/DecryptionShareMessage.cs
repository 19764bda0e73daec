using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>What an <c>l2decshare</c> message carries.</summary>
public enum DecryptionShareKind : byte
{
    /// <summary>A member's shares of every envelope of one key epoch in a final block, with one proof (<see cref="BatchDecryptionShare"/>).</summary>
    Batch = 1,

    /// <summary>A leader asks for single shares of one envelope: the block's batches opened it to a secret its key commitment does not match.</summary>
    Request = 2,

    /// <summary>A member's single share of one envelope, with its own proof (<see cref="ThresholdEncryption.CreateShare"/>): t of them prove that it opens to nothing.</summary>
    Single = 3,
}

/// <summary>
/// <c>l2decshare</c>: decryption shares of the envelopes of a final L2 block (doc/encrypted-mempool.md).
/// The shares carry their own proofs against the members' verification keys on L1. A batch also
/// carries the commit certificate its member held for the block and the member's signature over the
/// release (<see cref="ShareRelease.Digest"/>): evidence on L1 when the certificate does not certify
/// the block. Bytes: chain u64 ‖ block u64 ‖ block hash 32 ‖ epoch u64 ‖ kind u8 ‖ envelope index u32
/// (the position among the block's envelopes of the epoch; 0 for a batch) ‖ share (CompactSize ‖
/// bytes) ‖ certificate (round u32 ‖ CompactSize n ‖ n × 65; empty but for a batch) ‖ signature
/// (CompactSize ‖ 65 bytes for a batch, 0 otherwise), little-endian.
/// </summary>
public sealed record DecryptionShareMessage(ulong ChainId, ulong Block, Hash256 BlockHash, ulong Epoch, DecryptionShareKind Kind, uint Index, byte[] Share)
{
    public const string Command = "l2decshare";

    /// <summary>A batch for the most envelopes one batch covers.</summary>
    public const int MaxShareBytes = 6 + BatchDecryptionShare.MaxCiphertexts * 33 + 64;

    /// <summary>A batch's: the commit certificate its member held for the block when it made the shares.</summary>
    public CommitCertificate Certificate { get; init; } = CommitCertificate.Empty;

    /// <summary>A batch's: the member's recoverable signature over <see cref="ReleaseDigest"/>, by its sequencer key.</summary>
    public byte[] Signature { get; init; } = [];

    /// <summary>What a batch's member signs (<see cref="ShareRelease.Digest"/>).</summary>
    public Hash256 ReleaseDigest => ShareRelease.Digest(ChainId, Block, BlockHash, Epoch, Share, Certificate.Hash);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(80 + Share.Length + Signature.Length + Certificate.Signatures.Count * RecoverableSignature.Size);
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Block);
        writer.WriteHash256(BlockHash);
        writer.WriteUInt64(Epoch);
        writer.WriteByte((byte)Kind);
        writer.WriteUInt32(Index);
        writer.WriteVarBytes(Share);
        Certificate.WriteTo(writer);
        writer.WriteVarBytes(Signature);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">on bytes that are not such a message.</exception>
    public static DecryptionShareMessage Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var (chainId, block, hash, epoch) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadHash256(), reader.ReadUInt64());
        var kind = reader.ReadByte();
        if (kind is < (byte)DecryptionShareKind.Batch or > (byte)DecryptionShareKind.Single)
            throw new DecodeException($"unknown decryption share kind {kind}");
        var message = new DecryptionShareMessage(chainId, block, hash, epoch, (DecryptionShareKind)kind, reader.ReadUInt32(), reader.ReadVarBytes(MaxShareBytes))
        {
            Certificate = CommitCertificate.Read(ref reader),
            Signature = reader.ReadVarBytes(RecoverableSignature.Size),
        };
        reader.EnsureEnd();
        if (message.Signature.Length is not (0 or RecoverableSignature.Size))
            throw new DecodeException($"a release signature is {RecoverableSignature.Size} bytes, not {message.Signature.Length}");
        return message;
    }
}
