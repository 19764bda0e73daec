using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// The kind of a signed consensus message (SPEC §7). Every kind is signed over (chain, height,
/// round, step, block), so two signatures of one sequencer for one (height, round, step) and
/// different blocks are slashable evidence, whatever the step.
/// </summary>
public enum VoteStep : byte
{
    Proposal = 1,
    Prevote = 2,
    Precommit = 3,
}

/// <summary>
/// A sequencer's signed consensus message: a proposal of, or a prevote or precommit for,
/// <paramref name="Block"/> (zero for nil) at <paramref name="Round"/> of <paramref name="Height"/>.
/// The signer is whoever the 65-byte recoverable signature recovers to, so a vote cannot claim
/// someone else's stake. A finalized block carries the precommits of its commit round.
/// Encoding: <c>chainId u64 ‖ height u64 ‖ round u32 ‖ step u8 ‖ block (32) ‖ signature (65)</c>.
/// </summary>
public sealed record SignedVote(ulong ChainId, ulong Height, int Round, VoteStep Step, Hash256 Block, byte[] Signature)
{
    public const int EncodedSize = 8 + 8 + 4 + 1 + Hash256.Size + RecoverableSignature.Size;

    /// <summary>No honest round gets anywhere near this (timeouts grow with the round); it bounds what a decoder takes.</summary>
    public const int MaxRound = 1_000_000;

    private static readonly byte[] Domain = "CascoinL2/vote/v2"u8.ToArray();

    /// <summary>Whether this is a vote for nil.</summary>
    public bool IsNil => Block == Hash256.Zero;

    /// <summary>SHA-256d(domain ‖ chain id ‖ height ‖ round ‖ step ‖ block): binds the chain, so nothing replays across chains or kinds.</summary>
    public static Hash256 SigningHash(ulong chainId, ulong height, int round, VoteStep step, Hash256 block)
    {
        var writer = new SpanWriter(Domain.Length + EncodedSize - RecoverableSignature.Size);
        writer.WriteBytes(Domain);
        WriteMessage(writer, chainId, height, round, step, block);
        return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
    }

    public static SignedVote Sign(ulong chainId, ulong height, int round, VoteStep step, Hash256 block, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        Span<byte> hash = stackalloc byte[Hash256.Size];
        SigningHash(chainId, height, round, step, block).WriteTo(hash);
        return new SignedVote(chainId, height, round, step, block, key.SignRecoverable(hash).ToArray());
    }

    /// <summary>The signer's address, or null when the signature recovers no key.</summary>
    public Address? RecoverSigner()
    {
        Span<byte> hash = stackalloc byte[Hash256.Size];
        SigningHash(ChainId, Height, Round, Step, Block).WriteTo(hash);
        return RecoverableSignature.TryParse(Signature, out var signature) && signature.TryRecover(hash, out var key)
            ? Address.FromPublicKey(key.AsSpan())
            : null;
    }

    /// <summary>Same chain, height, round and step, another block: one signer of both is slashable.</summary>
    public bool ConflictsWith(SignedVote other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ChainId == other.ChainId && Height == other.Height && Round == other.Round && Step == other.Step && Block != other.Block;
    }

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteMessage(writer, ChainId, Height, Round, Step, Block);
        writer.WriteBytes(Signature);
    }

    /// <summary>The signed fields, in the order both the encoding and the signing hash use.</summary>
    private static void WriteMessage(SpanWriter writer, ulong chainId, ulong height, int round, VoteStep step, Hash256 block)
    {
        writer.WriteUInt64(chainId);
        writer.WriteUInt64(height);
        writer.WriteUInt32((uint)round);
        writer.WriteByte((byte)step);
        writer.WriteHash256(block);
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(EncodedSize);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a signed vote.</exception>
    public static SignedVote Read(ref SpanReader reader)
    {
        var chainId = reader.ReadUInt64();
        var height = reader.ReadUInt64();
        var round = reader.ReadUInt32();
        if (round > MaxRound)
            throw new DecodeException($"round {round} is beyond any failover");
        var step = reader.ReadByte();
        if (step is < (byte)VoteStep.Proposal or > (byte)VoteStep.Precommit)
            throw new DecodeException($"unknown vote step {step}");
        var block = reader.ReadHash256();
        var signature = reader.ReadBytes(RecoverableSignature.Size);
        return new SignedVote(chainId, height, (int)round, (VoteStep)step, block, signature);
    }

    /// <exception cref="DecodeException">not exactly one signed vote.</exception>
    public static SignedVote FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var vote = Read(ref reader);
        reader.EnsureEnd();
        return vote;
    }
}
