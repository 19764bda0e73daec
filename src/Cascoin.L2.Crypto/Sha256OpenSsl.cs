using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Cascoin.L2.Crypto;

/// <summary>
/// SHA-256 through OpenSSL's low-level <c>SHA256_Init</c>/<c>SHA256_Update</c>/<c>SHA256_Final</c>
/// (libcrypto 1.1 or 3.x, which .NET itself uses on Linux). About 4× faster than
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> for the 32–65-byte inputs of the
/// state tree, where the managed call's fixed cost dominates.
/// </summary>
/// <remarks>
/// OpenSSL 3's one-shot <c>SHA256()</c> is not used: it goes through <c>EVP_Q_digest</c>, which
/// fetches the algorithm by name on every call and is as slow as the managed path. The
/// <c>SHA256_CTX</c> (112 bytes in every OpenSSL and LibreSSL release) lives on the caller's stack, so
/// calls share nothing and are thread-safe. Exports are bound once into unmanaged function pointers;
/// a library whose exports are missing, or whose result for "abc" is wrong, is not used.
/// </remarks>
internal sealed unsafe class Sha256OpenSsl
{
    /// <summary>Bytes reserved for a SHA256_CTX (112 in practice), in ulongs so the buffer is 8-byte aligned.</summary>
    internal const int ContextUlongs = 16;

    // Never the unversioned /usr/lib/libcrypto.dylib of macOS: loading it aborts the process.
    private static readonly string[] LibraryNames =
    [
        "libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so",
        "libcrypto.3.dylib", "libcrypto.1.1.dylib",
        "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib", "/usr/local/opt/openssl@3/lib/libcrypto.3.dylib",
    ];

    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    private static ReadOnlySpan<byte> AbcDigest =>
    [
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    ];

    private readonly delegate* unmanaged[Cdecl]<ulong*, int> _init;
    private readonly delegate* unmanaged[Cdecl]<ulong*, byte*, nuint, int> _update;
    private readonly delegate* unmanaged[Cdecl]<byte*, ulong*, int> _final;

    private Sha256OpenSsl(string libraryName, nint init, nint update, nint final)
    {
        LibraryName = libraryName;
        _init = (delegate* unmanaged[Cdecl]<ulong*, int>)init;
        _update = (delegate* unmanaged[Cdecl]<ulong*, byte*, nuint, int>)update;
        _final = (delegate* unmanaged[Cdecl]<byte*, ulong*, int>)final;
    }

    /// <summary>The name the library was loaded by, e.g. "libcrypto.so.3".</summary>
    public string LibraryName { get; }

    /// <summary>The first usable libcrypto, or null. The library stays loaded for the life of the process.</summary>
    public static Sha256OpenSsl? TryLoad()
    {
        foreach (var name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out var library))
                continue;
            if (NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                var candidate = new Sha256OpenSsl(name, init, update, final);
                if (candidate.PassesSelfTest())
                    return candidate;
            }
            NativeLibrary.Free(library);
        }
        return null;
    }

    private bool PassesSelfTest()
    {
        Span<byte> digest = stackalloc byte[Hashes.Sha256Size];
        return TryHash("abc"u8, default, default, digest) && digest.SequenceEqual(AbcDigest);
    }

    /// <summary>SHA-256 of <paramref name="a"/> ‖ <paramref name="b"/> ‖ <paramref name="c"/> into the first 32 bytes of
    /// <paramref name="output"/> (checked by the caller). False only if OpenSSL reports a failure, which it does not for SHA-256.</summary>
    [SkipLocalsInit]
    public bool TryHash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output)
    {
        var context = stackalloc ulong[ContextUlongs];
        if (_init(context) != 1)
            return false;
        fixed (byte* pa = a)
        fixed (byte* pb = b)
        fixed (byte* pc = c)
        {
            // Update with length 0 returns at once, so empty parts (null pointers) cost one call and no reads.
            if (_update(context, pa, (nuint)a.Length) != 1
                || (b.Length != 0 && _update(context, pb, (nuint)b.Length) != 1)
                || (c.Length != 0 && _update(context, pc, (nuint)c.Length) != 1))
                return false;
        }
        fixed (byte* digest = output)
            return _final(digest, context) == 1;
    }
}
