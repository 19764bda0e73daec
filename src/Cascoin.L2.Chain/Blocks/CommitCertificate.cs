using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// A block's finality certificate as the next block carries it: the commit round and the precommit
/// signatures (65 bytes each, over <see cref="Block.SealHash"/>). The next block pays the fee share to
/// its signers, so which certificate it carries decides balances: its header commits to
/// <see cref="Hash"/>. Encoding: round u32 ‖ CompactSize n ‖ n signatures. The empty certificate
/// (genesis has none; a chain without a sequencer set carries none) hashes to zero.
/// </summary>
public sealed record CommitCertificate(int Round, IReadOnlyList<byte[]> Signatures)
{
    public static CommitCertificate Empty { get; } = new(0, []);

    public bool IsEmpty => Round == 0 && Signatures.Count == 0;

    public Hash256 Hash
    {
        get
        {
            if (IsEmpty)
                return Hash256.Zero;
            var writer = new SpanWriter(8 + Signatures.Count * RecoverableSignature.Size);
            WriteTo(writer);
            return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
        }
    }

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt32((uint)Round);
        writer.WriteCompactSize((ulong)Signatures.Count);
        foreach (var signature in Signatures)
            writer.WriteBytes(signature);
    }

    /// <exception cref="DecodeException">a round beyond any failover, too many signatures, or short input.</exception>
    public static CommitCertificate Read(ref SpanReader reader)
    {
        var round = reader.ReadUInt32();
        if (round > SignedVote.MaxRound)
            throw new DecodeException($"commit round {round} is beyond any failover");
        var count = (int)reader.ReadCompactSize(Block.MaxSignatures);
        var signatures = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
            signatures.Add(reader.ReadBytes(RecoverableSignature.Size));
        return new CommitCertificate((int)round, signatures);
    }

    /// <summary>The signers of <paramref name="header"/> at <see cref="Round"/>, in order; null when a signature does not recover.</summary>
    public IReadOnlyList<Address>? RecoverSigners(ulong chainId, BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        Span<byte> hash = stackalloc byte[32];
        Block.SealHash(chainId, header, Round).WriteTo(hash);
        return SignatureSigners.RecoverAll(Signatures, hash);
    }
}
