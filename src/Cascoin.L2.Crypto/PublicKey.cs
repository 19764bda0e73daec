using System.Diagnostics.CodeAnalysis;

namespace Cascoin.L2.Crypto;

/// <summary>
/// A secp256k1 public key, always held in its 33-byte compressed form (02/03 || x) and always a
/// point on the curve, except for <c>default(PublicKey)</c>, which is all zeros and verifies nothing.
/// </summary>
public readonly struct PublicKey : IEquatable<PublicKey>
{
    public const int Size = Secp256k1Format.CompressedPublicKeySize;

    private readonly Buffer33 _bytes;

    private PublicKey(ReadOnlySpan<byte> compressed33)
    {
        compressed33.CopyTo(_bytes);
    }

    /// <summary>Parses a 33-byte compressed or 65-byte uncompressed key; false unless it is a point on the curve.</summary>
    public static bool TryParse(ReadOnlySpan<byte> publicKey33or65, out PublicKey publicKey, ISecp256k1Backend? backend = null)
    {
        Span<byte> compressed = stackalloc byte[Size];
        if (!backend.OrBest().TryNormalizePublicKey(publicKey33or65, compressed))
        {
            publicKey = default;
            return false;
        }
        publicKey = new PublicKey(compressed);
        return true;
    }

    /// <summary>Wraps bytes a backend has just produced or validated.</summary>
    internal static PublicKey FromValidCompressed(ReadOnlySpan<byte> compressed33) => new(compressed33);

    /// <summary>The 33 bytes, without copying; valid as long as this value is.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public byte[] ToArray() => AsSpan().ToArray();

    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 33 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException("destination must hold 33 bytes", nameof(destination));
        AsSpan().CopyTo(destination);
    }

    /// <summary>RIPEMD-160(SHA-256(compressed key)): the 20 bytes an address is made of.</summary>
    public byte[] Hash160() => Hashes.Hash160(AsSpan());

    /// <summary>Verifies a 64-byte r || s signature (low-S only) of a 32-byte hash by this key.</summary>
    public bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, ISecp256k1Backend? backend = null) =>
        backend.OrBest().Verify(hash32, signature64, AsSpan());

    public bool Equals(PublicKey other) => AsSpan().SequenceEqual(other.AsSpan());

    public override bool Equals(object? obj) => obj is PublicKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsSpan());
        return hash.ToHashCode();
    }

    /// <summary>Lower-case hex of the 33 compressed bytes.</summary>
    public override string ToString() => Convert.ToHexStringLower(AsSpan());

    public static bool operator ==(PublicKey left, PublicKey right) => left.Equals(right);

    public static bool operator !=(PublicKey left, PublicKey right) => !left.Equals(right);
}
