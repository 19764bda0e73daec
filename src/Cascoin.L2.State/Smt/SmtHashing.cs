using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// The hashing rules of the sparse Merkle tree (SPEC §4): empty = 32 zero bytes,
/// leaf = SHA-256(0x00 ‖ key ‖ SHA-256(value)), inner = SHA-256(0x01 ‖ left ‖ right),
/// and an inner node with two empty children is itself empty.
/// </summary>
public static class SmtHashing
{
    public const byte LeafTag = 0x00;
    public const byte InnerTag = 0x01;

    /// <summary>The depth of the tree: one level per key bit.</summary>
    public const int MaxDepth = 256;

    public static Hash256 ValueHash(ReadOnlySpan<byte> value)
    {
        Span<byte> hash = stackalloc byte[32];
        Hashes.Sha256(value, hash);
        return new Hash256(hash);
    }

    public static Hash256 LeafHash(in Hash256 key, in Hash256 valueHash) => TaggedHash(LeafTag, key, valueHash);

    public static Hash256 InnerHash(in Hash256 left, in Hash256 right) =>
        left.IsZero && right.IsZero ? Hash256.Zero : TaggedHash(InnerTag, left, right);

    private static Hash256 TaggedHash(byte tag, in Hash256 a, in Hash256 b)
    {
        Span<byte> input = stackalloc byte[65];
        input[0] = tag;
        a.WriteTo(input[1..]);
        b.WriteTo(input[33..]);
        Span<byte> hash = stackalloc byte[32];
        Hashes.Sha256(input, hash);
        return new Hash256(hash);
    }
}
