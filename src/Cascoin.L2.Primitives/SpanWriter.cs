using System.Buffers;
using System.Buffers.Binary;

namespace Cascoin.L2.Primitives;

/// <summary>
/// Writes Bitcoin-style serialized data into a growable buffer: the counterpart of
/// <see cref="SpanReader"/>. A class, so it can be handed to <c>WriteTo(SpanWriter)</c> methods
/// without losing position, and an <see cref="IBufferWriter{T}"/> for other APIs.
/// </summary>
public sealed class SpanWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _length;

    public SpanWriter(int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = initialCapacity == 0 ? [] : new byte[initialCapacity];
    }

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Forgets what was written and keeps the buffer, for reuse.</summary>
    public void Clear() => _length = 0;

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteCompactSize(ulong value) => CompactSize.Write(Reserve(CompactSize.GetSize(value)), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A CompactSize length, then the bytes.</summary>
    public void WriteVarBytes(ReadOnlySpan<byte> bytes)
    {
        WriteCompactSize((ulong)bytes.Length);
        WriteBytes(bytes);
    }

    public void WriteHash256(Hash256 hash) => hash.WriteTo(Reserve(Hash256.Size));

    public void WriteAddress(Address address) => address.WriteTo(Reserve(Address.Size));

    public void WriteAmount(Amount amount) => WriteInt64(amount.Sat);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _length)
            throw new InvalidOperationException("advanced past the buffer obtained");
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_length);
    }

    private Span<byte> Reserve(int count)
    {
        EnsureCapacity(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void EnsureCapacity(int extra)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extra);
        if (extra <= _buffer.Length - _length)
            return;
        long needed = (long)_length + extra;
        if (needed > Array.MaxLength)
            throw new InvalidOperationException($"serialized data would exceed {Array.MaxLength} bytes");
        long grown = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        Array.Resize(ref _buffer, (int)Math.Max(grown, 16));
    }
}
