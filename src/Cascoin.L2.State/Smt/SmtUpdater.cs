using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// Applies a sorted batch of changes to a tree and returns the new root, touching only the paths
/// of the changed keys. Pure with respect to the database: it reads nodes through the store and
/// collects what to write in a <see cref="SmtWriteSet"/>. Independent subtrees near the root are
/// hashed in parallel; the result does not depend on the split (same input ⇒ same root).
/// </summary>
internal sealed class SmtUpdater
{
    /// <summary>Above this depth both sides of a node run in parallel (when each has enough changes): one fork level per core doubling.</summary>
    private static readonly int ParallelDepth = Math.Max(1, (int)Math.Ceiling(Math.Log2(Environment.ProcessorCount)));
    private const int ParallelThreshold = 1024;

    private readonly NodeStore _store;
    private readonly ulong _version;

    public SmtUpdater(NodeStore store, ulong version)
    {
        _store = store;
        _version = version;
    }

    /// <summary>One pending leaf: an existing leaf kept as is, or a new (key, value hash).</summary>
    private readonly record struct LeafItem(Hash256 Key, Hash256 ValueHash, NodeRef Existing);

    /// <param name="changes">Sorted by key, one change per key; value hashes precomputed.</param>
    public NodeRef Apply(NodeRef root, ArraySegment<(Hash256 Key, Hash256 ValueHash, bool Delete)> changes, SmtWriteSet writes) =>
        Update(root, 0, changes, writes);

    private NodeRef Update(NodeRef node, int depth, ArraySegment<(Hash256 Key, Hash256 ValueHash, bool Delete)> changes, SmtWriteSet writes)
    {
        if (changes.Count == 0)
            return node;
        switch (node.Kind)
        {
            case NodeKind.Empty:
                return Build(depth, MergeIntoLeaf(null, default, changes), writes);
            case NodeKind.Leaf:
                var leaf = _store.Load(node, writes.Promoted);
                var items = MergeIntoLeaf(leaf, node, changes);
                if (items.Count == 1 && items[0].Existing == node)
                    return node;
                if (!items.Exists(i => i.Existing == node))
                {
                    writes.StaleNodes.Add(node);
                    writes.StaleLeaves.Add((leaf.Key, node.Version));
                }
                return Build(depth, items, writes);
            default:
                return UpdateInner(node, depth, changes, writes);
        }
    }

    private NodeRef UpdateInner(NodeRef node, int depth, ArraySegment<(Hash256 Key, Hash256 ValueHash, bool Delete)> changes, SmtWriteSet writes)
    {
        if (depth >= SmtHashing.MaxDepth)
            throw new InvalidOperationException("tree deeper than 256 levels: two keys are equal");
        var inner = _store.Load(node, writes.Promoted);
        var split = FirstWithBitSet(changes, depth);
        var leftChanges = changes[..split];
        var rightChanges = changes[split..];

        NodeRef newLeft, newRight;
        if (depth < ParallelDepth && leftChanges.Count >= ParallelThreshold && rightChanges.Count >= ParallelThreshold)
        {
            var leftWrites = new SmtWriteSet();
            NodeRef left = default, right = default;
            // Parallel.Invoke runs one side on this thread, so nested forks never starve the thread pool.
            Parallel.Invoke(
                () => left = Update(inner.Left, depth + 1, leftChanges, leftWrites),
                () => right = Update(inner.Right, depth + 1, rightChanges, writes));
            newLeft = left;
            newRight = right;
            writes.Merge(leftWrites);
        }
        else
        {
            newLeft = Update(inner.Left, depth + 1, leftChanges, writes);
            newRight = Update(inner.Right, depth + 1, rightChanges, writes);
        }

        if (newLeft == inner.Left && newRight == inner.Right)
            return node;
        writes.StaleNodes.Add(node);
        return Join(newLeft, newRight, writes);
    }

    /// <summary>The existing leaf (if any) merged with the changes, sorted by key; deleted keys left out.</summary>
    private static List<LeafItem> MergeIntoLeaf(SmtNode? leaf, NodeRef leafRef, ArraySegment<(Hash256 Key, Hash256 ValueHash, bool Delete)> changes)
    {
        var items = new List<LeafItem>(changes.Count + 1);
        var leafPending = leaf is not null;
        foreach (var (key, valueHash, delete) in changes)
        {
            if (leafPending)
            {
                var order = leaf!.Value.Key.CompareTo(key);
                if (order < 0)
                {
                    items.Add(new LeafItem(leaf.Value.Key, leaf.Value.ValueHash, leafRef));
                    leafPending = false;
                }
                else if (order == 0)
                {
                    leafPending = false;
                    if (!delete)
                        items.Add(valueHash == leaf.Value.ValueHash ? new LeafItem(key, valueHash, leafRef) : new LeafItem(key, valueHash, NodeRef.Empty));
                    continue;
                }
            }
            if (!delete)
                items.Add(new LeafItem(key, valueHash, NodeRef.Empty));
        }
        if (leafPending)
            items.Add(new LeafItem(leaf!.Value.Key, leaf.Value.ValueHash, leafRef));
        return items;
    }

    private NodeRef Build(int depth, List<LeafItem> items, SmtWriteSet writes) =>
        Build(depth, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items), writes);

    private NodeRef Build(int depth, ReadOnlySpan<LeafItem> items, SmtWriteSet writes)
    {
        if (items.Length == 0)
            return NodeRef.Empty;
        if (items.Length == 1)
            return items[0].Existing.IsEmpty ? NewLeaf(items[0].Key, items[0].ValueHash, writes) : items[0].Existing;
        if (depth >= SmtHashing.MaxDepth)
            throw new InvalidOperationException("tree deeper than 256 levels: two keys are equal");
        var split = 0;
        while (split < items.Length && items[split].Key.GetBit(depth) == 0)
            split++;
        var left = Build(depth + 1, items[..split], writes);
        var right = Build(depth + 1, items[split..], writes);
        return Join(left, right, writes);
    }

    /// <summary>The node over two children, with the collapse rule: a lone leaf moves up, two empties are empty.</summary>
    private NodeRef Join(NodeRef left, NodeRef right, SmtWriteSet writes)
    {
        if (left.IsEmpty && right.IsEmpty)
            return NodeRef.Empty;
        if (left.IsEmpty && right.Kind == NodeKind.Leaf)
            return right;
        if (right.IsEmpty && left.Kind == NodeKind.Leaf)
            return left;
        var hash = SmtHashing.InnerHash(left.Hash, right.Hash);
        writes.Hashes++;
        var reference = new NodeRef(NodeKind.Inner, _version, hash);
        writes.NewNodes.Add((reference, SmtNode.Inner(left, right)));
        return reference;
    }

    private NodeRef NewLeaf(Hash256 key, Hash256 valueHash, SmtWriteSet writes)
    {
        var reference = new NodeRef(NodeKind.Leaf, _version, SmtHashing.LeafHash(key, valueHash));
        writes.Hashes++;
        writes.NewNodes.Add((reference, SmtNode.Leaf(key, valueHash)));
        return reference;
    }

    /// <summary>Changes share their first <paramref name="depth"/> bits, so bit <paramref name="depth"/> is sorted: 0s then 1s.</summary>
    private static int FirstWithBitSet(ArraySegment<(Hash256 Key, Hash256 ValueHash, bool Delete)> changes, int depth)
    {
        int low = 0, high = changes.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (changes[middle].Key.GetBit(depth) == 0)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }
}
