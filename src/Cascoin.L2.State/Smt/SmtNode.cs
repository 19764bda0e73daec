using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// A stored tree node's content: a leaf (its key and value hash) or an inner node (references to
/// both children; either may be empty, not both). A struct, so millions of cached nodes are plain
/// data the garbage collector never has to trace.
/// </summary>
public readonly struct SmtNode
{
    private SmtNode(bool isLeaf, NodeRef left, NodeRef right)
    {
        IsLeaf = isLeaf;
        Left = left;
        Right = right;
    }

    public bool IsLeaf { get; }

    public bool IsInner => !IsLeaf;

    /// <summary>Inner node: the left child (bit 0).</summary>
    public NodeRef Left { get; }

    /// <summary>Inner node: the right child (bit 1).</summary>
    public NodeRef Right { get; }

    /// <summary>Leaf: its key.</summary>
    public Hash256 Key => Left.Hash;

    /// <summary>Leaf: the hash of its value.</summary>
    public Hash256 ValueHash => Right.Hash;

    public static SmtNode Leaf(Hash256 key, Hash256 valueHash) =>
        new(true, new NodeRef(NodeKind.Empty, 0, key), new NodeRef(NodeKind.Empty, 0, valueHash));

    public static SmtNode Inner(NodeRef left, NodeRef right) => new(false, left, right);

    /// <summary>The hash a node must have: what its parent's reference (and the database key) says.</summary>
    public Hash256 ComputeHash() => IsLeaf ? SmtHashing.LeafHash(Key, ValueHash) : SmtHashing.InnerHash(Left.Hash, Right.Hash);
}

/// <summary>
/// The stored form of nodes. Leaf: 0x00 ‖ key (32) ‖ valueHash (32).
/// Inner: 0x01 ‖ left ‖ right, each child as kind (1) ‖ version (8, BE) ‖ hash (32).
/// </summary>
public static class SmtNodeCodec
{
    public const int LeafSize = 65;
    public const int InnerSize = 1 + 2 * NodeRef.EncodedSize;

    public static int EncodedSize(in SmtNode node) => node.IsLeaf ? LeafSize : InnerSize;

    public static void Encode(in SmtNode node, Span<byte> destination)
    {
        if (node.IsLeaf)
        {
            destination[0] = SmtHashing.LeafTag;
            node.Key.WriteTo(destination[1..]);
            node.ValueHash.WriteTo(destination[33..]);
        }
        else
        {
            destination[0] = SmtHashing.InnerTag;
            WriteRef(node.Left, destination[1..]);
            WriteRef(node.Right, destination[(1 + NodeRef.EncodedSize)..]);
        }
    }

    public static byte[] Encode(in SmtNode node)
    {
        var bytes = new byte[EncodedSize(node)];
        Encode(node, bytes);
        return bytes;
    }

    /// <exception cref="DecodeException">the bytes are not a node.</exception>
    public static SmtNode Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == LeafSize && bytes[0] == SmtHashing.LeafTag)
            return SmtNode.Leaf(new Hash256(bytes.Slice(1, 32)), new Hash256(bytes.Slice(33, 32)));
        if (bytes.Length == InnerSize && bytes[0] == SmtHashing.InnerTag)
        {
            var left = ReadRef(bytes.Slice(1, NodeRef.EncodedSize));
            var right = ReadRef(bytes.Slice(1 + NodeRef.EncodedSize, NodeRef.EncodedSize));
            if (left.IsEmpty && right.IsEmpty)
                throw new DecodeException("inner node with two empty children");
            return SmtNode.Inner(left, right);
        }
        throw new DecodeException($"not a tree node: {bytes.Length} bytes, tag {(bytes.Length > 0 ? bytes[0] : -1)}");
    }

    public static void WriteRef(NodeRef reference, Span<byte> destination)
    {
        destination[0] = (byte)reference.Kind;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[1..], reference.Version);
        reference.Hash.WriteTo(destination[9..]);
    }

    public static NodeRef ReadRef(ReadOnlySpan<byte> source)
    {
        if (source.Length != NodeRef.EncodedSize)
            throw new DecodeException($"a node reference is {NodeRef.EncodedSize} bytes, got {source.Length}");
        var kind = source[0];
        var version = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(source[1..]);
        var hash = new Hash256(source.Slice(9, 32));
        return kind switch
        {
            (byte)NodeKind.Empty when version == 0 && hash.IsZero => NodeRef.Empty,
            (byte)NodeKind.Leaf or (byte)NodeKind.Inner when !hash.IsZero => new NodeRef((NodeKind)kind, version, hash),
            _ => throw new DecodeException($"invalid node reference (kind {kind})"),
        };
    }
}
