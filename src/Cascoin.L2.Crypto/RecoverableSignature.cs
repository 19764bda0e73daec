using System.Diagnostics.CodeAnalysis;

namespace Cascoin.L2.Crypto;

/// <summary>
/// A 65-byte recoverable ECDSA signature: header <c>31 + recid</c>, r (32 bytes big-endian),
/// s (32 bytes big-endian, low-S). A parsed value always has a header in 31..34, r in 1..n-1 and
/// s in 1..(n-1)/2; <c>default(RecoverableSignature)</c> is all zeros and verifies nothing.
/// </summary>
public readonly struct RecoverableSignature : IEquatable<RecoverableSignature>
{
    public const int Size = Secp256k1Format.RecoverableSignatureSize;

    private readonly Buffer65 _bytes;

    private RecoverableSignature(ReadOnlySpan<byte> signature65)
    {
        signature65.CopyTo(_bytes);
    }

    /// <summary>Parses the wire form; false unless every byte-level rule of the format holds.</summary>
    public static bool TryParse(ReadOnlySpan<byte> signature65, out RecoverableSignature signature)
    {
        if (!Secp256k1Format.HasRecoverableSignatureShape(signature65))
        {
            signature = default;
            return false;
        }
        signature = new RecoverableSignature(signature65);
        return true;
    }

    internal static RecoverableSignature FromValid(ReadOnlySpan<byte> signature65) => new(signature65);

    /// <summary>0..3: bit 0 is the parity of R's y, bit 1 says R's x was ≥ n.</summary>
    public int RecoveryId => _bytes[0] - Secp256k1Format.RecoverableHeaderBase;

    /// <summary>The 65 bytes, without copying; valid as long as this value is.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>r || s, the 64 bytes <see cref="ISecp256k1Backend.Verify"/> takes.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Compact => AsSpan()[1..];

    public byte[] ToArray() => AsSpan().ToArray();

    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 65 bytes.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException("destination must hold 65 bytes", nameof(destination));
        AsSpan().CopyTo(destination);
    }

    /// <summary>The public key that signed <paramref name="hash32"/>; false when there is none.</summary>
    public bool TryRecover(ReadOnlySpan<byte> hash32, out PublicKey publicKey, ISecp256k1Backend? backend = null)
    {
        Span<byte> compressed = stackalloc byte[PublicKey.Size];
        if (!backend.OrBest().TryRecover(hash32, AsSpan(), compressed))
        {
            publicKey = default;
            return false;
        }
        publicKey = PublicKey.FromValidCompressed(compressed);
        return true;
    }

    /// <summary>True when this signs <paramref name="hash32"/> under <paramref name="publicKey"/>
    /// (the recovery id is not consulted).</summary>
    public bool Verify(ReadOnlySpan<byte> hash32, PublicKey publicKey, ISecp256k1Backend? backend = null) =>
        backend.OrBest().Verify(hash32, Compact, publicKey.AsSpan());

    public bool Equals(RecoverableSignature other) => AsSpan().SequenceEqual(other.AsSpan());

    public override bool Equals(object? obj) => obj is RecoverableSignature other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(AsSpan());
        return hash.ToHashCode();
    }

    /// <summary>Lower-case hex of the 65 bytes.</summary>
    public override string ToString() => Convert.ToHexStringLower(AsSpan());

    public static bool operator ==(RecoverableSignature left, RecoverableSignature right) => left.Equals(right);

    public static bool operator !=(RecoverableSignature left, RecoverableSignature right) => !left.Equals(right);
}
