using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.State.Archive;

/// <summary>
/// An account moved out of the live tree: its exact record, and a compact membership proof of it
/// against the state root of the block before it left (<see cref="ProvenAtVersion"/>).
/// </summary>
public sealed record ArchivedAccount(Hash256 Key, AccountState Account, ulong ArchivedAtVersion, ulong ProvenAtVersion, Hash256 ProvenRoot, byte[] Proof)
{
    /// <summary>True when the proof shows <see cref="Account"/> under <see cref="ProvenRoot"/>.</summary>
    public bool Verify() => SmtVerifier.VerifyCompact(ProvenRoot, Key, Account.ToBytes(), Proof);

    /// <summary>The archive entry written when an archived account is restored: it hides the record from later versions.</summary>
    public static ReadOnlySpan<byte> RestoredMarker => [0];

    /// <summary>0x01 ‖ account (length-prefixed) ‖ archivedAt (u64) ‖ provenAt (u64) ‖ root (32) ‖ proof (length-prefixed).</summary>
    public byte[] ToBytes()
    {
        var writer = new SpanWriter();
        writer.WriteByte(1);
        writer.WriteVarBytes(Account.ToBytes());
        writer.WriteUInt64(ArchivedAtVersion);
        writer.WriteUInt64(ProvenAtVersion);
        writer.WriteHash256(ProvenRoot);
        writer.WriteVarBytes(Proof);
        return writer.ToArray();
    }

    /// <summary>Whether an archive entry is a <see cref="RestoredMarker"/>.</summary>
    public static bool IsRestoredMarker(ReadOnlySpan<byte> entry) => entry.SequenceEqual(RestoredMarker);

    /// <exception cref="DecodeException">malformed record.</exception>
    public static ArchivedAccount FromBytes(Hash256 key, ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        if (reader.ReadByte() != 1)
            throw new DecodeException("not an archive record");
        var account = AccountState.FromBytes(reader.ReadVarBytes(AccountState.EncodedSize));
        var archivedAt = reader.ReadUInt64();
        var provenAt = reader.ReadUInt64();
        var root = reader.ReadHash256();
        var proof = reader.ReadVarBytes(8 * 1024);
        reader.EnsureEnd();
        return new ArchivedAccount(key, account, archivedAt, provenAt, root, proof);
    }
}
