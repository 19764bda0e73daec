namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>A crash of an honest node at <paramref name="CrashAt"/> and its restart at <paramref name="RestartAt"/> (virtual ms).</summary>
internal sealed record CrashEpisode(int Node, long CrashAt, long RestartAt);

/// <summary>
/// Everything a seed decides before the run starts: the set (4–7 nodes, stakes, which are
/// Byzantine and whether they are merely silent), the number of heights, how hostile the network is
/// until GST and when honest nodes crash. Byzantine stake is always strictly less than 1/3.
/// </summary>
internal sealed record SimulationScenario(
    int NodeCount,
    int Heights,
    IReadOnlyList<ulong> Stakes,
    IReadOnlyList<bool> Byzantine,
    IReadOnlyList<bool> Silent,
    NetworkFaults Faults,
    IReadOnlyList<CrashEpisode> Crashes)
{
    public static SimulationScenario Generate(Random random)
    {
        var n = random.Next(4, 8);
        var equal = random.Next(10) < 3;
        var stakes = Enumerable.Range(0, n).Select(_ => equal ? 1UL : (ulong)random.Next(1, 101)).ToArray();
        var total = stakes.Aggregate(0UL, (sum, s) => sum + s);

        // Byzantine: none, at most one, or as many as fit under 1/3 of the stake, in a random order.
        var byzantine = new bool[n];
        var mode = random.Next(3);
        var byzantineStake = 0UL;
        foreach (var i in Enumerable.Range(0, n).Select(i => (i, key: random.Next())).OrderBy(p => p.key).ThenBy(p => p.i).Select(p => p.i).ToList())
        {
            if (mode == 0 || (mode == 1 && byzantine.Any(b => b)))
                break;
            if ((byzantineStake + stakes[i]) * 3 < total)
            {
                byzantine[i] = true;
                byzantineStake += stakes[i];
            }
        }
        var silent = byzantine.Select(b => b && random.Next(10) < 3).ToArray();

        var gst = random.NextInt64(5_000, 20_001);
        var faults = new NetworkFaults(
            Gst: gst,
            DropRate: 0.05 + (random.NextDouble() * 0.2),
            DuplicateRate: random.NextDouble() * 0.1,
            LongDelayRate: random.NextDouble() * 0.15,
            MaxLongDelay: random.NextInt64(1_000, 6_001),
            MaxDelay: random.NextInt64(50, 301),
            Partitions: random.Next(10) < 7);

        var crashes = new List<CrashEpisode>();
        for (var node = 0; node < n; node++)
        {
            if (byzantine[node] || random.Next(100) >= 35)
                continue;
            var at = random.NextInt64(0, gst);
            while (at < gst)
            {
                var restart = Math.Min(gst, at + random.NextInt64(100, 4_001));
                crashes.Add(new CrashEpisode(node, at, restart));
                at = restart + random.NextInt64(500, 8_001);
            }
        }

        return new SimulationScenario(n, random.Next(3, 6), stakes, byzantine, silent, faults, crashes);
    }

    public override string ToString() =>
        $"n={NodeCount} H={Heights} stakes=[{string.Join(",", Stakes)}] byzantine=[{string.Join(",", Enumerable.Range(0, NodeCount).Where(i => Byzantine[i]).Select(i => Silent[i] ? $"n{i}(silent)" : $"n{i}"))}] " +
        $"GST={Faults.Gst}ms drop={Faults.DropRate:P0} dup={Faults.DuplicateRate:P0} long={Faults.LongDelayRate:P0}≤{Faults.MaxLongDelay}ms Δ={Faults.MaxDelay}ms partitions={Faults.Partitions} " +
        $"crashes=[{string.Join(" ", Crashes.Select(c => $"n{c.Node}@{c.CrashAt}-{c.RestartAt}"))}]";
}
