using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Cascoin.L2.Crypto;

/// <summary>
/// secp256k1 through Bitcoin Core's libsecp256k1 (any release from 0.1 on, built with the
/// recovery module, as Debian's <c>libsecp256k1-1</c>/<c>-2</c> are). Exports are bound once into
/// unmanaged function pointers; calls marshal nothing and allocate nothing.
/// </summary>
/// <remarks>
/// One context, created with SIGN|VERIFY and randomised once, serves every call; libsecp256k1
/// documents a context as safe for concurrent use by functions taking it as <c>const</c>, which
/// all functions used here do. Every length is checked before a pointer reaches native code, so
/// libsecp256k1's illegal-argument callback (which aborts the process) cannot fire.
/// </remarks>
public sealed unsafe class LibSecp256k1 : ISecp256k1Backend, IDisposable
{
    private const uint ContextSignVerify = 0x0301; // SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY
    private const uint EcCompressed = 0x0102;      // SECP256K1_EC_COMPRESSED
    private const uint EcUncompressed = 0x0002;    // SECP256K1_EC_UNCOMPRESSED
    private const int OpaquePublicKeySize = 64;   // sizeof(secp256k1_pubkey)
    private const int OpaqueSignatureSize = 64;   // sizeof(secp256k1_ecdsa_signature)
    private const int OpaqueRecoverableSignatureSize = 65; // sizeof(secp256k1_ecdsa_recoverable_signature)

    private static readonly string[] LibraryNames =
    [
        "libsecp256k1.so.2", "libsecp256k1.so.1", "libsecp256k1.so", "libsecp256k1",
        "libsecp256k1.2.dylib", "libsecp256k1.1.dylib", "libsecp256k1.dylib",
        "/opt/homebrew/lib/libsecp256k1.dylib", "/usr/local/lib/libsecp256k1.dylib",
    ];

    private readonly nint _library;
    private readonly bool _shared;
    private nint _context;

    private readonly delegate* unmanaged[Cdecl]<nint, void> _contextDestroy;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, int> _seckeyVerify;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, int> _pubkeyCreate;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, nuint*, byte*, uint, int> _pubkeySerialize;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, nuint, int> _pubkeyParse;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nint, nint, int> _signRecoverable;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, int*, byte*, int> _recoverableSerializeCompact;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, int, int> _recoverableParseCompact;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, int> _recover;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, int> _signatureParseCompact;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, int> _verify;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, int> _tweakMul;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte**, nuint, int> _pubkeyCombine;
    // int nonce_function(nonce32, msg32, key32, algo16, data, attempt); the exported variable holds it.
    private readonly delegate* unmanaged[Cdecl]<byte*, byte*, byte*, byte*, nint, uint, int> _nonceRfc6979;

    private LibSecp256k1(nint library, bool shared)
    {
        _library = library;
        _shared = shared;
        var contextCreate = (delegate* unmanaged[Cdecl]<uint, nint>)Export(library, "secp256k1_context_create");
        var contextRandomize = (delegate* unmanaged[Cdecl]<nint, byte*, int>)Export(library, "secp256k1_context_randomize");
        _contextDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Export(library, "secp256k1_context_destroy");
        _seckeyVerify = (delegate* unmanaged[Cdecl]<nint, byte*, int>)Export(library, "secp256k1_ec_seckey_verify");
        _pubkeyCreate = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, int>)Export(library, "secp256k1_ec_pubkey_create");
        _pubkeySerialize = (delegate* unmanaged[Cdecl]<nint, byte*, nuint*, byte*, uint, int>)Export(library, "secp256k1_ec_pubkey_serialize");
        _pubkeyParse = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, nuint, int>)Export(library, "secp256k1_ec_pubkey_parse");
        _signRecoverable = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nint, nint, int>)Export(library, "secp256k1_ecdsa_sign_recoverable");
        _recoverableSerializeCompact = (delegate* unmanaged[Cdecl]<nint, byte*, int*, byte*, int>)Export(library, "secp256k1_ecdsa_recoverable_signature_serialize_compact");
        _recoverableParseCompact = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, int, int>)Export(library, "secp256k1_ecdsa_recoverable_signature_parse_compact");
        _recover = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, int>)Export(library, "secp256k1_ecdsa_recover");
        _signatureParseCompact = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, int>)Export(library, "secp256k1_ecdsa_signature_parse_compact");
        _verify = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, int>)Export(library, "secp256k1_ecdsa_verify");
        _tweakMul = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, int>)Export(library, "secp256k1_ec_pubkey_tweak_mul");
        _pubkeyCombine = (delegate* unmanaged[Cdecl]<nint, byte*, byte**, nuint, int>)Export(library, "secp256k1_ec_pubkey_combine");
        if (NativeLibrary.TryGetExport(library, "secp256k1_nonce_function_rfc6979", out var nonceVariable))
            _nonceRfc6979 = (delegate* unmanaged[Cdecl]<byte*, byte*, byte*, byte*, nint, uint, int>)*(nint*)nonceVariable;

        _context = contextCreate(ContextSignVerify);
        if (_context == 0)
            throw new InvalidOperationException("secp256k1_context_create failed");
        // Blinding for side-channel protection of k·G; fresh randomness for each context.
        Span<byte> seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(seed);
        int randomized;
        fixed (byte* seedPtr = seed)
            randomized = contextRandomize(_context, seedPtr);
        CryptographicOperations.ZeroMemory(seed);
        if (randomized != 1)
        {
            _contextDestroy(_context);
            _context = 0;
            throw new InvalidOperationException("secp256k1_context_randomize failed");
        }
    }

    public string Name => "libsecp256k1";

    /// <summary>Loads libsecp256k1 from the usual library names; null when it is not installed or lacks the recovery module.
    /// The caller owns (and disposes) the instance.</summary>
    public static LibSecp256k1? TryLoad() => TryLoad(shared: false);

    /// <summary>The instance behind <see cref="Secp256k1Backends.Native"/>: lives as long as the process, Dispose does nothing.</summary>
    internal static LibSecp256k1? TryLoadShared() => TryLoad(shared: true);

    private static LibSecp256k1? TryLoad(bool shared)
    {
        foreach (var name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out var library))
                continue;
            if (!HasRequiredExports(library))
            {
                NativeLibrary.Free(library);
                continue;
            }
            try
            {
                return new LibSecp256k1(library, shared);
            }
            catch (InvalidOperationException)
            {
                // The context could not be created or randomised: treat this copy as unusable.
                NativeLibrary.Free(library);
            }
        }
        return null;
    }

    public bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        if (privateKey32.Length != Secp256k1Format.PrivateKeySize)
            return false;
        var context = Context;
        fixed (byte* key = privateKey32)
            return _seckeyVerify(context, key) == 1;
    }

    public void GetPublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> compressedPublicKey33)
    {
        Secp256k1Format.RequireLength(privateKey32, Secp256k1Format.PrivateKeySize, nameof(privateKey32));
        Secp256k1Format.RequireLength(compressedPublicKey33, Secp256k1Format.CompressedPublicKeySize, nameof(compressedPublicKey33));
        var context = Context;
        var publicKey = stackalloc byte[OpaquePublicKeySize];
        fixed (byte* key = privateKey32)
        {
            if (_pubkeyCreate(context, publicKey, key) != 1)
                throw new ArgumentException("a private key is 32 bytes holding a value in 1..n-1", nameof(privateKey32));
        }
        SerializeCompressed(context, publicKey, compressedPublicKey33);
    }

    public void SignRecoverable(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, Span<byte> signature65)
    {
        Secp256k1Format.RequireLength(hash32, Secp256k1Format.HashSize, nameof(hash32));
        Secp256k1Format.RequireLength(privateKey32, Secp256k1Format.PrivateKeySize, nameof(privateKey32));
        Secp256k1Format.RequireLength(signature65, Secp256k1Format.RecoverableSignatureSize, nameof(signature65));
        var context = Context;
        var signature = stackalloc byte[OpaqueRecoverableSignatureSize];
        int recoveryId;
        fixed (byte* hash = hash32)
        fixed (byte* key = privateKey32)
        {
            // A null nonce function selects the default, RFC 6979 with HMAC-SHA256.
            if (_signRecoverable(context, signature, hash, key, 0, 0) != 1)
                throw new ArgumentException("a private key is 32 bytes holding a value in 1..n-1", nameof(privateKey32));
        }
        fixed (byte* output = signature65)
        {
            if (_recoverableSerializeCompact(context, output + 1, &recoveryId, signature) != 1 || recoveryId is < 0 or > 3)
                throw new InvalidOperationException("libsecp256k1 failed to serialise a signature it produced");
        }
        signature65[0] = (byte)(Secp256k1Format.RecoverableHeaderBase + recoveryId);
    }

    public bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature65, Span<byte> compressedPublicKey33)
    {
        Secp256k1Format.RequireLength(compressedPublicKey33, Secp256k1Format.CompressedPublicKeySize, nameof(compressedPublicKey33));
        // libsecp256k1 would recover from a high-S signature; consensus refuses it (malleability).
        if (hash32.Length != Secp256k1Format.HashSize || !Secp256k1Format.HasRecoverableSignatureShape(signature65))
            return false;
        var context = Context;
        var recoveryId = signature65[0] - Secp256k1Format.RecoverableHeaderBase;
        var signature = stackalloc byte[OpaqueRecoverableSignatureSize];
        var publicKey = stackalloc byte[OpaquePublicKeySize];
        fixed (byte* input = signature65)
        fixed (byte* hash = hash32)
        {
            if (_recoverableParseCompact(context, signature, input + 1, recoveryId) != 1
                || _recover(context, publicKey, signature, hash) != 1)
                return false;
        }
        SerializeCompressed(context, publicKey, compressedPublicKey33);
        return true;
    }

    public bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> publicKey)
    {
        if (hash32.Length != Secp256k1Format.HashSize
            || signature64.Length != Secp256k1Format.CompactSignatureSize
            || !Secp256k1Format.HasPublicKeyShape(publicKey))
            return false;
        var context = Context;
        var parsedKey = stackalloc byte[OpaquePublicKeySize];
        var signature = stackalloc byte[OpaqueSignatureSize];
        fixed (byte* key = publicKey)
        fixed (byte* input = signature64)
        fixed (byte* hash = hash32)
        {
            // ecdsa_verify itself rejects a high s.
            return _pubkeyParse(context, parsedKey, key, (nuint)publicKey.Length) == 1
                && _signatureParseCompact(context, signature, input) == 1
                && _verify(context, signature, hash, parsedKey) == 1;
        }
    }

    public bool TryNormalizePublicKey(ReadOnlySpan<byte> publicKey33or65, Span<byte> compressed33)
    {
        Secp256k1Format.RequireLength(compressed33, Secp256k1Format.CompressedPublicKeySize, nameof(compressed33));
        if (!Secp256k1Format.HasPublicKeyShape(publicKey33or65))
            return false;
        var context = Context;
        var parsedKey = stackalloc byte[OpaquePublicKeySize];
        fixed (byte* key = publicKey33or65)
        {
            if (_pubkeyParse(context, parsedKey, key, (nuint)publicKey33or65.Length) != 1)
                return false;
        }
        SerializeCompressed(context, parsedKey, compressed33);
        return true;
    }

    /// <summary>
    /// The uncompressed form of a 33-byte compressed point (libsecp256k1's square root is several
    /// times faster than BouncyCastle's); false when it is not a point of the curve.
    /// </summary>
    internal bool TryDecompress(ReadOnlySpan<byte> compressed33, Span<byte> uncompressed65)
    {
        Secp256k1Format.RequireLength(uncompressed65, 65, nameof(uncompressed65));
        if (compressed33.Length != Secp256k1Format.CompressedPublicKeySize)
            return false;
        var context = Context;
        var parsed = stackalloc byte[OpaquePublicKeySize];
        fixed (byte* point = compressed33)
        {
            if (_pubkeyParse(context, parsed, point, (nuint)compressed33.Length) != 1)
                return false;
        }
        nuint length = 65;
        fixed (byte* output = uncompressed65)
            return _pubkeySerialize(context, output, &length, parsed, EcUncompressed) == 1 && length == 65;
    }

    /// <summary>
    /// k·P (the threshold schemes' variable-base multiplication): <paramref name="point65"/> an
    /// uncompressed point, <paramref name="scalar32"/> k in 1..n−1, the product written uncompressed.
    /// False when the point does not parse or k is out of range.
    /// </summary>
    internal bool TryMultiply(ReadOnlySpan<byte> point65, ReadOnlySpan<byte> scalar32, Span<byte> product65)
    {
        Secp256k1Format.RequireLength(product65, 65, nameof(product65));
        if (point65.Length != 65 || scalar32.Length != 32)
            return false;
        var context = Context;
        var parsed = stackalloc byte[OpaquePublicKeySize];
        fixed (byte* point = point65)
        fixed (byte* scalar = scalar32)
        {
            if (_pubkeyParse(context, parsed, point, 65) != 1 || _tweakMul(context, parsed, scalar) != 1)
                return false;
        }
        nuint length = 65;
        fixed (byte* output = product65)
            return _pubkeySerialize(context, output, &length, parsed, EcUncompressed) == 1 && length == 65;
    }

    /// <summary>
    /// k₀·G + Σ k_i·P_i (the threshold schemes' multi-scalar sums and proof checks): k₀ in
    /// <paramref name="baseScalar32"/> (empty or zero: no such term; by the precomputed table of G,
    /// several times faster than a variable-base product), <paramref name="points65"/> the P_i
    /// uncompressed, back to back, <paramref name="scalars32"/> the k_i below n, back to back (a zero
    /// k_i drops its term). Each product is libsecp256k1's constant-time multiplication, about twice as
    /// fast as BouncyCastle's interleaved sum per term. Null when a point does not parse or a scalar
    /// is out of range; otherwise whether the sum is a point (false: the point at infinity), written
    /// uncompressed to <paramref name="sum65"/>.
    /// </summary>
    internal bool? TrySumOfProducts(ReadOnlySpan<byte> baseScalar32, ReadOnlySpan<byte> points65, ReadOnlySpan<byte> scalars32, Span<byte> sum65)
    {
        Secp256k1Format.RequireLength(sum65, 65, nameof(sum65));
        var count = points65.Length / 65;
        if (points65.Length != count * 65 || scalars32.Length != count * 32)
            return null;
        var context = Context;
        if (baseScalar32.Length is not (0 or 32))
            return null;
        var opaque = new byte[(count + 1) * OpaquePublicKeySize];
        var terms = new nint[count + 1];
        var used = 0;
        fixed (byte* points = points65)
        fixed (byte* scalars = scalars32)
        fixed (byte* baseScalar = baseScalar32)
        fixed (byte* parsed = opaque)
        fixed (nint* pointers = terms)
        {
            if (baseScalar32.Length == 32 && baseScalar32.IndexOfAnyExcept((byte)0) >= 0)
            {
                if (_pubkeyCreate(context, parsed, baseScalar) != 1)
                    return null;
                pointers[used++] = (nint)parsed;
            }
            for (var i = 0; i < count; i++)
            {
                var slot = parsed + used * OpaquePublicKeySize;
                if (_pubkeyParse(context, slot, points + i * 65, 65) != 1)
                    return null;
                if (scalars32.Slice(i * 32, 32).IndexOfAnyExcept((byte)0) < 0)
                    continue;
                if (_tweakMul(context, slot, scalars + i * 32) != 1)
                    return null;
                pointers[used++] = (nint)slot;
            }
            if (used == 0)
                return false;
            var sum = stackalloc byte[OpaquePublicKeySize];
            // combine answers 0 only when the sum is the point at infinity (its inputs are valid keys).
            if (_pubkeyCombine(context, sum, (byte**)pointers, (nuint)used) != 1)
                return false;
            nuint length = 65;
            fixed (byte* output = sum65)
                return _pubkeySerialize(context, output, &length, sum, EcUncompressed) == 1 && length == 65 ? true : null;
        }
    }

    /// <summary>k·G written uncompressed; false when k is not in 1..n−1.</summary>
    internal bool TryMultiplyBase(ReadOnlySpan<byte> scalar32, Span<byte> product65)
    {
        Secp256k1Format.RequireLength(product65, 65, nameof(product65));
        if (scalar32.Length != 32)
            return false;
        var context = Context;
        var created = stackalloc byte[OpaquePublicKeySize];
        fixed (byte* scalar = scalar32)
        {
            if (_pubkeyCreate(context, created, scalar) != 1)
                return false;
        }
        nuint length = 65;
        fixed (byte* output = product65)
            return _pubkeySerialize(context, output, &length, created, EcUncompressed) == 1 && length == 65;
    }

    /// <summary>
    /// Candidate <paramref name="attempt"/> of libsecp256k1's exported RFC 6979 nonce function, for
    /// checking the managed implementation against it. False when the export is missing.
    /// </summary>
    internal bool TryRfc6979Nonce(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, uint attempt, Span<byte> nonce32)
    {
        Secp256k1Format.RequireLength(hash32, Secp256k1Format.HashSize, nameof(hash32));
        Secp256k1Format.RequireLength(privateKey32, Secp256k1Format.PrivateKeySize, nameof(privateKey32));
        Secp256k1Format.RequireLength(nonce32, 32, nameof(nonce32));
        if (_nonceRfc6979 == null)
            return false;
        fixed (byte* output = nonce32)
        fixed (byte* hash = hash32)
        fixed (byte* key = privateKey32)
            return _nonceRfc6979(output, hash, key, null, 0, attempt) == 1;
    }

    /// <summary>
    /// Destroys the context of an instance from <see cref="TryLoad"/>; no call may be in flight.
    /// There is deliberately no finalizer: one could run during a native call once the instance is
    /// otherwise unreachable. An instance that is never disposed leaks one small context.
    /// </summary>
    public void Dispose()
    {
        if (_shared)
            return;
        var context = Interlocked.Exchange(ref _context, 0);
        if (context == 0)
            return;
        _contextDestroy(context);
        NativeLibrary.Free(_library);
    }

    private nint Context
    {
        get
        {
            var context = _context;
            ObjectDisposedException.ThrowIf(context == 0, this);
            return context;
        }
    }

    private void SerializeCompressed(nint context, byte* publicKey, Span<byte> compressed33)
    {
        nuint length = Secp256k1Format.CompressedPublicKeySize;
        fixed (byte* output = compressed33)
        {
            if (_pubkeySerialize(context, output, &length, publicKey, EcCompressed) != 1
                || length != Secp256k1Format.CompressedPublicKeySize)
                throw new InvalidOperationException("libsecp256k1 failed to serialise a public key");
        }
    }

    private static bool HasRequiredExports(nint library) =>
        RequiredExports.All(name => NativeLibrary.TryGetExport(library, name, out _));

    private static readonly string[] RequiredExports =
    [
        "secp256k1_context_create", "secp256k1_context_randomize", "secp256k1_context_destroy",
        "secp256k1_ec_seckey_verify", "secp256k1_ec_pubkey_create", "secp256k1_ec_pubkey_serialize",
        "secp256k1_ec_pubkey_parse", "secp256k1_ecdsa_sign_recoverable",
        "secp256k1_ecdsa_recoverable_signature_serialize_compact",
        "secp256k1_ecdsa_recoverable_signature_parse_compact", "secp256k1_ecdsa_recover",
        "secp256k1_ecdsa_signature_parse_compact", "secp256k1_ecdsa_verify", "secp256k1_ec_pubkey_tweak_mul", "secp256k1_ec_pubkey_combine",
    ];

    private static nint Export(nint library, string name) => NativeLibrary.GetExport(library, name);
}
