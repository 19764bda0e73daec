using Cascoin.L2.Chain.Blocks;

namespace Cascoin.L2.Node.Metrics;

/// <summary>
/// How long a block took from its timestamp (set by its proposer) to its commit here, for the
/// finality histogram and the dashboard. Blocks older than <see cref="CatchUp"/> at commit are a node
/// catching up (a restart, a sync from peers or from L1), not finality, and are left out.
/// </summary>
public static class BlockFinality
{
    public static readonly TimeSpan CatchUp = TimeSpan.FromMinutes(10);

    public static TimeSpan? Of(Block block, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(time);
        var age = TimeSpan.FromMilliseconds(Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - (long)block.Header.Timestamp));
        return block.Number == 0 || age > CatchUp ? null : age;
    }
}
