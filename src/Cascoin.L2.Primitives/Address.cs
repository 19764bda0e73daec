using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Cascoin.L2.Crypto;

namespace Cascoin.L2.Primitives;

/// <summary>
/// An account address: Hash160 (RIPEMD-160 of SHA-256) of a compressed secp256k1 public key.
/// Shown as base58check with the network's pubkey-hash prefix; also read as "0x" + 40 hex
/// digits and as a bech32 version-0 witness program under the network's hrp.
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Size = 20;
    public const int CompressedPublicKeySize = 33;

    // Stored bytes 0..7, 8..15 and 16..19, read little-endian.
    private readonly ulong _u0;
    private readonly ulong _u1;
    private readonly uint _u2;

    public static Address Zero => default;

    /// <exception cref="ArgumentException">unless <paramref name="bytes"/> is exactly 20 bytes.</exception>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"an address is {Size} bytes, got {bytes.Length}", nameof(bytes));
        _u0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        _u1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        _u2 = BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
    }

    /// <summary>The address of a compressed public key (33 bytes starting 02 or 03).</summary>
    /// <exception cref="ArgumentException">unless the key has the compressed form.</exception>
    public static Address FromPublicKey(ReadOnlySpan<byte> compressedPublicKey)
    {
        if (compressedPublicKey.Length != CompressedPublicKeySize || (compressedPublicKey[0] != 0x02 && compressedPublicKey[0] != 0x03))
            throw new ArgumentException("expected a 33-byte compressed public key (02 or 03 prefix)", nameof(compressedPublicKey));
        Span<byte> hash = stackalloc byte[Hashes.Hash160Size];
        Hashes.Hash160(compressedPublicKey, hash);
        return new Address(hash);
    }

    public bool IsZero => (_u0 | _u1 | _u2) == 0;

    /// <exception cref="ArgumentException">when <paramref name="destination"/> is shorter than 20 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException($"destination must hold {Size} bytes", nameof(destination));
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _u0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _u1);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], _u2);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Base58check of the network's pubkey-hash prefix and the 20 bytes: the form RPCs return.</summary>
    public string ToBase58(NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Base58Check.Encode(network.PubKeyHashPrefix, bytes);
    }

    /// <summary>Bech32, witness version 0, the 20 bytes as program, under the network's hrp.</summary>
    public string ToBech32(NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Bech32.EncodeWitness(network.Bech32Hrp, 0, bytes);
    }

    /// <summary>"0x" followed by 40 lowercase hex digits; needs no network.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return string.Concat("0x", Convert.ToHexStringLower(bytes));
    }

    /// <summary>The network-independent form, <see cref="ToHex"/>.</summary>
    public override string ToString() => ToHex();

    /// <summary>
    /// Reads base58check with <paramref name="network"/>'s pubkey-hash prefix, bech32 version 0
    /// with its hrp, or "0x"/"0X" + 40 hex digits of either case.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, NetworkParameters network, out Address address)
    {
        ArgumentNullException.ThrowIfNull(network);
        return TryParse(text, network, out address, out _);
    }

    /// <exception cref="FormatException">with the reason, when <paramref name="text"/> is not an address of <paramref name="network"/>.</exception>
    public static Address Parse(string text, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(network);
        return TryParse(text, network, out var address, out string? error)
            ? address
            : throw new FormatException($"invalid address \"{Texts.Excerpt(text)}\": {error}");
    }

    private static bool TryParse(string? text, NetworkParameters network, out Address address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty";
            return false;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            Span<byte> bytes = stackalloc byte[Size];
            if (!HexDigits.TryDecodeExact(text.AsSpan(2), bytes))
            {
                error = $"\"0x\" must be followed by exactly {Size * 2} hex digits";
                return false;
            }
            address = new Address(bytes);
            return true;
        }

        if (Base58Check.TryDecode(text, 1 + Size, out var payload))
        {
            if (payload.Length != 1 + Size)
            {
                error = $"base58check payload is {payload.Length} bytes, expected {1 + Size}";
                return false;
            }
            if (payload[0] != network.PubKeyHashPrefix)
            {
                error = $"base58 prefix {payload[0]} is not the {network.Name} pubkey-hash prefix {network.PubKeyHashPrefix}";
                return false;
            }
            address = new Address(payload.AsSpan(1));
            return true;
        }

        if (Bech32.TryDecodeWitness(text, out string? hrp, out int version, out var program))
        {
            if (hrp != network.Bech32Hrp)
            {
                error = $"bech32 prefix \"{hrp}\" is not the {network.Name} prefix \"{network.Bech32Hrp}\"";
                return false;
            }
            if (version != 0 || program.Length != Size)
            {
                error = $"bech32 witness version {version} with a {program.Length}-byte program is not an address (expected version 0, {Size} bytes)";
                return false;
            }
            address = new Address(program);
            return true;
        }

        error = $"not base58check (prefix {network.PubKeyHashPrefix}), bech32 (\"{network.Bech32Hrp}1...\") or 0x + {Size * 2} hex digits, or the checksum is wrong";
        return false;
    }

    public bool Equals(Address other) => ((_u0 ^ other._u0) | (_u1 ^ other._u1) | (_u2 ^ other._u2)) == 0;

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_u0, _u1, _u2);

    /// <summary>Byte-lexicographic order of the 20 bytes.</summary>
    public int CompareTo(Address other)
    {
        int c = BinaryPrimitives.ReverseEndianness(_u0).CompareTo(BinaryPrimitives.ReverseEndianness(other._u0));
        if (c != 0)
            return c;
        c = BinaryPrimitives.ReverseEndianness(_u1).CompareTo(BinaryPrimitives.ReverseEndianness(other._u1));
        return c != 0 ? c : BinaryPrimitives.ReverseEndianness(_u2).CompareTo(BinaryPrimitives.ReverseEndianness(other._u2));
    }

    public static bool operator ==(Address left, Address right) => left.Equals(right);
    public static bool operator !=(Address left, Address right) => !left.Equals(right);
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;
}
