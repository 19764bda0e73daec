using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

public sealed partial class SparseMerkleTree
{
    /// <summary>A membership or non-membership proof for <paramref name="key"/> at the newest version.</summary>
    public SmtProof GetProof(Hash256 key) => LatestVersion is { } latest ? GetProof(key, latest) : new SmtProof(key, 0, [], null);

    /// <summary>A membership or non-membership proof for <paramref name="key"/> at <paramref name="version"/>.</summary>
    public SmtProof GetProof(Hash256 key, ulong version)
    {
        RequireRetained(version);
        TryGetRootRef(version, out var node);
        var path = new List<Hash256>();
        var depth = 0;
        while (node.Kind == NodeKind.Inner)
        {
            var inner = _store.Load(node);
            var goRight = key.GetBit(depth) == 1;
            path.Add(goRight ? inner.Left.Hash : inner.Right.Hash);
            node = goRight ? inner.Right : inner.Left;
            depth++;
        }
        SmtProofLeaf? leaf = null;
        if (node.Kind == NodeKind.Leaf)
        {
            var found = _store.Load(node);
            leaf = new SmtProofLeaf(found.Key, found.ValueHash);
        }
        path.Reverse();
        return new SmtProof(key, depth, path, leaf);
    }

    /// <summary>
    /// The key of a leaf under the node at <paramref name="depth"/> on the bits of <paramref name="path"/>
    /// at <paramref name="version"/> (the leftmost), or null when that subtree is empty: the key whose
    /// proof shows what a witness gap hid (<see cref="SmtWitnessGap"/>).
    /// </summary>
    public Hash256? KeyUnder(Hash256 path, int depth, ulong version)
    {
        RequireRetained(version);
        TryGetRootRef(version, out var node);
        for (var level = 0; node.Kind == NodeKind.Inner; level++)
        {
            var inner = _store.Load(node);
            node = level < depth && path.GetBit(level) == 1 || level >= depth && inner.Left.IsEmpty ? inner.Right : inner.Left;
        }
        return node.Kind == NodeKind.Leaf ? _store.Load(node).Key : null;
    }

    /// <summary>
    /// A witness at <paramref name="version"/> for reading <paramref name="reads"/> and applying
    /// <paramref name="changes"/>: a proof of every key read or written, and of one key under each
    /// subtree a delete's collapse depends on, added until the partial tree computes the new root.
    /// </summary>
    public IReadOnlyList<SmtWitnessEntry> Witness(IEnumerable<Hash256> reads, IReadOnlyList<(Hash256 Key, byte[]? Value)> changes, ulong version)
    {
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(changes);
        if (!TryGetRoot(version, out var root))
            throw new InvalidOperationException($"version {version} is not retained");
        var keys = new HashSet<Hash256>(reads);
        keys.UnionWith(changes.Select(c => c.Key));
        var entries = keys.Select(k => new SmtWitnessEntry(k, Get(k, version), GetProof(k, version))).ToList();
        // Each gap adds a key; a delete's collapse climbs at most 256 levels.
        for (var attempt = 0; attempt <= (changes.Count + 1) * SmtHashing.MaxDepth; attempt++)
        {
            var (tree, error) = SmtPartialTree.FromWitness(root, entries);
            if (tree is null)
                throw new InvalidOperationException($"the tree's own proofs do not make a witness: {error}");
            if (tree.Apply(changes) is { } unwritten)
                throw new InvalidOperationException(unwritten.Message);
            if (tree.ComputeRoot().Gap is not { } gap)
                return entries;
            var under = KeyUnder(gap.Path, gap.Depth, version) ?? throw new InvalidOperationException($"a witness gap over an empty subtree: {gap.Message}");
            if (!keys.Add(under))
                throw new InvalidOperationException($"a witness gap the proof of {under} did not close: {gap.Message}");
            entries.Add(new SmtWitnessEntry(under, Get(under, version), GetProof(under, version)));
        }
        throw new InvalidOperationException("the witness did not close");
    }
}
