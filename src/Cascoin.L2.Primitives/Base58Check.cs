using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Cascoin.L2.Crypto;

namespace Cascoin.L2.Primitives;

/// <summary>Base58 with a 4-byte checksum: the first 4 bytes of SHA-256d of the payload, appended before encoding.</summary>
public static class Base58Check
{
    public const int ChecksumSize = 4;

    public static string Encode(ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[payload.Length + ChecksumSize];
        payload.CopyTo(buffer);
        Span<byte> hash = stackalloc byte[Hashes.Sha256Size];
        Hashes.Sha256d(payload, hash);
        hash[..ChecksumSize].CopyTo(buffer.AsSpan(payload.Length));
        return Base58.Encode(buffer);
    }

    /// <summary>Encodes a version (prefix) byte followed by <paramref name="payload"/>, as addresses and WIF keys are.</summary>
    public static string Encode(byte prefix, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[1 + payload.Length];
        buffer[0] = prefix;
        payload.CopyTo(buffer.AsSpan(1));
        return Encode(buffer);
    }

    public static bool TryDecode([NotNullWhen(true)] string? text, [NotNullWhen(true)] out byte[]? payload) =>
        TryDecode(text, Base58.DefaultMaxDecodedLength - ChecksumSize, out payload);

    /// <summary>Decodes and checks the checksum; false on any error or a payload longer than <paramref name="maxPayloadLength"/>.</summary>
    public static bool TryDecode([NotNullWhen(true)] string? text, int maxPayloadLength, [NotNullWhen(true)] out byte[]? payload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadLength);
        payload = null;
        int maxLength = maxPayloadLength > int.MaxValue - ChecksumSize ? int.MaxValue : maxPayloadLength + ChecksumSize;
        if (!Base58.TryDecode(text, maxLength, out var data) || data.Length < ChecksumSize)
            return false;

        var body = data.AsSpan(0, data.Length - ChecksumSize);
        Span<byte> hash = stackalloc byte[Hashes.Sha256Size];
        Hashes.Sha256d(body, hash);
        bool ok = hash[..ChecksumSize].SequenceEqual(data.AsSpan(body.Length));
        if (ok)
            payload = body.ToArray();
        // The payload may be a private key (WIF): leave no copy of it behind.
        CryptographicOperations.ZeroMemory(data);
        return ok;
    }
}
