namespace Cascoin.L2.Crypto;

/// <summary>
/// ECDSA over secp256k1 as consensus uses it. Every implementation must give byte-identical
/// results (the tests compare them): RFC 6979 nonces exactly as libsecp256k1's default nonce
/// function, low-S signatures, strict parsing. Formats are described in doc/crypto.md.
/// </summary>
/// <remarks>
/// Input that comes from outside (hashes, signatures, public keys) never makes a method throw:
/// a wrong length or a value out of range is answered with <c>false</c>. An output buffer of the
/// wrong size is a bug in the caller and throws <see cref="ArgumentException"/>.
/// Implementations are thread-safe.
/// </remarks>
public interface ISecp256k1Backend
{
    /// <summary>"bouncycastle" or "libsecp256k1".</summary>
    string Name { get; }

    /// <summary>True when the span is 32 bytes holding a value in 1..n-1.</summary>
    bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32);

    /// <summary>Writes the 33-byte compressed public key of a private key.</summary>
    /// <exception cref="ArgumentException">The private key is not 32 bytes in 1..n-1, or the output is not 33 bytes.</exception>
    void GetPublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> compressedPublicKey33);

    /// <summary>
    /// Signs a 32-byte hash with the RFC 6979 (HMAC-SHA256) nonce and writes
    /// <c>31 + recid || r || s</c> with s normalised to low-S.
    /// </summary>
    /// <exception cref="ArgumentException">The hash is not 32 bytes, the private key is invalid, or the output is not 65 bytes.</exception>
    void SignRecoverable(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32, Span<byte> signature65);

    /// <summary>
    /// Recovers the compressed public key that produced a 65-byte recoverable signature.
    /// False for a hash that is not 32 bytes, a header outside 31..34, r or s outside 1..n-1,
    /// a high s, or an r that names no curve point.
    /// </summary>
    bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature65, Span<byte> compressedPublicKey33);

    /// <summary>
    /// Verifies a 64-byte <c>r || s</c> signature against a 33- or 65-byte public key.
    /// High-S signatures are rejected, as libsecp256k1 does.
    /// </summary>
    bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> publicKey);

    /// <summary>Parses a 33- or 65-byte public key, checks the point is on the curve and writes its compressed form.</summary>
    bool TryNormalizePublicKey(ReadOnlySpan<byte> publicKey33or65, Span<byte> compressed33);
}
