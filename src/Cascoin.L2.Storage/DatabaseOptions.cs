namespace Cascoin.L2.Storage;

/// <summary>Tuning of the node database. The defaults suit a node on a small machine.</summary>
public sealed record DatabaseOptions
{
    /// <summary>Shared LRU block cache for all column families (the -dbcache option, in bytes).</summary>
    public ulong BlockCacheBytes { get; init; } = 256UL * 1024 * 1024;

    /// <summary>fsync every commit, so a power cut never loses a committed block. Tests may turn it off.</summary>
    public bool SyncWrites { get; init; } = true;

    public int MaxOpenFiles { get; init; } = 512;

    public int BackgroundThreads { get; init; } = 2;
}
