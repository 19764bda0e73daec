using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The hashes of the active L1 chain by height, from the genesis to the tip, and what peers ask of it
/// (a locator, the fork point of theirs). Not thread-safe: <see cref="L1Chain"/> holds its lock around it.
/// </summary>
internal sealed class L1ActiveChain
{
    private readonly List<Hash256> _hashes = [];

    public ulong Height => (ulong)_hashes.Count - 1;

    public int Count => _hashes.Count;

    public Hash256 Tip => _hashes[^1];

    public Hash256 this[ulong height] => _hashes[(int)height];

    public Hash256? HashAt(ulong height) => height < (ulong)_hashes.Count ? _hashes[(int)height] : null;

    public bool Contains(L1BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Height < (ulong)_hashes.Count && _hashes[(int)header.Height] == header.Hash;
    }

    public void Append(Hash256 hash) => _hashes.Add(hash);

    /// <summary>Drops every block above <paramref name="height"/>.</summary>
    public void TruncateTo(ulong height) => _hashes.RemoveRange((int)height + 1, _hashes.Count - (int)height - 1);

    /// <summary>Hashes that let a peer find the fork point: the last ten, then exponentially sparser, ending at the genesis.</summary>
    public IReadOnlyList<Hash256> Locator()
    {
        var locator = new List<Hash256>();
        var step = 1L;
        for (var height = (long)_hashes.Count - 1; height > 0; height -= step)
        {
            locator.Add(_hashes[(int)height]);
            if (locator.Count >= 10)
                step *= 2;
        }
        locator.Add(_hashes[0]);
        return locator;
    }

    /// <summary>The height of the first <paramref name="locator"/> hash on this chain (0, the genesis, when none is).</summary>
    public ulong ForkPoint(IReadOnlyList<Hash256> locator, L1BlockTree tree)
    {
        ArgumentNullException.ThrowIfNull(locator);
        ArgumentNullException.ThrowIfNull(tree);
        foreach (var hash in locator)
        {
            if (tree.TryGet(hash, out var header) && Contains(header))
                return header.Height;
        }
        return 0;
    }
}
