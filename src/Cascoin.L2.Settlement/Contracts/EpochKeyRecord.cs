using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// An epoch's encryption key as the registry keeps it (doc/encrypted-mempool.md): the members (the
/// sequencer set of L1 height <see cref="SetHeight"/>, in address order), the threshold, the joint key,
/// each member's verification key (what its decryption shares are checked against, on L2 and on L1),
/// the qualified dealers, and the L1 block that committed it.
/// </summary>
public sealed record EpochKeyRecord(ulong ChainId, ulong Epoch, ulong SetHeight, IReadOnlyList<Address> Members, int Threshold, byte[] PublicKey,
    IReadOnlyList<byte[]> VerificationKeys, IReadOnlyList<ushort> Qualified, ulong CommittedHeight)
{
    private const byte Version = 1;

    /// <summary>The key as shares are checked and combined against it: every member (1..n) holds a share.</summary>
    public Crypto.Threshold.ThresholdKey Key => new(PublicKey, Threshold, [.. Enumerable.Range(1, Members.Count)], VerificationKeys);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(128 + Members.Count * 60);
        writer.WriteByte(Version);
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Epoch);
        writer.WriteUInt64(SetHeight);
        writer.WriteCompactSize((ulong)Members.Count);
        for (var i = 0; i < Members.Count; i++)
        {
            writer.WriteAddress(Members[i]);
            writer.WriteBytes(VerificationKeys[i]);
        }
        writer.WriteUInt16((ushort)Threshold);
        writer.WriteBytes(PublicKey);
        writer.WriteCompactSize((ulong)Qualified.Count);
        foreach (var dealer in Qualified)
            writer.WriteUInt16(dealer);
        writer.WriteUInt64(CommittedHeight);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">on bytes that are not a record.</exception>
    public static EpochKeyRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        if (reader.ReadByte() != Version)
            throw new DecodeException("unknown epoch key record version");
        var (chainId, epoch, setHeight) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        var count = (int)reader.ReadCompactSize(L1.EpochKeyCall.MaxMembers);
        var members = new Address[count];
        var keys = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            members[i] = reader.ReadAddress();
            keys[i] = reader.ReadBytes(L1.EpochKeyCall.PointSize);
        }
        var threshold = reader.ReadUInt16();
        var key = reader.ReadBytes(L1.EpochKeyCall.PointSize);
        var qualified = new ushort[(int)reader.ReadCompactSize(L1.EpochKeyCall.MaxMembers)];
        for (var i = 0; i < qualified.Length; i++)
            qualified[i] = reader.ReadUInt16();
        var committed = reader.ReadUInt64();
        reader.EnsureEnd();
        return new EpochKeyRecord(chainId, epoch, setHeight, members, threshold, key, keys, qualified, committed);
    }
}
