using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Storage;

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
            if (_invalid.Contains(block.Hash))
                return (L1BlockAcceptance.Invalid, "the block is marked invalid");
            if (_headers.ContainsKey(block.Hash))
                return (L1BlockAcceptance.AlreadyKnown, null);
            // The work first: a chain without it is refused before anything is stored or asked for.
            if (header.Bits != Parameters.PowBits)
                return (L1BlockAcceptance.Invalid, $"bits {header.Bits:x8} are not the network's {Parameters.PowBits:x8}");
            if (!header.HasProofOfWork)
                return (L1BlockAcceptance.Invalid, "the hash does not meet its target (no proof of work)");
            if (!_headers.TryGetValue(header.ParentHash, out var parent))
                return (L1BlockAcceptance.MissingParent, $"parent {header.ParentHash} is unknown");
            if (_invalid.Contains(parent.Hash))
                return (L1BlockAcceptance.Invalid, "its parent is invalid");
            if (ForkDepthLocked(parent) is var depth && depth > Parameters.MaxReorgDepth)
                return (L1BlockAcceptance.Invalid, $"its branch leaves the active chain more than {Parameters.MaxReorgDepth} blocks below the tip");
            if (header.Height != parent.Height + 1)
                return (L1BlockAcceptance.Invalid, $"height {header.Height} does not follow its parent's {parent.Height}");
            if (header.Timestamp <= parent.Timestamp)
                return (L1BlockAcceptance.Invalid, "timestamp not after its parent's");
            if (header.Timestamp > nowMs + (ulong)MaxFutureBlockTime.TotalMilliseconds)
                return (L1BlockAcceptance.Invalid, "timestamp more than 2 hours in the future");
            if (MerkleRoot.Compute(block.Transactions.Select(t => t.Id).ToList()) != header.TransactionsRoot)
                return (L1BlockAcceptance.Invalid, "transactions root mismatch");
            using (var batch = _database.CreateBatch())
            {
                batch.Put(DbColumn.L1Blocks, block.Hash.ToArray(), block.ToBytes());
                _database.Commit(batch);
            }
            AddHeaderLocked(header);
            ActivateBestChainLocked();
            if (_invalid.Contains(block.Hash))
                return (L1BlockAcceptance.Invalid, "the block failed validation on its branch");
            // Moving to the block's branch also took what it mined out of the mempool.
            return header.Height < (ulong)_active.Count && _active[(int)header.Height] == block.Hash
                ? (L1BlockAcceptance.Connected, null)
                : (L1BlockAcceptance.SideBranch, null);
        }
    }

    /// <summary>
    /// How many blocks below the active tip the branch ending at <paramref name="parent"/> leaves the
    /// active chain (0: it extends the tip or a block on it near the tip); the walk stops past the bound,
    /// so it costs at most <see cref="SettlementParameters.MaxReorgDepth"/> steps.
    /// </summary>
    private ulong ForkDepthLocked(L1BlockHeader parent)
    {
        var tip = (ulong)_active.Count - 1;
        for (var header = parent; ; header = _headers[header.ParentHash])
        {
            if (header.Height <= tip && _active[(int)header.Height] == header.Hash)
                return tip - header.Height;
            if (header.Height + Parameters.MaxReorgDepth < tip || header.Height == 0)
                return ulong.MaxValue;
        }
    }

    /// <summary>Hashes of the active chain that let a peer find the fork point: the last ten, then exponentially sparser, ending at the genesis.</summary>
    public IReadOnlyList<Hash256> Locator()
    {
        lock (_lock)
        {
            var locator = new List<Hash256>();
            var step = 1L;
            for (var height = (long)_active.Count - 1; height > 0; height -= step)
            {
                locator.Add(_active[(int)height]);
                if (locator.Count >= 10)
                    step *= 2;
            }
            locator.Add(_active[0]);
            return locator;
        }
    }

    /// <summary>Up to <paramref name="max"/> active blocks after the first <paramref name="locator"/> hash on the active chain (from the genesis when none is).</summary>
    public IReadOnlyList<L1Block> BlocksAfter(IReadOnlyList<Hash256> locator, int max)
    {
        ArgumentNullException.ThrowIfNull(locator);
        lock (_lock)
        {
            var fork = 0;
            foreach (var hash in locator)
            {
                if (_headers.TryGetValue(hash, out var header) && header.Height < (ulong)_active.Count && _active[(int)header.Height] == hash)
                {
                    fork = (int)header.Height;
                    break;
                }
            }
            var blocks = new List<L1Block>();
            for (var height = fork + 1; height < _active.Count && blocks.Count < max; height++)
                blocks.Add(GetBlock(_active[height])!);
            return blocks;
        }
    }
}
