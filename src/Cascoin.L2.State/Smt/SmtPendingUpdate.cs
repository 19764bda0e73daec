using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// A computed but not yet written tree update for one version. Stage it into the block's write batch,
/// commit the batch, then tell the tree (<see cref="SparseMerkleTree.Committed"/>).
/// </summary>
public sealed class SmtPendingUpdate
{
    internal SmtPendingUpdate(ulong version, NodeRef previousRoot, NodeRef root, SmtWriteSet writes, IReadOnlyList<SmtChange> changedValues)
    {
        Version = version;
        PreviousRoot = previousRoot;
        RootRef = root;
        Writes = writes;
        ChangedValues = changedValues;
    }

    public ulong Version { get; }

    public Hash256 Root => RootRef.Hash;

    /// <summary>Keys whose value really changed (set to a new value, or deleted while present).</summary>
    public IReadOnlyList<SmtChange> ChangedValues { get; }

    /// <summary>SHA-256 compressions spent (value hashes, leaf hashes, inner hashes).</summary>
    public long Hashes => Writes.Hashes;

    public int NodesWritten => Writes.NewNodes.Count;

    internal NodeRef PreviousRoot { get; }

    internal NodeRef RootRef { get; }

    internal SmtWriteSet Writes { get; }
}
