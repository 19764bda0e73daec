using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

public enum NodeKind : byte
{
    Empty = 0,
    Leaf = 1,
    Inner = 2,
}

/// <summary>
/// A pointer to a tree node: its kind, the version (block) that wrote it, and its hash. The pair
/// (version, hash) is the node's database key, so every root shares unchanged subtrees with its
/// predecessors, and a node rewritten later is a new record (which makes pruning exact).
/// A leaf's hash does not depend on its depth, so a leaf that moves up keeps its record.
/// </summary>
public readonly record struct NodeRef(NodeKind Kind, ulong Version, Hash256 Hash)
{
    public static NodeRef Empty => default;

    public bool IsEmpty => Kind == NodeKind.Empty;

    /// <summary>Bytes of a reference inside an inner node: kind (1) ‖ version (8, BE) ‖ hash (32).</summary>
    public const int EncodedSize = 41;

    /// <summary>Bytes of a node's database key: version (8, BE) ‖ hash (32).</summary>
    public const int KeySize = 40;

    public void WriteKey(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, Version);
        Hash.WriteTo(destination[8..]);
    }

    public byte[] ToKey()
    {
        var key = new byte[KeySize];
        WriteKey(key);
        return key;
    }
}
