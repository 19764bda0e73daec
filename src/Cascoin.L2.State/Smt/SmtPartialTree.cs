using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>One witnessed key: its value under the witness's root (null: absent) and the proof of it.</summary>
public sealed record SmtWitnessEntry(Hash256 Key, byte[]? Value, SmtProof Proof);

/// <summary>Where a witness is too thin: the node at <paramref name="Depth"/> on <paramref name="Path"/>'s bits is known only by its hash.</summary>
public sealed record SmtWitnessGap(Hash256 Path, int Depth, string Message);

/// <summary>
/// The part of the state tree a set of proofs shows (a witness): the paths of the witnessed keys with
/// the sibling subtrees known only by their hashes. It answers reads of witnessed keys, applies
/// changes to them and computes the new root with the tree's own rules (SPEC §4: a lone leaf moves up,
/// two empties are empty) — what a verifier needs to re-execute one step without the state (the
/// fraud proofs' one-step proof). Anything outside the witness is refused, never guessed: a read or
/// write of another key, or a delete whose collapse would depend on a subtree known only by its hash
/// (is it one leaf, which moves up, or more?) is a <see cref="SmtWitnessGap"/>; the prover then adds a
/// proof of a key under that subtree (<see cref="SparseMerkleTree.KeyUnder"/>).
/// </summary>
public sealed class SmtPartialTree
{
    private abstract class Node
    {
        /// <summary>The hash the node had under the witness's root; null for a node a change made.</summary>
        public Hash256? Original;
    }

    private sealed class Empty : Node;

    private sealed class Leaf(Hash256 key, Hash256 valueHash) : Node
    {
        public Hash256 Key { get; } = key;

        public Hash256 ValueHash { get; } = valueHash;
    }

    /// <summary>An inner node of the honest tree (a position above a witnessed path) or one a change made.</summary>
    private sealed class Branch(Node left, Node right) : Node
    {
        public Node Left = left;
        public Node Right = right;

        /// <summary>Kind and hash once computed (a changed branch is a new object, so this never goes stale).</summary>
        public (Kind Kind, Hash256 Hash)? Computed;
    }

    /// <summary>A subtree known only by its hash (a proof's sibling): leaf or inner, nobody here can tell.</summary>
    private sealed class Opaque(Hash256 hash) : Node
    {
        public Hash256 Hash { get; } = hash;
    }

    private Node _root;
    private readonly Dictionary<Hash256, byte[]?> _values = [];

    private SmtPartialTree(Node root) => _root = root;

    /// <summary>
    /// The partial tree of <paramref name="entries"/> under <paramref name="root"/>, or why not: a proof
    /// that does not verify its entry's value against the root, or two entries for one key.
    /// </summary>
    public static (SmtPartialTree? Tree, string? Error) FromWitness(Hash256 root, IReadOnlyList<SmtWitnessEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var tree = new SmtPartialTree(root.IsZero ? new Empty { Original = Hash256.Zero } : new Opaque(root) { Original = root });
        foreach (var entry in entries)
        {
            if (tree._values.ContainsKey(entry.Key))
                return (null, $"key {entry.Key} is witnessed twice");
            if (!SmtVerifier.Verify(root, entry.Key, entry.Value, entry.Proof))
                return (null, $"the proof of key {entry.Key} does not show its value under root {root}");
            tree._values[entry.Key] = entry.Value;
            tree.AddPath(entry.Proof);
        }
        return (tree, null);
    }

    /// <summary>The node hashes along a verified proof, from the root down, placed in the tree (proofs that verify agree where they meet).</summary>
    private void AddPath(SmtProof proof)
    {
        // The hashes of the path's nodes, bottom (depth d) up to the root, as the verifier folds them.
        var hashes = new Hash256[proof.Depth + 1];
        Node bottom = proof.Leaf is { } leaf ? new Leaf(leaf.Key, leaf.ValueHash) : new Empty();
        hashes[proof.Depth] = proof.Leaf is { } l ? SmtHashing.LeafHash(l.Key, l.ValueHash) : Hash256.Zero;
        for (var depth = proof.Depth; depth >= 1; depth--)
        {
            var sibling = proof.Siblings[proof.Depth - depth];
            hashes[depth - 1] = proof.Key.GetBit(depth - 1) == 0 ? SmtHashing.InnerHash(hashes[depth], sibling) : SmtHashing.InnerHash(sibling, hashes[depth]);
        }
        ref Node slot = ref _root;
        for (var depth = 0; depth < proof.Depth; depth++)
        {
            if (slot is not Branch branch)
            {
                var sibling = proof.Siblings[proof.Depth - depth - 1];
                Node siblingNode = sibling.IsZero ? new Empty { Original = Hash256.Zero } : new Opaque(sibling) { Original = sibling };
                var path = new Opaque(hashes[depth + 1]) { Original = hashes[depth + 1] };
                branch = proof.Key.GetBit(depth) == 0 ? new Branch(path, siblingNode) : new Branch(siblingNode, path);
                branch.Original = hashes[depth];
                slot = branch;
            }
            if (proof.Key.GetBit(depth) == 0)
                slot = ref branch.Left;
            else
                slot = ref branch.Right;
        }
        if (slot is Opaque or Empty)
        {
            bottom.Original = hashes[proof.Depth];
            slot = bottom;
        }
    }

    /// <summary>Whether <paramref name="key"/> is witnessed; if so its value (null: absent).</summary>
    public bool TryGet(Hash256 key, out byte[]? value) => _values.TryGetValue(key, out value);

    /// <summary>
    /// Sets (or deletes, for a null value) witnessed keys; returns the first key that is not witnessed,
    /// as a gap, and changes nothing then. The new root is <see cref="ComputeRoot"/>.
    /// </summary>
    public SmtWitnessGap? Apply(IEnumerable<(Hash256 Key, byte[]? Value)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var list = changes.ToList();
        foreach (var (key, _) in list)
        {
            if (!_values.ContainsKey(key))
                return new SmtWitnessGap(key, 0, $"key {key} is written but not witnessed");
        }
        foreach (var (key, value) in list)
        {
            _values[key] = value;
            _root = Set(_root, 0, key, value is null ? null : SmtHashing.ValueHash(value));
        }
        return null;
    }

    /// <summary>
    /// The subtree <paramref name="node"/> at <paramref name="depth"/> with <paramref name="key"/> set to
    /// <paramref name="valueHash"/> (null: removed); the same node when nothing changes, so an untouched
    /// subtree keeps the hash it had.
    /// </summary>
    private static Node Set(Node node, int depth, Hash256 key, Hash256? valueHash)
    {
        switch (node)
        {
            case Branch branch:
                var (child, goRight) = key.GetBit(depth) == 0 ? (branch.Left, false) : (branch.Right, true);
                var changed = Set(child, depth + 1, key, valueHash);
                if (ReferenceEquals(changed, child))
                    return branch;
                return goRight ? new Branch(branch.Left, changed) : new Branch(changed, branch.Right);
            case Leaf leaf when leaf.Key == key:
                return valueHash is not { } hash ? new Empty() : hash == leaf.ValueHash ? leaf : new Leaf(key, hash);
            case Leaf other:
                return valueHash is { } inserted ? Split(depth, other, new Leaf(key, inserted)) : other;
            case Empty:
                return valueHash is { } value ? new Leaf(key, value) : node;
            default:
                // Witnessed keys always end at a leaf or an empty slot: their proofs were placed.
                throw new InvalidOperationException($"key {key} reaches a subtree known only by its hash");
        }
    }

    /// <summary>Two leaves below one slot: inner nodes down to the first bit where their keys differ.</summary>
    private static Branch Split(int depth, Leaf a, Leaf b)
    {
        if (depth >= SmtHashing.MaxDepth)
            throw new InvalidOperationException("two leaves with one key");
        var (bitA, bitB) = (a.Key.GetBit(depth), b.Key.GetBit(depth));
        if (bitA == bitB)
        {
            var below = Split(depth + 1, a, b);
            return bitA == 0 ? new Branch(below, new Empty()) : new Branch(new Empty(), below);
        }
        return bitA == 0 ? new Branch(a, b) : new Branch(b, a);
    }

    /// <summary>
    /// The proof of witnessed <paramref name="key"/> against the root after the changes applied so far
    /// (what a prover hands on for a later step: the tree as it is now, collapsed as the tree's rules
    /// say), or the gap that keeps a sibling from being known; (null, null) when the key is not witnessed.
    /// </summary>
    public (SmtProof? Proof, SmtWitnessGap? Gap) GetProof(Hash256 key)
    {
        if (!_values.ContainsKey(key))
            return (null, null);
        var siblings = new List<Hash256>();
        var (node, path, depth) = (_root, Hash256.Zero, 0);
        while (true)
        {
            var (kind, _, gap) = Hash(node, depth, path);
            if (gap is not null)
                return (null, gap);
            if (kind == Kind.Unknown)
                throw new InvalidOperationException($"witnessed key {key} reaches a subtree known only by its hash");
            // A leaf (perhaps one that moved up out of a collapsed branch) or an empty slot ends the path.
            if (kind != Kind.Inner || node is not Branch branch)
                break;
            var right = key.GetBit(depth) == 1;
            var (other, otherPath) = right ? (branch.Left, path) : (branch.Right, WithBit(path, depth));
            var sibling = Hash(other, depth + 1, otherPath);
            if (sibling.Gap is not null)
                return (null, sibling.Gap);
            siblings.Add(sibling.Hash);
            if (right)
                path = WithBit(path, depth);
            node = right ? branch.Right : branch.Left;
            depth++;
        }
        var leaf = LoneLeaf(node) is { } found ? new SmtProofLeaf(found.Key, found.ValueHash) : (SmtProofLeaf?)null;
        siblings.Reverse();
        return (new SmtProof(key, depth, siblings, leaf), null);
    }

    /// <summary>
    /// The key of a leaf under the node at <paramref name="depth"/> on <paramref name="path"/>'s bits (the
    /// leftmost there; witnessed, or another key's leaf a proof showed), or null when that subtree is
    /// known only by its hash (or holds nothing): what closes a gap when this tree is the prover's view.
    /// </summary>
    public Hash256? KeyUnder(Hash256 path, int depth)
    {
        var node = _root;
        for (var level = 0; level < depth; level++)
        {
            if (node is Leaf lone)
                return SharesPrefix(lone.Key, path, depth) ? lone.Key : null; // a leaf that moved up holds the whole prefix
            if (node is not Branch branch)
                return null;
            node = path.GetBit(level) == 0 ? branch.Left : branch.Right;
        }
        while (node is Branch branch)
            node = Hash(branch.Left, 0, Hash256.Zero) is { Kind: Kind.Empty, Gap: null } ? branch.Right : branch.Left;
        return (node as Leaf)?.Key;
    }

    private static bool SharesPrefix(Hash256 key, Hash256 path, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            if (key.GetBit(i) != path.GetBit(i))
                return false;
        }
        return true;
    }

    /// <summary>The one leaf a subtree that hashes as a leaf holds (it moved up from where it sits in this tree), or null for an empty one.</summary>
    private static Leaf? LoneLeaf(Node node)
    {
        while (node is Branch branch)
            node = Hash(branch.Left, 0, Hash256.Zero).Kind == Kind.Empty ? branch.Right : branch.Left;
        return node as Leaf;
    }

    /// <summary>The root after the changes applied so far, or the gap that keeps it from being known.</summary>
    public (Hash256 Root, SmtWitnessGap? Gap) ComputeRoot()
    {
        var (kind, hash, gap) = Hash(_root, 0, Hash256.Zero);
        return gap is null ? (kind == Kind.Empty ? Hash256.Zero : hash, null) : (default, gap);
    }

    /// <summary><paramref name="path"/> with bit <paramref name="index"/> set (bits counted from the first byte's high bit, as <see cref="Hash256.GetBit"/>).</summary>
    private static Hash256 WithBit(Hash256 path, int index)
    {
        var bytes = path.ToArray();
        bytes[index >> 3] |= (byte)(0x80 >> (index & 7));
        return new Hash256(bytes);
    }

    private enum Kind
    {
        Empty,
        Leaf,
        Inner,
        Unknown,
    }

    /// <summary>A node's kind and hash by the tree's rules; <paramref name="path"/> holds the bits that lead here (for a gap's position).</summary>
    private static (Kind Kind, Hash256 Hash, SmtWitnessGap? Gap) Hash(Node node, int depth, Hash256 path)
    {
        switch (node)
        {
            case Empty:
                return (Kind.Empty, Hash256.Zero, null);
            case Leaf leaf:
                return (Kind.Leaf, SmtHashing.LeafHash(leaf.Key, leaf.ValueHash), null);
            case Opaque opaque:
                return (Kind.Unknown, opaque.Hash, null);
            case Branch branch when branch.Original is { } original:
                return (Kind.Inner, original, null); // untouched by any change: as it was
            case Branch { Computed: { } computed }:
                return (computed.Kind, computed.Hash, null);
            default:
                var inner = (Branch)node;
                var result = Join(inner, depth, path);
                if (result.Gap is null)
                    inner.Computed = (result.Kind, result.Hash);
                return result;
        }
    }

    /// <summary>A changed branch by the tree's rules: two empties are empty, a lone leaf moves up, else an inner node.</summary>
    private static (Kind Kind, Hash256 Hash, SmtWitnessGap? Gap) Join(Branch inner, int depth, Hash256 path)
    {
        var left = Hash(inner.Left, depth + 1, path);
        if (left.Gap is not null)
            return left;
        var rightPath = WithBit(path, depth);
        var right = Hash(inner.Right, depth + 1, rightPath);
        if (right.Gap is not null)
            return right;
        if (left.Kind == Kind.Empty && right.Kind == Kind.Empty)
            return (Kind.Empty, Hash256.Zero, null);
        // The collapse rule: a lone leaf moves up. A lone subtree known only by its hash might be a leaf.
        if (left.Kind == Kind.Empty || right.Kind == Kind.Empty)
        {
            var (lone, lonePath) = left.Kind == Kind.Empty ? (right, rightPath) : (left, path);
            if (lone.Kind == Kind.Leaf)
                return lone;
            if (lone.Kind == Kind.Unknown)
                return (default, default, new SmtWitnessGap(lonePath, depth + 1,
                    $"the subtree at depth {depth + 1} is known only by its hash and its sibling is now empty: witness a key under it"));
        }
        return (Kind.Inner, SmtHashing.InnerHash(left.Hash, right.Hash), null);
    }
}
