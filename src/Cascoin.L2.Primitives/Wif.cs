using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Cascoin.L2.Primitives;

/// <summary>
/// Wallet import format for secp256k1 private keys: base58check of the network's secret-key
/// prefix, the 32-byte key and, for a key whose public key is used compressed, a 0x01 suffix.
/// </summary>
public static class Wif
{
    public const int KeySize = 32;
    private const byte CompressedFlag = 0x01;

    // The order n of secp256k1's group, big-endian: a private key is in [1, n-1].
    private static ReadOnlySpan<byte> CurveOrder =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    /// <exception cref="ArgumentException">unless <paramref name="key"/> is a valid 32-byte secp256k1 private key.</exception>
    public static string Encode(ReadOnlySpan<byte> key, bool compressed, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Encode(key, compressed, network.SecretKeyPrefix);
    }

    /// <exception cref="ArgumentException">unless <paramref name="key"/> is a valid 32-byte secp256k1 private key.</exception>
    public static string Encode(ReadOnlySpan<byte> key, bool compressed, byte prefix)
    {
        if (!IsValidKey(key))
            throw new ArgumentException("a private key is 32 bytes in [1, n-1] of secp256k1", nameof(key));
        Span<byte> payload = stackalloc byte[1 + KeySize + 1];
        try
        {
            payload[0] = prefix;
            key.CopyTo(payload[1..]);
            payload[^1] = CompressedFlag;
            return Base58Check.Encode(compressed ? payload : payload[..^1]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    public static bool TryDecode(
        [NotNullWhen(true)] string? text,
        NetworkParameters network,
        [NotNullWhen(true)] out byte[]? key,
        out bool compressed)
    {
        ArgumentNullException.ThrowIfNull(network);
        return TryDecode(text, network.SecretKeyPrefix, out key, out compressed);
    }

    /// <summary>Decodes a WIF key with an explicit prefix byte; false for any other prefix, length, suffix or an out-of-range key.</summary>
    public static bool TryDecode(
        [NotNullWhen(true)] string? text,
        byte prefix,
        [NotNullWhen(true)] out byte[]? key,
        out bool compressed)
    {
        key = null;
        compressed = false;
        if (!Base58Check.TryDecode(text, 1 + KeySize + 1, out var payload))
            return false;
        try
        {
            bool isCompressed = payload.Length == 1 + KeySize + 1 && payload[^1] == CompressedFlag;
            if ((payload.Length != 1 + KeySize && !isCompressed) || payload[0] != prefix)
                return false;
            var candidate = payload.AsSpan(1, KeySize);
            if (!IsValidKey(candidate))
                return false;
            key = candidate.ToArray();
            compressed = isCompressed;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    private static bool IsValidKey(ReadOnlySpan<byte> key) =>
        key.Length == KeySize
        && key.IndexOfAnyExcept((byte)0) >= 0
        && key.SequenceCompareTo(CurveOrder) < 0;
}
