namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>
/// Consensus messages for heights after the one being decided (their sender is a block ahead, or this
/// node's settlement view is behind), kept until this node gets there. Their signatures cannot be
/// judged yet (the height's set is not known), so the buffer is bounded twice: in total, and per peer,
/// so that one peer flooding future heights cannot crowd out the honest sequencers' messages.
/// Not thread-safe: the sequencer network holds its lock around every call.
/// </summary>
public sealed class FutureMessages<TPeer>(int capacity, int perPeer, ulong heightsAhead)
    where TPeer : class
{
    private readonly List<(TPeer? Peer, string Command, byte[] Payload, ulong Height)> _kept = [];
    private readonly Dictionary<TPeer, int> _perPeer = [];

    public int Count => _kept.Count;

    /// <summary>Keeps the message unless it is more than the allowed heights ahead of <paramref name="current"/> or a bound is reached; false when dropped.</summary>
    public bool TryKeep(TPeer? peer, string command, byte[] payload, ulong height, ulong current)
    {
        if (height > current + heightsAhead || _kept.Count >= capacity)
            return false;
        if (peer is not null)
        {
            var held = _perPeer.GetValueOrDefault(peer);
            if (held >= perPeer)
                return false;
            _perPeer[peer] = held + 1;
        }
        _kept.Add((peer, command, payload, height));
        return true;
    }

    /// <summary>The messages for <paramref name="height"/>, in arrival order; those for it and every earlier height leave the buffer.</summary>
    public List<(TPeer? Peer, string Command, byte[] Payload)> TakeDue(ulong height)
    {
        var due = new List<(TPeer?, string, byte[])>();
        _kept.RemoveAll(m =>
        {
            if (m.Height > height)
                return false;
            if (m.Height == height)
                due.Add((m.Peer, m.Command, m.Payload));
            if (m.Peer is not null && --_perPeer[m.Peer] == 0)
                _perPeer.Remove(m.Peer);
            return true;
        });
        return due;
    }
}
