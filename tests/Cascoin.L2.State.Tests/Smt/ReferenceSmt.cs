using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// SPEC §4 written as directly as possible, with no storage and no cleverness: the root of a key
/// set, and proofs, computed from scratch by splitting the sorted keys bit by bit. The persistent
/// tree must agree with it on every input. It hashes with the runtime's SHA-256, not the product's,
/// so a fault in the product's hash cannot hide behind an identical fault here.
/// </summary>
internal static class ReferenceSmt
{
    public static byte[] Root(IReadOnlyDictionary<Hash256, byte[]> entries) => Node(Items(entries), 0);

    public static Hash256 RootHash(IReadOnlyDictionary<Hash256, byte[]> entries) => new(Root(entries));

    /// <summary>A key-value pair as SPEC §4 sees it: the key's raw bytes and the value's hash.</summary>
    private sealed record Item(byte[] Key, byte[] ValueHash);

    private static List<Item> Items(IReadOnlyDictionary<Hash256, byte[]> entries) =>
        entries.Select(e => new Item(e.Key.ToArray(), Sha(e.Value))).ToList();

    private static byte[] Node(List<Item> items, int depth)
    {
        if (items.Count == 0)
            return new byte[32];
        if (items.Count == 1)
            return LeafHash(items[0].Key, items[0].ValueHash);
        var left = items.Where(i => Bit(i.Key, depth) == 0).ToList();
        var right = items.Where(i => Bit(i.Key, depth) == 1).ToList();
        return InnerHash(Node(left, depth + 1), Node(right, depth + 1));
    }

    private static byte[] LeafHash(byte[] key, byte[] valueHash) => Sha([0x00, .. key, .. valueHash]);

    private static byte[] InnerHash(byte[] left, byte[] right) =>
        left.All(b => b == 0) && right.All(b => b == 0) ? new byte[32] : Sha([0x01, .. left, .. right]);

    /// <summary>SPEC §4's bit rule over the raw bytes.</summary>
    public static int Bit(byte[] key, int i) => (key[i / 8] >> (7 - i % 8)) & 1;

    public static int Bit(Hash256 key, int i) => Bit(key.ToArray(), i);

    public static byte[] Sha(byte[] data) => SHA256.HashData(data);

    /// <summary>
    /// The proof SPEC §4 describes for <paramref name="key"/>: walk down k's path while more than one
    /// key shares it; the depth where at most one is left is n; siblings deepest first.
    /// </summary>
    public static (int Depth, List<Hash256> Siblings, (Hash256 Key, Hash256 ValueHash)? Leaf) Proof(IReadOnlyDictionary<Hash256, byte[]> entries, Hash256 key) =>
        Tree.Of(entries).Proof(key);

    /// <summary>
    /// The whole tree of SPEC §4 built once — every node with its hash — so the proofs of many keys
    /// cost a walk each instead of recomputing the tree per key.
    /// </summary>
    public sealed class Tree
    {
        private readonly Node _root;

        private Tree(Node root)
        {
            _root = root;
        }

        public Hash256 Root => new(_root.Hash);

        public static Tree Of(IReadOnlyDictionary<Hash256, byte[]> entries) => new(Build(Items(entries), 0));

        /// <summary>An empty subtree (no item, hash zero), a leaf (one item) or an inner node (both children).</summary>
        private sealed record Node(byte[] Hash, Item? Leaf, Node? Left, Node? Right);

        private static Node Build(List<Item> items, int depth)
        {
            if (items.Count == 0)
                return new Node(new byte[32], null, null, null);
            if (items.Count == 1)
                return new Node(LeafHash(items[0].Key, items[0].ValueHash), items[0], null, null);
            var left = Build(items.Where(i => Bit(i.Key, depth) == 0).ToList(), depth + 1);
            var right = Build(items.Where(i => Bit(i.Key, depth) == 1).ToList(), depth + 1);
            return new Node(InnerHash(left.Hash, right.Hash), null, left, right);
        }

        public (int Depth, List<Hash256> Siblings, (Hash256 Key, Hash256 ValueHash)? Leaf) Proof(Hash256 key)
        {
            var keyBytes = key.ToArray();
            var topDown = new List<Hash256>();
            var node = _root;
            while (node.Left is not null && node.Right is not null)
            {
                var goRight = Bit(keyBytes, topDown.Count) == 1;
                topDown.Add(new Hash256(goRight ? node.Left.Hash : node.Right.Hash));
                node = goRight ? node.Right : node.Left;
            }
            var depth = topDown.Count;
            topDown.Reverse();
            (Hash256, Hash256)? leaf = node.Leaf is { } item ? (new Hash256(item.Key), new Hash256(item.ValueHash)) : null;
            return (depth, topDown, leaf);
        }

        /// <summary>The tree's proof is exactly this tree's proof: same depth, siblings and leaf.</summary>
        public void AssertSameProof(Hash256 key, SmtProof proof)
        {
            var (depth, siblings, leaf) = Proof(key);
            Assert.Equal(key, proof.Key);
            Assert.Equal(depth, proof.Depth);
            Assert.Equal(siblings, proof.Siblings);
            Assert.Equal(leaf, proof.Leaf is { } l ? (l.Key, l.ValueHash) : null);
        }
    }

    /// <summary>The tree's proof is exactly the SPEC proof: same depth, siblings and leaf.</summary>
    public static void AssertSameProof(IReadOnlyDictionary<Hash256, byte[]> entries, Hash256 key, SmtProof proof) =>
        Tree.Of(entries).AssertSameProof(key, proof);

    /// <summary>
    /// SPEC §4 verification, spelled out: the leaf must be k's own (membership, with the value's hash)
    /// or another key sharing k's first n bits or none (non-membership); fold upward taking each
    /// sibling on the side opposite to k's bit; the result must be the root.
    /// </summary>
    public static bool Verify(Hash256 root, Hash256 key, byte[]? value, int depth, IReadOnlyList<Hash256> siblings, (Hash256 Key, Hash256 ValueHash)? leaf)
    {
        if (depth is < 0 or > 256 || siblings.Count != depth)
            return false;
        byte[] node;
        if (value is not null)
        {
            if (leaf is not { } own || own.Key != key || new Hash256(Sha(value)) != own.ValueHash)
                return false;
            node = LeafHash(key.ToArray(), own.ValueHash.ToArray());
        }
        else if (leaf is { } other)
        {
            if (other.Key == key || Enumerable.Range(0, depth).Any(i => Bit(key, i) != Bit(other.Key, i)))
                return false;
            node = LeafHash(other.Key.ToArray(), other.ValueHash.ToArray());
        }
        else
        {
            node = new byte[32];
        }
        for (var d = depth; d >= 1; d--)
        {
            var sibling = siblings[depth - d].ToArray();
            node = Bit(key, d - 1) == 0 ? InnerHash(node, sibling) : InnerHash(sibling, node);
        }
        return new Hash256(node) == root;
    }

    /// <summary>The root a proof folds to when its claim is taken at face value (its leaf's hash, or zero).</summary>
    public static Hash256 FoldedRoot(SmtProof proof)
    {
        var node = proof.Leaf is { } leaf ? LeafHash(leaf.Key.ToArray(), leaf.ValueHash.ToArray()) : new byte[32];
        for (var d = proof.Depth; d >= 1; d--)
        {
            var sibling = proof.Siblings[proof.Depth - d].ToArray();
            node = Bit(proof.Key, d - 1) == 0 ? InnerHash(node, sibling) : InnerHash(sibling, node);
        }
        return new Hash256(node);
    }
}
