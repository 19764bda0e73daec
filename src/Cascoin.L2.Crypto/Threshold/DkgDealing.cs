using System.Buffers.Binary;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// One dealer's broadcast in the Pedersen phase of the DKG (doc/encrypted-mempool.md): commitments
/// E_k = a_k·G + b_k·H to the t coefficients of its secret polynomial f and of a blinding polynomial
/// f′ (they hide f entirely, so no dealer can choose its polynomial after seeing the others'), and
/// the pair (f(j), f′(j)) of every member j sealed to j's key.
/// Bytes: dealer u16 ‖ t u16 ‖ t × 33 ‖ n u16 ‖ n × 113, big-endian.
/// </summary>
public sealed record DkgDealing(int Dealer, IReadOnlyList<byte[]> Commitments, IReadOnlyList<byte[]> Shares)
{
    public byte[] ToBytes()
    {
        var output = new byte[6 + Commitments.Count * Group.PointSize + Shares.Count * ShareBox.Size];
        var span = output.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, checked((ushort)Dealer));
        var at = 2 + DkgEncoding.WriteList(Commitments, Group.PointSize, span[2..]);
        DkgEncoding.WriteList(Shares, ShareBox.Size, span[at..]);
        return output;
    }

    /// <summary>A dealing's bytes, or null when they are not one (sizes only; <see cref="DkgSession"/> checks the contents).</summary>
    public static DkgDealing? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
            return null;
        var dealer = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        var at = 2;
        if (DkgEncoding.ReadList(bytes, ref at, Group.PointSize) is not { Count: > 0 } commitments || DkgEncoding.ReadList(bytes, ref at, ShareBox.Size) is not { } shares
            || at != bytes.Length)
            return null;
        return new DkgDealing(dealer, commitments, shares);
    }
}

/// <summary>Member <paramref name="Member"/> says the share pair dealer <paramref name="Dealer"/> sealed to it is missing or does not match the Pedersen commitments.</summary>
public sealed record DkgComplaint(int Dealer, int Member);

/// <summary>The dealer's public answer to a complaint: the member's share pair (64 bytes) in the clear, which everyone checks against the dealer's Pedersen commitments.</summary>
public sealed record DkgReveal(int Dealer, int Member, byte[] Share);

/// <summary>
/// A qualified dealer's second broadcast: the Feldman commitments A_k = a_k·G to its secret
/// polynomial's coefficients, from which the key and the verification keys are computed.
/// Bytes: dealer u16 ‖ t u16 ‖ t × 33.
/// </summary>
public sealed record DkgExposure(int Dealer, IReadOnlyList<byte[]> Commitments)
{
    public byte[] ToBytes()
    {
        var output = new byte[4 + Commitments.Count * Group.PointSize];
        BinaryPrimitives.WriteUInt16BigEndian(output, checked((ushort)Dealer));
        DkgEncoding.WriteList(Commitments, Group.PointSize, output.AsSpan(2));
        return output;
    }

    public static DkgExposure? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
            return null;
        var at = 2;
        return DkgEncoding.ReadList(bytes, ref at, Group.PointSize) is { Count: > 0 } commitments && at == bytes.Length
            ? new DkgExposure(BinaryPrimitives.ReadUInt16BigEndian(bytes), commitments)
            : null;
    }
}

/// <summary>
/// Member <paramref name="Member"/>'s public proof that a dealer's exposure is false: its share pair
/// (64 bytes), which matches the dealer's Pedersen commitments but not its Feldman ones. Everyone
/// checks both; a true one makes the members rebuild that dealer's polynomial in public.
/// </summary>
public sealed record DkgExposureComplaint(int Dealer, int Member, byte[] Share);

/// <summary>Member <paramref name="Member"/>'s share pair (64 bytes) from a dealer whose exposure is missing or false, published so that any t of them rebuild the dealer's polynomial.</summary>
public sealed record DkgReconstruction(int Dealer, int Member, byte[] Share);

/// <summary>Lists of fixed-size items as the DKG messages write them: count u16 ‖ items.</summary>
internal static class DkgEncoding
{
    public static int WriteList(IReadOnlyList<byte[]> items, int size, Span<byte> to)
    {
        BinaryPrimitives.WriteUInt16BigEndian(to, checked((ushort)items.Count));
        var at = 2;
        foreach (var item in items)
        {
            if (item.Length != size)
                throw new ArgumentException($"a DKG message field of {item.Length} bytes where {size} belong");
            item.CopyTo(to[at..]);
            at += size;
        }
        return at;
    }

    public static List<byte[]>? ReadList(ReadOnlySpan<byte> bytes, ref int at, int size)
    {
        if (bytes.Length < at + 2)
            return null;
        var count = BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
        at += 2;
        if (count > ThresholdKey.MaxMembers || bytes.Length < at + count * size)
            return null;
        var items = new List<byte[]>(count);
        for (var i = 0; i < count; i++, at += size)
            items.Add(bytes.Slice(at, size).ToArray());
        return items;
    }
}
