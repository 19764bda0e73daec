using System.Diagnostics.CodeAnalysis;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>
/// The simulator's only notion of time: a virtual clock in milliseconds and one priority queue of
/// events ordered by (time, sequence number), so two events at the same instant run in the order
/// they were scheduled and a seed always gives the same schedule.
/// </summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<SimEvent, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    public long Now { get; private set; }

    public long Processed { get; private set; }

    public void At(long time, SimEvent simEvent) => _queue.Enqueue(simEvent, (Math.Max(time, Now), _sequence++));

    public void After(long delay, SimEvent simEvent) => At(Now + Math.Max(delay, 0), simEvent);

    public bool TryNext([NotNullWhen(true)] out SimEvent? simEvent)
    {
        if (!_queue.TryDequeue(out simEvent, out var priority))
            return false;
        Now = priority.Time;
        Processed++;
        return true;
    }
}

/// <summary>The last events, kept cheaply (formatted only when a check fails).</summary>
internal sealed class TraceRing(int capacity)
{
    private readonly (long Time, SimEvent Event)[] _entries = new (long, SimEvent)[capacity];
    private long _count;

    public void Add(long time, SimEvent simEvent) => _entries[_count++ % _entries.Length] = (time, simEvent);

    public (long Time, SimEvent Event)[] Snapshot()
    {
        var length = (int)Math.Min(_count, _entries.Length);
        var result = new (long, SimEvent)[length];
        for (var i = 0; i < length; i++)
            result[i] = _entries[(_count - length + i) % _entries.Length];
        return result;
    }
}
