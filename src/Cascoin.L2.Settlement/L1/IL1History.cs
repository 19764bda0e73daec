using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The blocks before the one being executed, as a contract may read them: their hashes and the state
/// after each. Blocks connect one at a time on top of their parent (a reorganization first reverts
/// to the fork), so every height below the executing block is its own ancestry.
/// </summary>
public interface IL1History
{
    /// <summary>The hash of the block at <paramref name="height"/> below the executing one, or null.</summary>
    Hash256? HashAt(ulong height);

    /// <summary>The state after the block at <paramref name="height"/> below the executing one, or null.</summary>
    L1StateView? StateAt(ulong height);
}
