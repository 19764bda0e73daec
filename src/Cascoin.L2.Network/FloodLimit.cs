using System.Collections.Concurrent;

namespace Cascoin.L2.Network;

/// <summary>
/// A per-peer token bucket for one kind of message (convention 13: flood limits for transactions,
/// votes and announcements): a peer may send <see cref="Burst"/> at once and then
/// <see cref="PerSecond"/> a second. What is over the limit is dropped by the caller before any
/// costly work (signature recovery, validation). Buckets are dropped with their connection.
/// </summary>
public sealed class FloodLimit
{
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();
    private readonly TimeProvider _time;

    public FloodLimit(double burst, double perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        ArgumentNullException.ThrowIfNull(time);
        Burst = burst;
        PerSecond = perSecond;
        _time = time;
    }

    public double Burst { get; }

    public double PerSecond { get; }

    /// <summary>Takes <paramref name="count"/> tokens of <paramref name="peer"/>'s bucket; false (nothing taken) when it has fewer.</summary>
    public bool TryTake(Peer peer, double count = 1)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var bucket = _buckets.GetOrAdd(peer.Id, static (_, state) =>
        {
            state.Peer.Closed.ContinueWith(_ => state.Limit._buckets.TryRemove(state.Peer.Id, out Bucket? _), TaskScheduler.Default);
            return new Bucket(state.Limit.Burst, state.Limit._time.GetTimestamp());
        }, (Peer: peer, Limit: this));
        lock (bucket)
        {
            var now = _time.GetTimestamp();
            bucket.Tokens = Math.Min(Burst, bucket.Tokens + _time.GetElapsedTime(bucket.At, now).TotalSeconds * PerSecond);
            bucket.At = now;
            if (bucket.Tokens < count)
                return false;
            bucket.Tokens -= count;
            return true;
        }
    }

    private sealed class Bucket(double tokens, long at)
    {
        public double Tokens { get; set; } = tokens;

        public long At { get; set; } = at;
    }
}
