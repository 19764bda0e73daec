using System.Numerics;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// Every known L1 block header — the active chain and every branch — with its chain's cumulative
/// work from the genesis, its children and the invalid marks, and the fork choice over them: the
/// valid header with the most work. Not thread-safe: <see cref="L1Chain"/> holds its lock around it.
/// </summary>
internal sealed class L1BlockTree
{
    private readonly Dictionary<Hash256, L1BlockHeader> _headers = [];
    private readonly Dictionary<Hash256, BigInteger> _work = [];
    private readonly Dictionary<Hash256, List<Hash256>> _children = [];
    private readonly HashSet<Hash256> _invalid = [];

    /// <summary>The header with the most work seen (the first seen among equals), kept as headers come; recomputed after invalid marks change.</summary>
    private Hash256 _best;
    private bool _bestStale = true;

    public L1BlockHeader this[Hash256 hash] => _headers[hash];

    public bool Contains(Hash256 hash) => _headers.ContainsKey(hash);

    public bool TryGet(Hash256 hash, out L1BlockHeader header) => _headers.TryGetValue(hash, out header!);

    public bool IsInvalid(Hash256 hash) => _invalid.Contains(hash);

    /// <summary>Adds <paramref name="header"/> (its parent must be known, except for the genesis); a header with strictly more work than the best becomes the best.</summary>
    public void Add(L1BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (_work.ContainsKey(header.Hash))
            return;
        var parentWork = BigInteger.Zero;
        if (header.Height > 0)
        {
            if (!_work.TryGetValue(header.ParentHash, out parentWork))
                throw new InvalidOperationException($"L1 block {header.Hash} has no known parent {header.ParentHash}");
            if (!_children.TryGetValue(header.ParentHash, out var siblings))
                _children[header.ParentHash] = siblings = [];
            siblings.Add(header.Hash);
        }
        _headers[header.Hash] = header;
        var work = parentWork + L1ProofOfWork.Work(header.Bits);
        _work[header.Hash] = work;
        if (!_bestStale && work > _work[_best] && !_invalid.Contains(header.Hash))
            _best = header.Hash;
    }

    /// <summary>Marks blocks invalid (the caller passes a block with all its descendants, so "not marked" is "on a valid branch").</summary>
    public void MarkInvalid(IEnumerable<Hash256> hashes)
    {
        _invalid.UnionWith(hashes);
        _bestStale = true;
    }

    public void ClearInvalid(IEnumerable<Hash256> hashes)
    {
        _invalid.ExceptWith(hashes);
        _bestStale = true;
    }

    /// <summary>
    /// The valid header with the most cumulative work; among equals the active chain (cut back to its
    /// last valid block) wins. A full scan runs only after the invalid marks changed; otherwise the best
    /// is kept as headers arrive, so a received block costs its own work sum.
    /// </summary>
    public L1BlockHeader Best(L1ActiveChain active)
    {
        ArgumentNullException.ThrowIfNull(active);
        if (_bestStale)
        {
            var height = active.Height;
            while (height > 0 && _invalid.Contains(active[height]))
                height--;
            var best = active[height];
            foreach (var (hash, work) in _work)
            {
                if (work > _work[best] && !_invalid.Contains(hash))
                    best = hash;
            }
            _best = best;
            _bestStale = false;
        }
        return _headers[_best];
    }

    /// <summary>Every block built on <paramref name="hash"/>, on any branch, breadth first; linear in their number.</summary>
    public IEnumerable<Hash256> Descendants(Hash256 hash)
    {
        var frontier = new Queue<Hash256>([hash]);
        while (frontier.TryDequeue(out var current))
        {
            if (!_children.TryGetValue(current, out var children))
                continue;
            foreach (var child in children)
            {
                yield return child;
                frontier.Enqueue(child);
            }
        }
    }

    public IEnumerable<Hash256> Ancestors(Hash256 hash)
    {
        for (var header = _headers[hash]; header.Height > 0; header = _headers[header.ParentHash])
            yield return header.ParentHash;
    }

    /// <summary>
    /// How many blocks below the active tip the branch ending at <paramref name="parent"/> leaves the
    /// active chain (0: it extends the tip); the walk stops past <paramref name="bound"/>, so it costs at
    /// most that many steps (<see cref="ulong.MaxValue"/> beyond it).
    /// </summary>
    public ulong ForkDepth(L1BlockHeader parent, L1ActiveChain active, ulong bound)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(active);
        var tip = active.Height;
        for (var header = parent; ; header = _headers[header.ParentHash])
        {
            if (active.Contains(header))
                return tip - header.Height;
            if (header.Height + bound < tip || header.Height == 0)
                return ulong.MaxValue;
        }
    }

    /// <summary>The headers from just above the active chain up to <paramref name="tip"/>, oldest first (empty when it is on the active chain).</summary>
    public List<L1BlockHeader> BranchTo(L1BlockHeader tip, L1ActiveChain active)
    {
        ArgumentNullException.ThrowIfNull(active);
        var branch = new List<L1BlockHeader>();
        for (var header = tip; !active.Contains(header); header = _headers[header.ParentHash])
            branch.Add(header);
        branch.Reverse();
        return branch;
    }
}
