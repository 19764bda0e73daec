namespace Cascoin.L2.Sequencing.Relay;

/// <summary>
/// Which peer a node that is behind asks for blocks. A peer's height is a claim (its version, a
/// block it pushed) until it delivers: a peer asked for blocks it claimed and answering with
/// nothing this node can import loses its claim (it is asked again only after it shows a new
/// block), and requests rotate over the peers that claim more than the head, so one peer that lies
/// about its height, or is slow, cannot stall the sync.
/// </summary>
public sealed class SyncPeers
{
    private readonly Dictionary<long, ulong> _claims = [];
    private readonly Lock _lock = new();
    private long _lastAsked = -1;

    /// <summary>The peer says it has blocks up to <paramref name="height"/>.</summary>
    public void Claim(long peer, ulong height)
    {
        lock (_lock)
            _claims[peer] = Math.Max(_claims.GetValueOrDefault(peer), height);
    }

    public void Forget(long peer)
    {
        lock (_lock)
            _claims.Remove(peer);
    }

    public ulong ClaimOf(long peer)
    {
        lock (_lock)
            return _claims.GetValueOrDefault(peer);
    }

    /// <summary>The next peer to ask, among <paramref name="connected"/> claiming more than <paramref name="head"/>: the first after the one asked last.</summary>
    public long? Next(ulong head, IEnumerable<long> connected)
    {
        ArgumentNullException.ThrowIfNull(connected);
        lock (_lock)
        {
            var ahead = connected.Where(p => _claims.GetValueOrDefault(p) > head).Order().ToList();
            if (ahead.Count == 0)
                return null;
            var next = ahead.FirstOrDefault(p => p > _lastAsked, ahead[0]);
            _lastAsked = next;
            return next;
        }
    }

    /// <summary>
    /// The peer answered a request: <paramref name="imported"/> blocks of it were imported. With none,
    /// its claim falls back to <paramref name="head"/> (what this node has): it showed nothing more.
    /// </summary>
    public void Answered(long peer, int imported, ulong head)
    {
        if (imported > 0)
            return;
        lock (_lock)
        {
            if (_claims.TryGetValue(peer, out var claim))
                _claims[peer] = Math.Min(claim, head);
        }
    }
}
