using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace Cascoin.L2.Crypto;

/// <summary>The hash functions of the protocol: SHA-256, SHA-256d (ids, checksums) and Hash160 (addresses).</summary>
public static class Hashes
{
    public const int Sha256Size = 32;
    public const int Hash160Size = 20;

    public static void Sha256(ReadOnlySpan<byte> data, Span<byte> output) => SHA256.HashData(data, output);

    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    /// <summary>SHA-256 applied twice, as Bitcoin does for block and transaction ids and base58 checksums.</summary>
    public static void Sha256d(ReadOnlySpan<byte> data, Span<byte> output)
    {
        Span<byte> first = stackalloc byte[Sha256Size];
        SHA256.HashData(data, first);
        SHA256.HashData(first, output);
    }

    public static byte[] Sha256d(ReadOnlySpan<byte> data)
    {
        var output = new byte[Sha256Size];
        Sha256d(data, output);
        return output;
    }

    /// <summary>RIPEMD-160 of SHA-256: the 20-byte digest an address is made of.</summary>
    public static void Hash160(ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (output.Length < Hash160Size)
            throw new ArgumentException("output must hold 20 bytes", nameof(output));
        Span<byte> sha = stackalloc byte[Sha256Size];
        SHA256.HashData(data, sha);
        var ripemd = new RipeMD160Digest();
        ripemd.BlockUpdate(sha);
        ripemd.DoFinal(output);
    }

    public static byte[] Hash160(ReadOnlySpan<byte> data)
    {
        var output = new byte[Hash160Size];
        Hash160(data, output);
        return output;
    }
}
