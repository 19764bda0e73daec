using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>Inputs of 0..300 bytes (FsCheck's default arrays stay shorter), so several SHA-256 blocks and both
/// sides of the concatenating overloads' 256-byte gather limit are reached.</summary>
public static class Sha256Generators
{
    public static Arbitrary<byte[]> Bytes() =>
        Gen.Choose(0, 300)
            .SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length))
            .ToArbitrary();
}

/// <summary><see cref="Sha256Fast"/> equals <see cref="SHA256.HashData(ReadOnlySpan{byte})"/> on every backend and overload.</summary>
[Properties(Arbitrary = new[] { typeof(Sha256Generators) }, MaxTest = 500)]
public class Sha256FastProperties
{
    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Property]
    public bool Hash_equals_the_framework(byte[] data)
    {
        var digest = new byte[32];
        Sha256Fast.Hash(data, digest);
        var expected = SHA256.HashData(data);
        return digest.AsSpan().SequenceEqual(expected)
            && Sha256Fast.Hash(data).AsSpan().SequenceEqual(expected)
            && Hashes.Sha256(data).AsSpan().SequenceEqual(expected);
    }

    [Property]
    public bool Prefix_overload_equals_the_framework_on_the_concatenation(byte prefix, byte[] a, byte[] b)
    {
        var expected = SHA256.HashData(Concat([prefix], a, b));
        var digest = new byte[32];
        Sha256Fast.Hash(prefix, a, b, digest);
        var managed = new byte[32];
        Sha256Fast.HashManaged([prefix], a, b, managed);
        return digest.AsSpan().SequenceEqual(expected) && managed.AsSpan().SequenceEqual(expected);
    }

    [Property]
    public bool Two_and_three_part_overloads_equal_the_framework_on_the_concatenation(byte[] a, byte[] b, byte[] c)
    {
        var digest = new byte[32];
        Sha256Fast.Hash(a, b, digest);
        var two = digest.AsSpan().SequenceEqual(SHA256.HashData(Concat(a, b)));
        var expected = SHA256.HashData(Concat(a, b, c));
        Sha256Fast.Hash(a, b, c, digest);
        var three = digest.AsSpan().SequenceEqual(expected);
        Sha256Fast.HashManaged(a, b, c, digest);
        return two && three && digest.AsSpan().SequenceEqual(expected);
    }

    [Property]
    public bool Tree_node_shapes_equal_the_framework(byte prefix, Guid seed)
    {
        // The exact shapes the sparse Merkle tree hashes: prefix ‖ 32 ‖ 32.
        var random = new Random(seed.GetHashCode());
        var left = new byte[32];
        var right = new byte[32];
        random.NextBytes(left);
        random.NextBytes(right);
        var digest = new byte[32];
        Sha256Fast.Hash(prefix, left, right, digest);
        return digest.AsSpan().SequenceEqual(SHA256.HashData(Concat([prefix], left, right)));
    }

    [Property]
    public bool Sha256d_is_the_framework_applied_twice(byte[] data) =>
        Hashes.Sha256d(data).AsSpan().SequenceEqual(SHA256.HashData(SHA256.HashData(data)));
}
