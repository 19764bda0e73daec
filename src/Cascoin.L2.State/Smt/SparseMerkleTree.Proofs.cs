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
}
