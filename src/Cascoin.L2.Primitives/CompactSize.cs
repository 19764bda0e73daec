using System.Buffers.Binary;

namespace Cascoin.L2.Primitives;

/// <summary>
/// Bitcoin's variable-length integer: below 0xfd one byte; then 0xfd + uint16, 0xfe + uint32,
/// 0xff + uint64, little-endian. Canonical means the shortest form: a reader rejects e.g.
/// fd 00 00 (zero in three bytes).
/// </summary>
public static class CompactSize
{
    /// <summary>Bitcoin Core's MAX_SIZE (32 MiB): a sane bound for lengths when nothing tighter applies.</summary>
    public const ulong MaxSize = 0x02000000;

    public const int MaxEncodedSize = 9;

    /// <summary>The encoded size of <paramref name="value"/>: 1, 3, 5 or 9 bytes.</summary>
    public static int GetSize(ulong value) => value switch
    {
        < 0xfd => 1,
        <= ushort.MaxValue => 3,
        <= uint.MaxValue => 5,
        _ => 9,
    };

    /// <summary>Writes the canonical encoding and returns its size.</summary>
    /// <exception cref="ArgumentException">when <paramref name="destination"/> is too short.</exception>
    public static int Write(Span<byte> destination, ulong value)
    {
        int size = GetSize(value);
        if (destination.Length < size)
            throw new ArgumentException($"destination must hold {size} bytes", nameof(destination));
        switch (size)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 3:
                destination[0] = 0xfd;
                BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], (ushort)value);
                break;
            case 5:
                destination[0] = 0xfe;
                BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], (uint)value);
                break;
            default:
                destination[0] = 0xff;
                BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], value);
                break;
        }
        return size;
    }
}
