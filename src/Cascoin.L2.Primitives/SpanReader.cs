using System.Buffers.Binary;

namespace Cascoin.L2.Primitives;

/// <summary>
/// Reads Bitcoin-style serialized data (little-endian integers, CompactSize lengths) from a span.
/// Every failure is a <see cref="DecodeException"/> saying what was wrong; every length is checked
/// against its limit and the remaining data before anything is allocated.
/// </summary>
/// <remarks>A ref struct: pass it by <c>ref</c>, or the callee reads a copy and the position is lost.</remarks>
public ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => ReadSpan(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(ReadSpan(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadSpan(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadSpan(8));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(ReadSpan(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(ReadSpan(8));

    /// <summary>One byte that must be 0 or 1.</summary>
    public bool ReadBool()
    {
        int offset = _position;
        byte b = ReadByte();
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new DecodeException($"invalid bool 0x{b:x2} at offset {offset} (must be 0 or 1)"),
        };
    }

    /// <summary>A canonical CompactSize of at most <paramref name="max"/>.</summary>
    public ulong ReadCompactSize(ulong max)
    {
        int offset = _position;
        byte first = ReadByte();
        ulong value;
        ulong minimum;
        switch (first)
        {
            case < 0xfd:
                value = first;
                minimum = 0;
                break;
            case 0xfd:
                value = ReadUInt16();
                minimum = 0xfd;
                break;
            case 0xfe:
                value = ReadUInt32();
                minimum = 0x10000;
                break;
            default:
                value = ReadUInt64();
                minimum = 0x100000000;
                break;
        }
        if (value < minimum)
            throw new DecodeException($"non-canonical CompactSize at offset {offset}: {value} encoded in {CompactSize.GetSize(minimum)} bytes");
        if (value > max)
            throw new DecodeException($"CompactSize {value} at offset {offset} exceeds limit {max}");
        return value;
    }

    /// <summary>A CompactSize length (of bytes or items) of at most <paramref name="maxLength"/>.</summary>
    public int ReadLength(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        int offset = _position;
        ulong length = ReadCompactSize(ulong.MaxValue);
        if (length > (ulong)maxLength)
            throw new DecodeException($"length {length} at offset {offset} exceeds limit {maxLength}");
        return (int)length;
    }

    /// <summary>The next <paramref name="count"/> bytes, without copying.</summary>
    public ReadOnlySpan<byte> ReadSpan(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > Remaining)
            throw new DecodeException($"unexpected end of data: {count} bytes needed at offset {_position}, {Remaining} left");
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    public byte[] ReadBytes(int count) => ReadSpan(count).ToArray();

    /// <summary>A CompactSize length of at most <paramref name="maxLength"/>, then that many bytes.</summary>
    public byte[] ReadVarBytes(int maxLength) => ReadBytes(ReadLength(maxLength));

    public Hash256 ReadHash256() => new(ReadSpan(Hash256.Size));

    public Address ReadAddress() => new(ReadSpan(Address.Size));

    /// <summary>Satoshis as a signed 64-bit integer (like Bitcoin's CAmount); range rules belong to the caller.</summary>
    public Amount ReadAmount() => Amount.FromSat(ReadInt64());

    /// <summary>Throws unless every byte has been read: a message is exactly its encoding, with nothing after it.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0)
            throw new DecodeException($"trailing bytes: {Remaining} after offset {_position}");
    }
}
