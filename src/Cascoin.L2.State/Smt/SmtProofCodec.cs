using System.Buffers.Binary;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// The compact binary proof (doc/state.md): kind (1: 0 empty slot, 1 own leaf, 2 other leaf) ‖
/// depth (u16 LE, 0..256) ‖ bitmap (⌈depth/8⌉ bytes, bit j = sibling j non-zero, deepest first,
/// least significant bit first) ‖ the non-zero siblings (32 bytes each) ‖ for an own leaf its value
/// hash (32) ‖ for another leaf its key (32) and value hash (32). Anything else — unknown kind,
/// depth over 256, bits set past the depth, a "non-zero" sibling of zeros, trailing bytes — is rejected.
/// </summary>
public static class SmtProofCodec
{
    public const byte KindEmpty = 0;
    public const byte KindOwnLeaf = 1;
    public const byte KindOtherLeaf = 2;

    public static byte[] Encode(SmtProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var bitmapBytes = (proof.Depth + 7) / 8;
        var present = proof.Siblings.Count(s => !s.IsZero);
        var kind = proof.Leaf is null ? KindEmpty : proof.IsMembership ? KindOwnLeaf : KindOtherLeaf;
        var size = 3 + bitmapBytes + 32 * present + (kind == KindOwnLeaf ? 32 : kind == KindOtherLeaf ? 64 : 0);
        var output = new byte[size];
        output[0] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(1), (ushort)proof.Depth);
        var offset = 3 + bitmapBytes;
        for (var j = 0; j < proof.Depth; j++)
        {
            if (proof.Siblings[j].IsZero)
                continue;
            output[3 + j / 8] |= (byte)(1 << (j % 8));
            proof.Siblings[j].WriteTo(output.AsSpan(offset));
            offset += 32;
        }
        if (proof.Leaf is { } leaf)
        {
            if (kind == KindOtherLeaf)
            {
                leaf.Key.WriteTo(output.AsSpan(offset));
                offset += 32;
            }
            leaf.ValueHash.WriteTo(output.AsSpan(offset));
        }
        return output;
    }

    /// <summary>Decodes a compact proof for <paramref name="key"/>; false for any malformed input, never an exception.</summary>
    public static bool TryDecode(Hash256 key, ReadOnlySpan<byte> bytes, out SmtProof proof)
    {
        proof = null!;
        if (bytes.Length < 3 || bytes[0] > KindOtherLeaf)
            return false;
        var kind = bytes[0];
        int depth = BinaryPrimitives.ReadUInt16LittleEndian(bytes[1..]);
        if (depth > SmtHashing.MaxDepth)
            return false;
        var bitmapBytes = (depth + 7) / 8;
        if (bytes.Length < 3 + bitmapBytes)
            return false;
        var bitmap = bytes.Slice(3, bitmapBytes);
        if (depth % 8 != 0 && bitmapBytes > 0 && (bitmap[^1] >> (depth % 8)) != 0)
            return false;
        var present = 0;
        foreach (var b in bitmap)
            present += System.Numerics.BitOperations.PopCount(b);
        var leafBytes = kind switch { KindOwnLeaf => 32, KindOtherLeaf => 64, _ => 0 };
        if (bytes.Length != 3 + bitmapBytes + 32 * present + leafBytes)
            return false;

        var siblings = new Hash256[depth];
        var offset = 3 + bitmapBytes;
        for (var j = 0; j < depth; j++)
        {
            if ((bitmap[j / 8] >> (j % 8) & 1) == 0)
                continue;
            siblings[j] = new Hash256(bytes.Slice(offset, 32));
            offset += 32;
            if (siblings[j].IsZero)
                return false;
        }
        SmtProofLeaf? leaf = kind switch
        {
            KindOwnLeaf => new SmtProofLeaf(key, new Hash256(bytes.Slice(offset, 32))),
            KindOtherLeaf => new SmtProofLeaf(new Hash256(bytes.Slice(offset, 32)), new Hash256(bytes.Slice(offset + 32, 32))),
            _ => null,
        };
        if (kind == KindOtherLeaf && leaf!.Value.Key == key)
            return false;
        proof = new SmtProof(key, depth, siblings, leaf);
        return true;
    }
}
