using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// Staking: evidence that member <see cref="Member"/> of an epoch key released decryption shares of
/// an L2 block before it was final (doc/encrypted-mempool.md, "Shares before finality"): its batch for
/// the block <see cref="Header"/> (proven over the envelopes' points <see cref="Points"/>), the commit
/// certificate it said it held, and its signed release; <see cref="Parent"/> fixes the block's
/// sequencer set. Slashed when that certificate does not certify the block.
/// </summary>
public sealed record EarlySharesCall(ulong ChainId, ulong Epoch, ushort Member, BlockHeader Header, BlockHeader Parent, IReadOnlyList<byte[]> Points,
    byte[] Batch, CommitCertificate Certificate, byte[] Signature) : L1Call
{
    public const int PointSize = 33;

    public override L1TransactionKind Kind => L1TransactionKind.ReportEarlyShares;

    protected override void Write(SpanWriter writer)
    {
        if (Points.Any(p => p.Length != PointSize) || Signature.Length != RecoverableSignature.Size)
            throw new ArgumentException("early-share evidence holds 33-byte points and a 65-byte signature");
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Epoch);
        writer.WriteUInt16(Member);
        Header.WriteTo(writer);
        Parent.WriteTo(writer);
        writer.WriteCompactSize((ulong)Points.Count);
        foreach (var point in Points)
            writer.WriteBytes(point);
        writer.WriteVarBytes(Batch);
        Certificate.WriteTo(writer);
        writer.WriteBytes(Signature);
    }

    /// <exception cref="DecodeException">on a malformed payload.</exception>
    internal static EarlySharesCall Read(ref SpanReader reader)
    {
        var (chainId, epoch, member) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt16());
        var (header, parent) = (BlockHeader.Read(ref reader), BlockHeader.Read(ref reader));
        var points = new byte[(int)reader.ReadCompactSize((ulong)(L1Transaction.MaxPayloadBytes / PointSize))][];
        for (var i = 0; i < points.Length; i++)
            points[i] = reader.ReadBytes(PointSize);
        return new EarlySharesCall(chainId, epoch, member, header, parent, points, reader.ReadVarBytes(L1Transaction.MaxPayloadBytes),
            CommitCertificate.Read(ref reader), reader.ReadBytes(RecoverableSignature.Size));
    }
}
