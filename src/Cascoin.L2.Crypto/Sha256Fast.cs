using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Cascoin.L2.Crypto;

/// <summary>
/// SHA-256 for hot paths (sparse Merkle tree nodes, keys, ids): OpenSSL's low-level functions when
/// libcrypto loads (<see cref="Sha256OpenSsl"/>), otherwise <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>.
/// Both give the same bytes; the backend is chosen once per process and never changes.
/// </summary>
/// <remarks>
/// The concatenating overloads hash several spans as one message without the caller building it:
/// <c>Hash(0x01, left, right, output)</c> is SHA-256(0x01 ‖ left ‖ right). Thread-safe: every call keeps
/// its hash state on its own stack.
/// </remarks>
public static class Sha256Fast
{
    public const int HashSize = Hashes.Sha256Size;

    /// <summary>Messages up to this size are gathered on the stack and hashed with one native update,
    /// which is faster than one update per part; longer ones are fed part by part.</summary>
    private const int GatherLimit = 256;

    private static readonly Sha256OpenSsl? Native = Sha256OpenSsl.TryLoad();

    /// <summary>True when OpenSSL's libcrypto does the hashing.</summary>
    public static bool IsNative => Native is not null;

    /// <summary>"openssl (libcrypto.so.3)" or similar when native, "managed" otherwise (for logs and benchmarks).</summary>
    public static string Backend => Native is { } native ? $"openssl ({native.LibraryName})" : "managed";

    /// <summary>SHA-256 of <paramref name="data"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">when <paramref name="output"/> is shorter than 32 bytes.</exception>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        RequireOutput(output);
        if (Native is { } native)
            Check(native.TryHash(data, default, default, output));
        else
            SHA256.HashData(data, output);
    }

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var output = new byte[HashSize];
        Hash(data, output);
        return output;
    }

    /// <summary>SHA-256(<paramref name="a"/> ‖ <paramref name="b"/>).</summary>
    /// <exception cref="ArgumentException">when <paramref name="output"/> is shorter than 32 bytes.</exception>
    public static void Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output) =>
        HashParts(a, b, default, output);

    /// <summary>SHA-256(<paramref name="prefix"/> ‖ <paramref name="a"/> ‖ <paramref name="b"/>): the shape of the
    /// sparse Merkle tree's leaf (0x00 ‖ key ‖ value hash) and inner node (0x01 ‖ left ‖ right).</summary>
    /// <exception cref="ArgumentException">when <paramref name="output"/> is shorter than 32 bytes.</exception>
    public static void Hash(byte prefix, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output) =>
        HashParts(new ReadOnlySpan<byte>(in prefix), a, b, output);

    /// <summary>SHA-256(<paramref name="a"/> ‖ <paramref name="b"/> ‖ <paramref name="c"/>).</summary>
    /// <exception cref="ArgumentException">when <paramref name="output"/> is shorter than 32 bytes.</exception>
    public static void Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output) =>
        HashParts(a, b, c, output);

    [SkipLocalsInit]
    private static void HashParts(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output)
    {
        RequireOutput(output);
        if (Native is not { } native)
        {
            HashManaged(a, b, c, output);
            return;
        }
        long total = (long)a.Length + b.Length + c.Length;
        if (total <= GatherLimit)
        {
            Span<byte> message = stackalloc byte[GatherLimit];
            Check(native.TryHash(Gather(a, b, c, message), default, default, output));
        }
        else
        {
            Check(native.TryHash(a, b, c, output));
        }
    }

    /// <summary>The managed path of the concatenating overloads; internal so tests cover it where libcrypto is installed.</summary>
    [SkipLocalsInit]
    internal static void HashManaged(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output)
    {
        RequireOutput(output);
        long total = (long)a.Length + b.Length + c.Length;
        if (total <= GatherLimit)
        {
            Span<byte> message = stackalloc byte[GatherLimit];
            SHA256.HashData(Gather(a, b, c, message), output);
            return;
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(a);
        hash.AppendData(b);
        hash.AppendData(c);
        hash.GetHashAndReset(output);
    }

    private static ReadOnlySpan<byte> Gather(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> buffer)
    {
        a.CopyTo(buffer);
        b.CopyTo(buffer[a.Length..]);
        c.CopyTo(buffer[(a.Length + b.Length)..]);
        return buffer[..(a.Length + b.Length + c.Length)];
    }

    private static void RequireOutput(Span<byte> output)
    {
        if (output.Length < HashSize)
            throw new ArgumentException($"output must hold {HashSize} bytes", nameof(output));
    }

    private static void Check(bool succeeded)
    {
        if (!succeeded)
            throw new CryptographicException("OpenSSL SHA-256 failed");
    }
}
