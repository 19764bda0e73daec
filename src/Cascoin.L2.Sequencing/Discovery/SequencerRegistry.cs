using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Election;

namespace Cascoin.L2.Sequencing.Discovery;

/// <summary>What happened to an announcement offered to the registry; only <see cref="Added"/> and <see cref="Refreshed"/> are gossiped on.</summary>
public enum AnnouncementOutcome
{
    Added,
    Refreshed,
    AlreadyKnown,
    WrongChain,
    BadSignature,
    Expired,
    ExpiryTooFar,
    NotEligible,
}

/// <summary>A registry entry: the announcement and the weight the L1 gives its sequencer.</summary>
public sealed record KnownSequencer(SequencerAnnouncement Announcement, SequencerWeight Weight)
{
    public Address Address => Weight.Address;
}

/// <summary>
/// The sequencers this node has heard of (SPEC §7 discovery). An announcement counts only when its
/// signature recovers its key, it is for this chain, it has not expired (nor expires absurdly far
/// ahead), and the L1 says its address is eligible; the weight kept is the L1's, never the
/// announced one. Silent sequencers drop out when their announcement expires. Thread-safe.
/// </summary>
public sealed class SequencerRegistry
{
    private readonly ulong _chainId;
    private readonly Func<Address, SequencerWeight?> _eligibility;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxLifetime;
    private readonly Dictionary<Address, KnownSequencer> _known = [];
    private readonly Lock _lock = new();

    /// <param name="eligibility">The L1's view: the weight of an eligible sequencer, null for anyone else.</param>
    /// <param name="maxLifetime">The furthest ahead an announcement may expire (longer ones are refused, so a stolen old key cannot pin itself).</param>
    public SequencerRegistry(ulong chainId, Func<Address, SequencerWeight?> eligibility, TimeProvider time, TimeSpan maxLifetime)
    {
        ArgumentNullException.ThrowIfNull(eligibility);
        ArgumentNullException.ThrowIfNull(time);
        _chainId = chainId;
        _eligibility = eligibility;
        _time = time;
        _maxLifetime = maxLifetime;
    }

    public AnnouncementOutcome Offer(SequencerAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        if (announcement.ChainId != _chainId)
            return AnnouncementOutcome.WrongChain;
        var now = (ulong)_time.GetUtcNow().ToUnixTimeSeconds();
        if (announcement.ExpiresAt <= now)
            return AnnouncementOutcome.Expired;
        if (announcement.ExpiresAt > now + (ulong)_maxLifetime.TotalSeconds)
            return AnnouncementOutcome.ExpiryTooFar;
        lock (_lock)
        {
            if (_known.TryGetValue(announcement.Address, out var known) && known.Announcement.ExpiresAt >= announcement.ExpiresAt)
                return AnnouncementOutcome.AlreadyKnown;
        }
        // Signature and L1 checks outside the lock: recovery is the expensive part.
        if (!announcement.HasValidSignature())
            return AnnouncementOutcome.BadSignature;
        if (_eligibility(announcement.Address) is not { } weight || weight.Weight == UInt128.Zero)
            return AnnouncementOutcome.NotEligible;
        lock (_lock)
        {
            if (_known.TryGetValue(announcement.Address, out var known) && known.Announcement.ExpiresAt >= announcement.ExpiresAt)
                return AnnouncementOutcome.AlreadyKnown;
            _known[announcement.Address] = new KnownSequencer(announcement, weight);
            return known is null ? AnnouncementOutcome.Added : AnnouncementOutcome.Refreshed;
        }
    }

    /// <summary>The unexpired entries, by address; with <paramref name="eligibleOnly"/> only those the L1 still calls eligible (weights re-read).</summary>
    public IReadOnlyList<KnownSequencer> List(bool eligibleOnly = false)
    {
        var now = (ulong)_time.GetUtcNow().ToUnixTimeSeconds();
        List<KnownSequencer> live;
        lock (_lock)
        {
            foreach (var expired in _known.Values.Where(k => k.Announcement.ExpiresAt <= now).Select(k => k.Address).ToList())
                _known.Remove(expired);
            live = _known.Values.OrderBy(k => k.Address).ToList();
        }
        if (!eligibleOnly)
            return live;
        return live.Select(k => _eligibility(k.Address) is { } weight && weight.Weight > UInt128.Zero ? k with { Weight = weight } : null)
            .OfType<KnownSequencer>().ToList();
    }
}
