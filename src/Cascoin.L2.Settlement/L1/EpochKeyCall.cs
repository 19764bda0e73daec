using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// Registry: an epoch's threshold encryption key for the encrypted mempool (doc/encrypted-mempool.md),
/// as the members' DKG made it, certified by members of the sequencer set of L1 height
/// <see cref="SetHeight"/> holding more than 2/3 of its weight. The members are that set in address
/// order (member i at position i − 1); each signature is a recoverable one over <see cref="Digest"/>.
/// </summary>
public sealed record EpochKeyCall(ulong ChainId, ulong Epoch, ulong SetHeight, byte[] PublicKey, IReadOnlyList<byte[]> VerificationKeys,
    IReadOnlyList<ushort> Qualified, IReadOnlyList<byte[]> Signatures) : L1Call
{
    /// <summary>The largest sequencer set a key covers.</summary>
    public const int MaxMembers = 256;

    public const int PointSize = 33;

    public override L1TransactionKind Kind => L1TransactionKind.CommitEpochKey;

    protected override void Write(SpanWriter writer)
    {
        WriteBody(writer);
        writer.WriteCompactSize((ulong)Signatures.Count);
        foreach (var signature in Signatures)
            writer.WriteBytes(signature);
    }

    /// <summary>What the members sign: SHA-256d("cascoin-l2-epoch-key-v1" ‖ the call without its signatures).</summary>
    public Hash256 Digest
    {
        get
        {
            var writer = new SpanWriter(128);
            writer.WriteBytes("cascoin-l2-epoch-key-v1"u8);
            WriteBody(writer);
            return new Hash256(Hashes.Sha256d(writer.ToArray()));
        }
    }

    private void WriteBody(SpanWriter writer)
    {
        if (PublicKey.Length != PointSize || VerificationKeys.Any(k => k.Length != PointSize) || Signatures.Any(s => s.Length != RecoverableSignature.Size))
            throw new ArgumentException("an epoch key call holds 33-byte points and 65-byte signatures");
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Epoch);
        writer.WriteUInt64(SetHeight);
        writer.WriteBytes(PublicKey);
        writer.WriteCompactSize((ulong)VerificationKeys.Count);
        foreach (var key in VerificationKeys)
            writer.WriteBytes(key);
        writer.WriteCompactSize((ulong)Qualified.Count);
        foreach (var dealer in Qualified)
            writer.WriteUInt16(dealer);
    }

    internal static EpochKeyCall Read(ref SpanReader reader)
    {
        var (chainId, epoch, setHeight) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        var key = reader.ReadBytes(PointSize);
        var keys = new byte[(int)reader.ReadCompactSize(MaxMembers)][];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = reader.ReadBytes(PointSize);
        var qualified = new ushort[(int)reader.ReadCompactSize(MaxMembers)];
        for (var i = 0; i < qualified.Length; i++)
            qualified[i] = reader.ReadUInt16();
        var signatures = new byte[(int)reader.ReadCompactSize(MaxMembers)][];
        for (var i = 0; i < signatures.Length; i++)
            signatures[i] = reader.ReadBytes(RecoverableSignature.Size);
        return new EpochKeyCall(chainId, epoch, setHeight, key, keys, qualified, signatures);
    }
}
