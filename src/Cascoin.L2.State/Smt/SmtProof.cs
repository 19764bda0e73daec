using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>The leaf a proof ends at: the queried key's own leaf, or another key's leaf on its path.</summary>
public readonly record struct SmtProofLeaf(Hash256 Key, Hash256 ValueHash);

/// <summary>
/// A proof for one key (SPEC §4): the depth n of the slot on the key's path, the siblings at depths
/// n, n−1, …, 1 (deepest first, zero where empty), and the leaf found at depth n, if any.
/// </summary>
public sealed class SmtProof
{
    public SmtProof(Hash256 key, int depth, IReadOnlyList<Hash256> siblings, SmtProofLeaf? leaf)
    {
        ArgumentNullException.ThrowIfNull(siblings);
        if (depth is < 0 or > SmtHashing.MaxDepth)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth must be 0..256");
        if (siblings.Count != depth)
            throw new ArgumentException($"a proof of depth {depth} has {depth} siblings, not {siblings.Count}", nameof(siblings));
        Key = key;
        Depth = depth;
        Siblings = siblings;
        Leaf = leaf;
    }

    /// <summary>The key this proof is about.</summary>
    public Hash256 Key { get; }

    public int Depth { get; }

    /// <summary>Deepest first: <c>Siblings[0]</c> is the sibling at depth <see cref="Depth"/>.</summary>
    public IReadOnlyList<Hash256> Siblings { get; }

    public SmtProofLeaf? Leaf { get; }

    /// <summary>True when the proof shows the key present (its own leaf).</summary>
    public bool IsMembership => Leaf is { } leaf && leaf.Key == Key;

    /// <summary>The compact binary form (see <see cref="SmtProofCodec"/>).</summary>
    public byte[] ToCompact() => SmtProofCodec.Encode(this);
}
