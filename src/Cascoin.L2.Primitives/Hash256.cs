using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Cascoin.L2.Primitives;

/// <summary>
/// A 32-byte hash (SHA-256d ids, state roots). The bytes are kept in the order the hash
/// function produced them, which is also the serialized order; only the display form
/// (<see cref="ToString"/>, <see cref="Parse"/>) is byte-reversed, exactly like Bitcoin's uint256.
/// </summary>
/// <remarks>
/// Ordering is byte-lexicographic over the stored bytes (Bitcoin's <c>uint256::operator&lt;</c>, a memcmp),
/// not numeric over the displayed value.
/// </remarks>
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    public const int Size = 32;
    private const int HexLength = Size * 2;

    // Each field holds 8 stored bytes read little-endian, so the layout is the same on every machine.
    private readonly ulong _u0;
    private readonly ulong _u1;
    private readonly ulong _u2;
    private readonly ulong _u3;

    public static Hash256 Zero => default;

    /// <exception cref="ArgumentException">unless <paramref name="bytes"/> is exactly 32 bytes.</exception>
    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"a Hash256 is {Size} bytes, got {bytes.Length}", nameof(bytes));
        _u0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _u1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _u2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        _u3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
    }

    public bool IsZero => (_u0 | _u1 | _u2 | _u3) == 0;

    /// <summary>
    /// The first 8 stored bytes as a little-endian integer. A cheap hash-table key for values that
    /// are already uniform digests of content nobody controls (tree node hashes); use
    /// <see cref="GetHashCode"/> for anything a peer could choose.
    /// </summary>
    public ulong Low64 => _u0;

    /// <summary>
    /// Bit <paramref name="index"/> (0..255) of the stored bytes, most significant bit of byte 0 first:
    /// <c>(bytes[index / 8] &gt;&gt; (7 - index % 8)) &amp; 1</c>, the sparse Merkle tree's path rule (SPEC §4).
    /// </summary>
    public int GetBit(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size * 8);
        var byteIndex = index >> 3;
        var word = (byteIndex >> 3) switch
        {
            0 => _u0,
            1 => _u1,
            2 => _u2,
            _ => _u3,
        };
        return (int)(word >> (((byteIndex & 7) << 3) + 7 - (index & 7))) & 1;
    }

    /// <summary>Writes the 32 stored bytes (serialization order).</summary>
    /// <exception cref="ArgumentException">when <paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"destination must hold {Size} bytes", nameof(destination));
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _u0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _u1);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _u2);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _u3);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>64 lowercase hex characters, byte-reversed (Bitcoin's display form for block and transaction ids).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        bytes.Reverse();
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>64 lowercase hex characters in stored (not reversed) byte order.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Parses the display form written by <see cref="ToString"/>: exactly 64 hex digits, either case, no prefix.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Hash256 hash) => TryParse(text.AsSpan(), out hash);

    public static bool TryParse(ReadOnlySpan<char> text, out Hash256 hash)
    {
        Span<byte> bytes = stackalloc byte[Size];
        if (!HexDigits.TryDecodeExact(text, bytes))
        {
            hash = default;
            return false;
        }
        bytes.Reverse();
        hash = new Hash256(bytes);
        return true;
    }

    /// <exception cref="FormatException">unless <paramref name="text"/> is 64 hex digits.</exception>
    public static Hash256 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var hash)
            ? hash
            : throw new FormatException($"a hash is {HexLength} hex digits, got \"{Texts.Excerpt(text)}\"");
    }

    /// <summary>Parses the plain form written by <see cref="ToHex"/> (stored byte order).</summary>
    public static bool TryFromHex(ReadOnlySpan<char> hex, out Hash256 hash)
    {
        Span<byte> bytes = stackalloc byte[Size];
        if (!HexDigits.TryDecodeExact(hex, bytes))
        {
            hash = default;
            return false;
        }
        hash = new Hash256(bytes);
        return true;
    }

    /// <exception cref="FormatException">unless <paramref name="hex"/> is 64 hex digits.</exception>
    public static Hash256 FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryFromHex(hex, out var hash)
            ? hash
            : throw new FormatException($"a hash is {HexLength} hex digits, got \"{Texts.Excerpt(hex)}\"");
    }

    public bool Equals(Hash256 other) =>
        ((_u0 ^ other._u0) | (_u1 ^ other._u1) | (_u2 ^ other._u2) | (_u3 ^ other._u3)) == 0;

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    // Combined (and randomly seeded per process) so that hashes chosen by a peer cannot collide a dictionary.
    public override int GetHashCode() => HashCode.Combine(_u0, _u1, _u2, _u3);

    public int CompareTo(Hash256 other)
    {
        // Byte order of the stored bytes: the first stored byte is the low byte of _u0.
        int c = BinaryPrimitives.ReverseEndianness(_u0).CompareTo(BinaryPrimitives.ReverseEndianness(other._u0));
        if (c != 0)
            return c;
        c = BinaryPrimitives.ReverseEndianness(_u1).CompareTo(BinaryPrimitives.ReverseEndianness(other._u1));
        if (c != 0)
            return c;
        c = BinaryPrimitives.ReverseEndianness(_u2).CompareTo(BinaryPrimitives.ReverseEndianness(other._u2));
        return c != 0 ? c : BinaryPrimitives.ReverseEndianness(_u3).CompareTo(BinaryPrimitives.ReverseEndianness(other._u3));
    }

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);
    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);
    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;
    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;
    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;
    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;
}
