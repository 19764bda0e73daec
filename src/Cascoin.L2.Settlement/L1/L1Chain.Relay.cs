using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>What became of a block received from a peer.</summary>
public enum L1BlockAcceptance
{
    /// <summary>It is on the active chain now (it extended the tip or won a reorganization).</summary>
    Connected,

    /// <summary>Stored on a branch that is not (yet) the longest.</summary>
    SideBranch,

    AlreadyKnown,

    /// <summary>Its parent is unknown: ask the peer for the blocks in between.</summary>
    MissingParent,

    Invalid,
}

/// <summary>The parts of the chain that serve other nodes: blocks from peers, block locators, blocks after a locator.</summary>
public sealed partial class L1Chain
{
    /// <summary>How far ahead of this node's clock a peer's block may be stamped.</summary>
    public static readonly TimeSpan MaxFutureBlockTime = TimeSpan.FromHours(2);

    /// <summary>Raised (outside the lock) after a transaction entered the mempool, so it can be relayed.</summary>
    public event Action<L1Transaction>? TransactionAccepted;

    /// <summary>
    /// Takes a block from a peer: checks what can be checked without its parent's state (proof of work
    /// and bits first, then height, timestamp, transactions root, a branch within the reorganization
    /// bound), stores it, and moves to the valid chain with the most work — which re-executes it when
    /// it lands on the active chain; a block that fails there is marked invalid with its descendants.
    /// </summary>
    public (L1BlockAcceptance Outcome, string? Reason) AcceptBlock(L1Block block, ulong nowMs)
    {
        ArgumentNullException.ThrowIfNull(block);
        var header = block.Header;
        lock (_lock)
        {
            if (_tree.IsInvalid(block.Hash))
                return (L1BlockAcceptance.Invalid, "the block is marked invalid");
            if (_tree.Contains(block.Hash))
                return (L1BlockAcceptance.AlreadyKnown, null);
            // The work first: a chain without it is refused before anything is stored or asked for.
            if (header.Bits != Parameters.PowBits)
                return (L1BlockAcceptance.Invalid, $"bits {header.Bits:x8} are not the network's {Parameters.PowBits:x8}");
            if (!header.HasProofOfWork)
                return (L1BlockAcceptance.Invalid, "the hash does not meet its target (no proof of work)");
            if (block.Size > Parameters.MaxBlockBytes)
                return (L1BlockAcceptance.Invalid, $"block of {block.Size} bytes is larger than the limit of {Parameters.MaxBlockBytes}");
            if (!_tree.TryGet(header.ParentHash, out var parent))
                return (L1BlockAcceptance.MissingParent, $"parent {header.ParentHash} is unknown");
            if (_tree.IsInvalid(parent.Hash))
                return (L1BlockAcceptance.Invalid, "its parent is invalid");
            if (_tree.ForkDepth(parent, _active, Parameters.MaxReorgDepth) > Parameters.MaxReorgDepth)
                return (L1BlockAcceptance.Invalid, $"its branch leaves the active chain more than {Parameters.MaxReorgDepth} blocks below the tip");
            if (header.Height != parent.Height + 1)
                return (L1BlockAcceptance.Invalid, $"height {header.Height} does not follow its parent's {parent.Height}");
            if (header.Timestamp <= parent.Timestamp)
                return (L1BlockAcceptance.Invalid, "timestamp not after its parent's");
            if (header.Timestamp > nowMs + (ulong)MaxFutureBlockTime.TotalMilliseconds)
                return (L1BlockAcceptance.Invalid, "timestamp more than 2 hours in the future");
            if (MerkleRoot.Compute(block.Transactions.Select(t => t.Id).ToList()) != header.TransactionsRoot)
                return (L1BlockAcceptance.Invalid, "transactions root mismatch");
            _store.StoreBlock(block);
            _tree.Add(header);
            ActivateBestChainLocked();
            if (_tree.IsInvalid(block.Hash))
                return (L1BlockAcceptance.Invalid, "the block failed validation on its branch");
            // Moving to the block's branch also took what it mined out of the mempool.
            return _active.Contains(header) ? (L1BlockAcceptance.Connected, null) : (L1BlockAcceptance.SideBranch, null);
        }
    }

    /// <summary>Hashes of the active chain that let a peer find the fork point: the last ten, then exponentially sparser, ending at the genesis.</summary>
    public IReadOnlyList<Hash256> Locator()
    {
        lock (_lock)
            return _active.Locator();
    }

    /// <summary>
    /// Up to <paramref name="max"/> active blocks after the first <paramref name="locator"/> hash on the
    /// active chain (from the genesis when none is), stopping before <paramref name="maxBytes"/> (anchors
    /// carry batch data, so one message of many blocks must still fit a peer's frame limit; one block always goes).
    /// </summary>
    public IReadOnlyList<L1Block> BlocksAfter(IReadOnlyList<Hash256> locator, int max, int maxBytes = 16 * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(locator);
        lock (_lock)
        {
            var blocks = new List<L1Block>();
            var bytes = 0L;
            for (var height = _active.ForkPoint(locator, _tree) + 1; height <= _active.Height && blocks.Count < max; height++)
            {
                var block = _store.GetBlock(_active[height])!;
                bytes += block.Size;
                if (blocks.Count > 0 && bytes > maxBytes)
                    break;
                blocks.Add(block);
            }
            return blocks;
        }
    }
}
