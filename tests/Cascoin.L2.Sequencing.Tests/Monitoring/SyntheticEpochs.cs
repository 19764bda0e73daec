using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Monitoring;

namespace Cascoin.L2.Sequencing.Tests.Monitoring;

/// <summary>A group the generator planted, and the behaviours it was given (a non-empty subset of the four).</summary>
internal sealed record PlantedGroup(IReadOnlyList<Address> Members, IReadOnlySet<CollusionKind> Behaviours);

/// <summary>
/// How strongly colluders show themselves: how many heights a group planted with nil patterns stalls
/// together, and how much scheduling jitter (0..<see cref="MachineJitterMs"/> ms) each key of a
/// timing group adds to the shared machine's send time.
/// </summary>
internal sealed record Planting(int MinStalledHeights, int MaxStalledHeights, int MachineJitterMs)
{
    public static Planting Default { get; } = new(5, 10, 2);
}

/// <summary>An epoch of observations and what was planted in it.</summary>
internal sealed record SyntheticEpoch(EpochObservations Observations, IReadOnlyList<PlantedGroup> Groups, int Sequencers, int Heights);

/// <summary>
/// Seeded synthetic epochs: 7–20 honest sequencers and, in three epochs out of four, one or two planted
/// colluding groups of 2–4 on top. Honest nodes have independent log-normal path latency (median
/// 30–200 ms, σ 0.25–0.6, so their votes jitter by several ms at least, as on the internet), time out
/// on 1–5 % of heights (nil in both steps), and lead heights at random, sometimes missing one due forced
/// entry. Every round waits for a proposal whose delay is shared by all voters (the reason raw offsets
/// correlate even between honest nodes), and one height in twenty loses its first round for everyone.
/// </summary>
internal static class SyntheticEpochs
{
    private const double ShareOfRoundsLost = 0.05;
    private const int TimeoutMs = 1_000;

    public static SyntheticEpoch Generate(int seed, bool? colluders = null, Planting? planting = null)
    {
        planting ??= Planting.Default;
        var random = new Random(seed);
        int honest = random.Next(7, 21);
        int groupCount = colluders switch
        {
            false => 0,
            true => random.Next(1, 3),
            null => random.NextDouble() < 0.25 ? 0 : random.Next(1, 3),
        };
        var addresses = Enumerable.Range(0, honest + 4 * groupCount).Select(_ => RandomAddress(random)).ToList();
        var groups = new List<PlantedGroup>();
        int next = honest;
        for (int g = 0; g < groupCount; g++)
        {
            int size = random.Next(2, 5);
            var behaviours = Enum.GetValues<CollusionKind>().Where(_ => random.NextDouble() < 0.6).ToHashSet();
            if (behaviours.Count == 0)
                behaviours.Add(Enum.GetValues<CollusionKind>()[random.Next(4)]);
            groups.Add(new PlantedGroup(addresses.GetRange(next, size), behaviours));
            next += size;
        }
        var sequencers = addresses.Take(next).ToList();
        var inGroup = groups.SelectMany(g => g.Members).ToHashSet();

        var (stakes, related) = StakesAndRelations(random, sequencers, inGroup, groups);
        int heights = random.Next(60, 121);
        var votes = Votes(random, sequencers, groups, heights, planting, out ulong firstHeight);
        var skips = Skips(random, sequencers, groups, heights, firstHeight);
        return new SyntheticEpoch(new EpochObservations(votes, stakes, related, skips), groups, sequencers.Count, heights);
    }

    public static Address RandomAddress(Random random)
    {
        var bytes = new byte[Address.Size];
        random.NextBytes(bytes);
        return new Address(bytes);
    }

    /// <summary>
    /// Stakes of 100–10,000 CAS; a group planted with stake concentration gets 25–40 % of the total,
    /// linked by related pairs (a chain, or a star around an outside funder). A few honest pairs are
    /// related too, but only where they stay within the 20 % limit: the rule is exact, so an honest
    /// group above it would be a correct alert, not noise.
    /// </summary>
    private static (List<SequencerStake>, List<RelatedPair>) StakesAndRelations(
        Random random, List<Address> sequencers, HashSet<Address> inGroup, List<PlantedGroup> groups)
    {
        var sat = sequencers.ToDictionary(a => a, _ => Amount.FromCas(random.Next(100, 10_001)).Sat);
        var concentrated = groups.Where(g => g.Behaviours.Contains(CollusionKind.StakeConcentration)).ToList();
        var shares = concentrated.Select(_ => 0.25 + random.NextDouble() * 0.15).ToList();
        long rest = sequencers.Where(a => !concentrated.Any(g => g.Members.Contains(a))).Sum(a => sat[a]);
        double total = rest / (1 - shares.Sum());
        var related = new List<RelatedPair>();
        for (int g = 0; g < concentrated.Count; g++)
        {
            var members = concentrated[g].Members;
            var weights = members.Select(_ => 0.5 + random.NextDouble()).ToList();
            for (int m = 0; m < members.Count; m++)
                sat[members[m]] = (long)(shares[g] * total * weights[m] / weights.Sum());
            var funder = random.NextDouble() < 0.5 ? RandomAddress(random) : (Address?)null;
            for (int m = 0; m < members.Count; m++)
            {
                if (funder is { } source)
                    related.Add(new RelatedPair(source, members[m]));
                else if (m > 0)
                    related.Add(new RelatedPair(members[m - 1], members[m]));
            }
        }
        long sum = sat.Values.Sum();
        var honest = sequencers.Where(a => !inGroup.Contains(a)).ToList();
        // Disjoint pairs: two pairs sharing a member would make a group of three, which may exceed the limit.
        var unpaired = honest.OrderBy(_ => random.Next()).ToList();
        for (int i = random.Next(0, 3); i > 0 && unpaired.Count >= 2; i--)
        {
            Address a = unpaired[0], b = unpaired[1];
            unpaired.RemoveRange(0, 2);
            if ((sat[a] + sat[b]) * 100 <= sum * 20)
                related.Add(new RelatedPair(a, b));
        }
        return (sequencers.Select(a => new SequencerStake(a, Amount.FromSat(sat[a]))).ToList(), related);
    }

    /// <summary>A path's latency: log-normal around a median, one sample per vote.</summary>
    private sealed record Path(double MedianMs, double Sigma)
    {
        public static Path Random(Random random) => new(Math.Exp(Math.Log(30) + random.NextDouble() * Math.Log(200.0 / 30)), 0.25 + random.NextDouble() * 0.35);

        public double Sample(Random random) => MedianMs * Math.Exp(Sigma * Gaussian(random));
    }

    private static List<ObservedVote> Votes(Random random, List<Address> sequencers, List<PlantedGroup> groups, int heights, Planting planting, out ulong firstHeight)
    {
        firstHeight = (ulong)random.Next(1, 1_000_000);
        var paths = sequencers.ToDictionary(a => a, _ => Path.Random(random));
        var nilRate = sequencers.ToDictionary(a => a, _ => 0.01 + random.NextDouble() * 0.04);
        // Colluders with correlated timing relay through one machine: one path sample per slot for the
        // group, each key adding a constant offset of a few ms and a small scheduling jitter.
        var machine = new Dictionary<Address, (int Group, int ConstantMs)>();
        for (int g = 0; g < groups.Count; g++)
        {
            if (groups[g].Behaviours.Contains(CollusionKind.VoteTiming))
            {
                foreach (var member in groups[g].Members)
                    machine[member] = (g, random.Next(0, 6));
            }
        }
        var stalled = groups.Select(g => g.Behaviours.Contains(CollusionKind.NilPattern)
            ? Enumerable.Range(0, heights).OrderBy(_ => random.Next()).Take(random.Next(planting.MinStalledHeights, planting.MaxStalledHeights + 1)).ToHashSet()
            : []).ToList();

        var votes = new List<ObservedVote>();
        for (int h = 0; h < heights; h++)
        {
            ulong height = firstHeight + (ulong)h;
            var block = SequencerKeys.RandomHash(random);
            bool lostFirstRound = random.NextDouble() < ShareOfRoundsLost;
            var timedOut = sequencers.Where(a => random.NextDouble() < nilRate[a]).ToHashSet();
            for (int g = 0; g < groups.Count; g++)
            {
                if (stalled[g].Contains(h))
                    timedOut.UnionWith(groups[g].Members);
            }
            int round = 0;
            if (lostFirstRound)
            {
                foreach (var step in new[] { VoteStep.Prevote, VoteStep.Precommit })
                {
                    foreach (var voter in sequencers)
                        votes.Add(new ObservedVote(voter, height, 0, step, null, TimeoutMs + (int)paths[voter].Sample(random)));
                }
                round = 1;
            }
            double proposalMs = 50 + random.NextDouble() * 350;
            foreach (var step in new[] { VoteStep.Prevote, VoteStep.Precommit })
            {
                double stepMs = step == VoteStep.Prevote ? proposalMs : proposalMs + 100 + random.NextDouble() * 200;
                var machineMs = groups.Select(g => paths[g.Members[0]].Sample(random)).ToList();
                foreach (var voter in sequencers)
                {
                    double arrival = machine.TryGetValue(voter, out var m)
                        ? stepMs + machineMs[m.Group] + m.ConstantMs + random.Next(0, planting.MachineJitterMs + 1)
                        : stepMs + paths[voter].Sample(random);
                    bool nil = timedOut.Contains(voter);
                    // An honest timeout fires after the timer; a stalling colluder votes nil at once.
                    if (nil && !IsStalling(stalled, groups, voter, h))
                        arrival += TimeoutMs;
                    votes.Add(new ObservedVote(voter, height, round, step, nil ? null : block, (int)Math.Round(arrival)));
                }
            }
        }
        return votes;
    }

    private static bool IsStalling(List<HashSet<int>> stalled, List<PlantedGroup> groups, Address voter, int h) =>
        Enumerable.Range(0, groups.Count).Any(g => stalled[g].Contains(h) && groups[g].Members.Contains(voter));

    /// <summary>
    /// A queue of 30–80 due entries. A leader of a height misses one of them with probability 5 %; a group
    /// planted with forced-entry skips has every member leave out the same 2–4 entries.
    /// </summary>
    private static List<SkippedForcedEntry> Skips(Random random, List<Address> sequencers, List<PlantedGroup> groups, int heights, ulong firstHeight)
    {
        ulong firstEntry = (ulong)random.Next(0, 100_000);
        int entries = random.Next(30, 81);
        var skips = new List<SkippedForcedEntry>();
        for (int h = 0; h < heights; h++)
        {
            if (random.NextDouble() < 0.05)
                skips.Add(new SkippedForcedEntry(sequencers[random.Next(sequencers.Count)], firstHeight + (ulong)h, firstEntry + (ulong)random.Next(entries)));
        }
        foreach (var group in groups.Where(g => g.Behaviours.Contains(CollusionKind.ForcedEntrySkips)))
        {
            var censored = Enumerable.Range(0, entries).OrderBy(_ => random.Next()).Take(random.Next(2, 5)).ToList();
            foreach (var member in group.Members)
            {
                foreach (int entry in censored)
                    skips.Add(new SkippedForcedEntry(member, firstHeight + (ulong)random.Next(heights), firstEntry + (ulong)entry));
            }
        }
        return skips;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
