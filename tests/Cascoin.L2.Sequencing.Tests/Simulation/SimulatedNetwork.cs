namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>
/// How hostile the network is before GST, and how tame after. Partial synchrony: before
/// <see cref="Gst"/> messages may be dropped, duplicated, delayed by seconds and cut by a
/// partition; a message sent at t arrives by max(t, GST) + <see cref="MaxDelay"/> unless it was
/// dropped, and from GST on nothing is dropped.
/// </summary>
internal sealed record NetworkFaults(long Gst, double DropRate, double DuplicateRate, double LongDelayRate, long MaxLongDelay, long MaxDelay, bool Partitions);

/// <summary>
/// A deterministic adversarial network: every choice comes from the simulation's one seeded
/// <see cref="Random"/>, every delivery is an event on the virtual clock. Reordering falls out of
/// the random delays.
/// </summary>
internal sealed class SimulatedNetwork(EventQueue queue, Random random, NetworkFaults faults, int nodeCount)
{
    /// <summary>The side of each node while the network is split, else null.</summary>
    private int[]? _sides;

    public NetworkFaults Faults => faults;

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    public long Duplicated { get; private set; }

    public bool IsPartitioned => _sides is not null;

    /// <summary>Splits the nodes into two non-empty random sides (or heals the split); returns a description for the trace.</summary>
    public string Repartition(bool split)
    {
        if (!split || queue.Now >= faults.Gst)
        {
            _sides = null;
            return "healed";
        }
        var sides = new int[nodeCount];
        do
        {
            for (var i = 0; i < nodeCount; i++)
                sides[i] = random.Next(2);
        }
        while (sides.All(s => s == 0) || sides.All(s => s == 1));
        _sides = sides;
        return string.Join(" | ", Enumerable.Range(0, 2).Select(side => string.Join(",", Enumerable.Range(0, nodeCount).Where(i => sides[i] == side).Select(i => $"n{i}"))));
    }

    public void Broadcast(int from, SimMessage message)
    {
        for (var to = 0; to < nodeCount; to++)
        {
            if (to != from)
                Send(from, to, message);
        }
    }

    public void Send(int from, int to, SimMessage message)
    {
        Sent++;
        var now = queue.Now;
        if (now < faults.Gst)
        {
            if ((_sides is { } sides && sides[from] != sides[to]) || random.NextDouble() < faults.DropRate)
            {
                Dropped++;
                return;
            }
        }
        Schedule(from, to, message, now);
        if (random.NextDouble() < faults.DuplicateRate)
        {
            Duplicated++;
            Schedule(from, to, message, now);
        }
    }

    private void Schedule(int from, int to, SimMessage message, long now)
    {
        var delay = now < faults.Gst && random.NextDouble() < faults.LongDelayRate
            ? random.NextInt64(faults.MaxDelay, faults.MaxLongDelay + 1)
            : random.NextInt64(0, faults.MaxDelay + 1);
        var at = Math.Min(now + delay, Math.Max(now, faults.Gst) + faults.MaxDelay);
        queue.At(at, new Delivery(to, from, message));
    }
}
