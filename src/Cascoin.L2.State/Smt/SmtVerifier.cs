using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// Checks proofs with nothing but SHA-256: start from the leaf hash (or zero) at the proof's depth
/// and fold upward with the inner-node hash, taking each sibling on the side opposite to the key's
/// bit; the result must be the root. Never throws for bad proofs: they verify false.
/// </summary>
public static class SmtVerifier
{
    /// <summary>
    /// True iff <paramref name="proof"/> shows that, under <paramref name="root"/>, <paramref name="key"/>
    /// has <paramref name="value"/> (or, for a null value, is absent).
    /// </summary>
    public static bool Verify(Hash256 root, Hash256 key, ReadOnlySpan<byte> value, bool present, SmtProof? proof)
    {
        if (proof is null || proof.Key != key || proof.Depth is < 0 or > SmtHashing.MaxDepth || proof.Siblings.Count != proof.Depth)
            return false;
        Hash256 node;
        switch (proof.Leaf)
        {
            case null:
                if (present)
                    return false;
                node = Hash256.Zero;
                break;
            case { } leaf when leaf.Key == key:
                if (!present || SmtHashing.ValueHash(value) != leaf.ValueHash)
                    return false;
                node = SmtHashing.LeafHash(key, leaf.ValueHash);
                break;
            case { } other:
                // Another key's leaf in k's slot proves k absent, provided it really is on k's path.
                if (present || !SharesPrefix(key, other.Key, proof.Depth))
                    return false;
                node = SmtHashing.LeafHash(other.Key, other.ValueHash);
                break;
        }
        for (var depth = proof.Depth; depth >= 1; depth--)
        {
            var sibling = proof.Siblings[proof.Depth - depth];
            node = key.GetBit(depth - 1) == 0 ? SmtHashing.InnerHash(node, sibling) : SmtHashing.InnerHash(sibling, node);
        }
        return node == root;
    }

    /// <summary>Membership (<paramref name="value"/> non-null) or exclusion (null).</summary>
    public static bool Verify(Hash256 root, Hash256 key, byte[]? value, SmtProof? proof) =>
        Verify(root, key, value, value is not null, proof);

    /// <summary>Verifies a compact proof; malformed bytes verify false.</summary>
    public static bool VerifyCompact(Hash256 root, Hash256 key, byte[]? value, ReadOnlySpan<byte> compactProof) =>
        SmtProofCodec.TryDecode(key, compactProof, out var proof) && Verify(root, key, value, proof);

    /// <summary>Verifies many proofs on all cores; the result is in input order.</summary>
    public static bool[] VerifyMany(IReadOnlyList<(Hash256 Root, Hash256 Key, byte[]? Value, SmtProof Proof)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new bool[items.Count];
        Parallel.For(0, items.Count, i => results[i] = Verify(items[i].Root, items[i].Key, items[i].Value, items[i].Proof));
        return results;
    }

    private static bool SharesPrefix(Hash256 a, Hash256 b, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            if (a.GetBit(i) != b.GetBit(i))
                return false;
        }
        return true;
    }
}
