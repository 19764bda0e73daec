using Org.BouncyCastle.Crypto.Digests;

namespace Cascoin.L2.Crypto;

/// <summary>The hash functions of the protocol: SHA-256, SHA-256d (ids, checksums) and Hash160 (addresses).
/// SHA-256 runs on <see cref="Sha256Fast"/> (OpenSSL when installed, managed otherwise).</summary>
public static class Hashes
{
    public const int Sha256Size = 32;
    public const int Hash160Size = 20;

    /// <exception cref="ArgumentException">when <paramref name="output"/> is shorter than 32 bytes.</exception>
    public static void Sha256(ReadOnlySpan<byte> data, Span<byte> output) => Sha256Fast.Hash(data, output);

    public static byte[] Sha256(ReadOnlySpan<byte> data) => Sha256Fast.Hash(data);

    /// <summary>SHA-256 applied twice, as Bitcoin does for block and transaction ids and base58 checksums.</summary>
    public static void Sha256d(ReadOnlySpan<byte> data, Span<byte> output)
    {
        Span<byte> first = stackalloc byte[Sha256Size];
        Sha256Fast.Hash(data, first);
        Sha256Fast.Hash(first, output);
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
        Sha256Fast.Hash(data, sha);
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
