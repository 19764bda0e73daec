using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Cascoin.L2.Crypto;

/// <summary>
/// A secp256k1 private key (32 bytes, value in 1..n-1) with its public key. The secret lives in a
/// pinned array (the GC never leaves copies behind) and is zeroed by <see cref="Dispose"/>.
/// Not safe to dispose while another thread is signing with it.
/// </summary>
public sealed class PrivateKey : IDisposable
{
    public const int Size = Secp256k1Format.PrivateKeySize;

    private readonly byte[] _secret;
    private volatile bool _disposed;

    private PrivateKey(byte[] pinnedSecret, PublicKey publicKey)
    {
        _secret = pinnedSecret;
        PublicKey = publicKey;
    }

    /// <summary>The compressed public key; stays readable after <see cref="Dispose"/>.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>A key from 32 big-endian bytes, or null when they are not 32 bytes in 1..n-1.</summary>
    public static PrivateKey? FromBytes(ReadOnlySpan<byte> privateKey32, ISecp256k1Backend? backend = null)
    {
        var resolved = backend.OrBest();
        if (privateKey32.Length != Size || !resolved.IsValidPrivateKey(privateKey32))
            return null;
        var secret = GC.AllocateArray<byte>(Size, pinned: true);
        privateKey32.CopyTo(secret);
        Span<byte> publicKey = stackalloc byte[PublicKey.Size];
        try
        {
            resolved.GetPublicKey(secret, publicKey);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(secret);
            throw;
        }
        return new PrivateKey(secret, PublicKey.FromValidCompressed(publicKey));
    }

    /// <summary>A fresh key from the operating system's CSPRNG.</summary>
    public static PrivateKey Generate(ISecp256k1Backend? backend = null)
    {
        var resolved = backend.OrBest();
        Span<byte> candidate = stackalloc byte[Size];
        try
        {
            // A uniform 256-bit value is ≥ n with probability about 2^-128; draw again then.
            while (true)
            {
                RandomNumberGenerator.Fill(candidate);
                if (FromBytes(candidate, resolved) is { } key)
                    return key;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    /// <summary>Signs a 32-byte hash (RFC 6979 nonce, low-S).</summary>
    /// <exception cref="ArgumentException"><paramref name="hash32"/> is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public RecoverableSignature SignRecoverable(ReadOnlySpan<byte> hash32, ISecp256k1Backend? backend = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> signature = stackalloc byte[RecoverableSignature.Size];
        backend.OrBest().SignRecoverable(hash32, _secret, signature);
        return RecoverableSignature.FromValid(signature);
    }

    /// <summary>A copy of the 32 secret bytes; the caller is responsible for wiping it.</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public byte[] ToArray()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (byte[])_secret.Clone();
    }

    /// <summary>Copies the 32 secret bytes into <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < Size)
            throw new ArgumentException("destination must hold 32 bytes", nameof(destination));
        _secret.CopyTo(destination);
    }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"PrivateKey({PublicKey})";

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_secret);
    }
}
