namespace Cascoin.L2.State.Smt;

/// <summary>Tuning and history policy of the sparse Merkle tree.</summary>
public sealed record SmtOptions
{
    /// <summary>Tree nodes kept in memory (about 150 bytes each). The default holds a 2M-account tree.</summary>
    public int CacheNodes { get; init; } = 4_000_000;

    /// <summary>How many recent versions stay provable and revertible (at least the challenge period in blocks).</summary>
    public ulong RetainVersions { get; init; } = 1_300_000;

    /// <summary>False for an archive node: nothing is ever pruned.</summary>
    public bool Prune { get; init; } = true;

    /// <summary>At most this many records are deleted per pruning write batch.</summary>
    public int PruneBatchSize { get; init; } = 100_000;
}
