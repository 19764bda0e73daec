using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>A sequencer's verdict on a proposed block.</summary>
public enum VoteKind : byte
{
    Accept = 1,
    Reject = 2,
    Abstain = 3,
}

/// <summary>
/// L2VOTE (SPEC §7): a sequencer's signed verdict on the block <paramref name="BlockHash"/> proposed
/// at <paramref name="Height"/> of chain <paramref name="ChainId"/>. The voter is whoever the 65-byte
/// recoverable signature recovers to, so a vote cannot claim someone else's stake. An ACCEPT signs
/// exactly the block's seal hash, so the ACCEPTs that finalize a block are the signatures it then
/// carries (the header hash commits to the height); REJECT and ABSTAIN sign a domain-tagged hash.
/// Encoding: <c>chainId u64 ‖ height u64 ‖ blockHash (32) ‖ kind u8 ‖ signature (65)</c>.
/// </summary>
public sealed record L2Vote(ulong ChainId, ulong Height, Hash256 BlockHash, VoteKind Kind, byte[] Signature)
{
    public const int EncodedSize = 8 + 8 + Hash256.Size + 1 + RecoverableSignature.Size;

    private static readonly byte[] Domain = "CascoinL2/vote/v1"u8.ToArray();

    /// <summary>What the voter signs: for ACCEPT the block's seal hash; otherwise SHA-256d(domain ‖ chain id ‖ height ‖ block hash ‖ kind).</summary>
    public static Hash256 SigningHash(ulong chainId, ulong height, Hash256 blockHash, VoteKind kind)
    {
        if (kind == VoteKind.Accept)
            return Block.SealHash(chainId, blockHash);
        var writer = new SpanWriter(Domain.Length + 49);
        writer.WriteBytes(Domain);
        writer.WriteUInt64(chainId);
        writer.WriteUInt64(height);
        writer.WriteHash256(blockHash);
        writer.WriteByte((byte)kind);
        return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
    }

    public static L2Vote Sign(ulong chainId, ulong height, Hash256 blockHash, VoteKind kind, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[Hash256.Size];
        SigningHash(chainId, height, blockHash, kind).WriteTo(hash);
        return new L2Vote(chainId, height, blockHash, kind, key.SignRecoverable(hash).ToArray());
    }

    /// <summary>The voter's address, or null when the signature recovers no key.</summary>
    public Address? RecoverVoter()
    {
        Span<byte> hash = stackalloc byte[Hash256.Size];
        SigningHash(ChainId, Height, BlockHash, Kind).WriteTo(hash);
        return RecoverableSignature.TryParse(Signature, out var signature) && signature.TryRecover(hash, out var key)
            ? Address.FromPublicKey(key.AsSpan())
            : null;
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(EncodedSize);
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Height);
        writer.WriteHash256(BlockHash);
        writer.WriteByte((byte)Kind);
        writer.WriteBytes(Signature);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a vote.</exception>
    public static L2Vote FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var chainId = reader.ReadUInt64();
        var height = reader.ReadUInt64();
        var blockHash = reader.ReadHash256();
        var kind = reader.ReadByte();
        if (kind is < (byte)VoteKind.Accept or > (byte)VoteKind.Abstain)
            throw new DecodeException($"unknown vote kind {kind}");
        var signature = reader.ReadBytes(RecoverableSignature.Size);
        reader.EnsureEnd();
        return new L2Vote(chainId, height, blockHash, (VoteKind)kind, signature);
    }
}
