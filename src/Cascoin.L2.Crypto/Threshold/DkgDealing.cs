using System.Buffers.Binary;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// One dealer's broadcast in a DKG (doc/encrypted-mempool.md): Feldman commitments C_k = a_k·G to the
/// t coefficients of its secret polynomial, a Schnorr proof of knowledge of a_0 bound to the epoch's
/// context and the dealer's index, and the share f(j) of every member j sealed to j's key.
/// Bytes: dealer u16 ‖ t u16 ‖ t × 33 ‖ proof 64 ‖ n u16 ‖ n × 81, big-endian.
/// </summary>
public sealed record DkgDealing(int Dealer, IReadOnlyList<byte[]> Commitments, byte[] Proof, IReadOnlyList<byte[]> Shares)
{
    public byte[] ToBytes()
    {
        var output = new byte[6 + Commitments.Count * Group.PointSize + SchnorrProof.Size + Shares.Count * ShareBox.Size];
        var span = output.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)Dealer));
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], checked((ushort)Commitments.Count));
        var at = 4;
        foreach (var commitment in Commitments)
            at += Copy(commitment, Group.PointSize, span[at..]);
        at += Copy(Proof, SchnorrProof.Size, span[at..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], checked((ushort)Shares.Count));
        at += 2;
        foreach (var share in Shares)
            at += Copy(share, ShareBox.Size, span[at..]);
        return output;
    }

    /// <summary>A dealing's bytes, or null when they are not one (sizes only; <see cref="DkgSession"/> checks the contents).</summary>
    public static DkgDealing? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4)
            return null;
        var dealer = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        var threshold = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        var at = 4;
        if (threshold is 0 or > ThresholdKey.MaxMembers || bytes.Length < at + threshold * Group.PointSize + SchnorrProof.Size + 2)
            return null;
        var commitments = new List<byte[]>(threshold);
        for (var k = 0; k < threshold; k++, at += Group.PointSize)
            commitments.Add(bytes.Slice(at, Group.PointSize).ToArray());
        var proof = bytes.Slice(at, SchnorrProof.Size).ToArray();
        at += SchnorrProof.Size;
        var members = BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
        at += 2;
        if (members > ThresholdKey.MaxMembers || bytes.Length != at + members * ShareBox.Size)
            return null;
        var shares = new List<byte[]>(members);
        for (var j = 0; j < members; j++, at += ShareBox.Size)
            shares.Add(bytes.Slice(at, ShareBox.Size).ToArray());
        return new DkgDealing(dealer, commitments, proof, shares);
    }

    private static int Copy(byte[] value, int size, Span<byte> to)
    {
        if (value.Length != size)
            throw new ArgumentException($"a dealing field of {value.Length} bytes where {size} belong");
        value.CopyTo(to);
        return size;
    }
}

/// <summary>Member <paramref name="Member"/> says the share dealer <paramref name="Dealer"/> sealed to it is missing or does not match the commitments.</summary>
public sealed record DkgComplaint(int Dealer, int Member);

/// <summary>The dealer's public answer to a complaint: the member's share in the clear, which everyone checks against the dealer's commitments.</summary>
public sealed record DkgReveal(int Dealer, int Member, byte[] Share);
