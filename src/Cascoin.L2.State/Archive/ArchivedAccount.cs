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

    /// <summary>account (length-prefixed) ‖ archivedAt (u64) ‖ provenAt (u64) ‖ root (32) ‖ proof (length-prefixed).</summary>
    public byte[] ToBytes()
    {
        var writer = new SpanWriter();
        writer.WriteVarBytes(Account.ToBytes());
        writer.WriteUInt64(ArchivedAtVersion);
        writer.WriteUInt64(ProvenAtVersion);
        writer.WriteHash256(ProvenRoot);
        writer.WriteVarBytes(Proof);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">malformed record.</exception>
    public static ArchivedAccount FromBytes(Hash256 key, ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var account = AccountState.FromBytes(reader.ReadVarBytes(AccountState.EncodedSize));
        var archivedAt = reader.ReadUInt64();
        var provenAt = reader.ReadUInt64();
        var root = reader.ReadHash256();
        var proof = reader.ReadVarBytes(8 * 1024);
        reader.EnsureEnd();
        return new ArchivedAccount(key, account, archivedAt, provenAt, root, proof);
    }
}
