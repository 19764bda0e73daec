using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>What one batch update produced: nodes to write, nodes and values that left the tree, hashes spent.</summary>
internal sealed class SmtWriteSet(int expectedChanges = 0)
{
    // A change rewrites about log2(n) - log2(batch) + 2 nodes; ten per change covers trees of millions of keys.
    public List<(NodeRef Reference, SmtNode Node)> NewNodes { get; } = new(expectedChanges * 10);

    /// <summary>Nodes of the previous tree that the new tree no longer contains.</summary>
    public List<NodeRef> StaleNodes { get; } = new(expectedChanges * 10);

    /// <summary>Leaves whose value record became stale: their key and the version that wrote it.</summary>
    public List<(Hash256 Key, ulong Version)> StaleLeaves { get; } = [];

    /// <summary>Nodes read from the old cache generation or the database: remembered again with the block.</summary>
    public List<(NodeRef, SmtNode)> Promoted { get; } = [];

    public long Hashes { get; set; }

    public void Merge(SmtWriteSet other)
    {
        NewNodes.AddRange(other.NewNodes);
        StaleNodes.AddRange(other.StaleNodes);
        StaleLeaves.AddRange(other.StaleLeaves);
        Promoted.AddRange(other.Promoted);
        Hashes += other.Hashes;
    }
}
