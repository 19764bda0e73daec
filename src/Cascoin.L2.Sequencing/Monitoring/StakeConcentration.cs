using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// Groups of related addresses (connected through the given pairs, so A–B and B–C make one group
/// A, B, C even if A and C were never paired) that hold together more than the allowed share of the
/// bonded stake. Splitting stake over several keys does not escape the per-operator limit.
/// The comparison is exact integer arithmetic on satoshis: no rounding decides an alert.
/// </summary>
internal static class StakeConcentration
{
    public static IEnumerable<CollusionFinding> Detect(EpochObservations observations, CollusionOptions options)
    {
        // One stake per sequencer. A repeated entry is a stale copy; the larger counts, so a duplicate
        // cannot hide stake. A negative stake is bad input and counts as none.
        var stakes = new SortedDictionary<Address, long>();
        foreach (var entry in observations.Stakes)
        {
            long sat = Math.Max(entry.Stake.Sat, 0);
            stakes[entry.Sequencer] = stakes.TryGetValue(entry.Sequencer, out long seen) ? Math.Max(seen, sat) : sat;
        }
        UInt128 total = 0;
        foreach (long sat in stakes.Values)
            total += (ulong)sat;
        if (total == 0)
            yield break;

        var edges = observations.RelatedPairs.Where(p => p.First != p.Second).Select(p => (p.First, p.Second));
        foreach (var component in AddressClusters.Components(edges))
        {
            // Members are the sequencers; other addresses (a common funder) only link them.
            var members = component.Where(stakes.ContainsKey).ToArray();
            if (members.Length < 2)
                continue;
            UInt128 held = 0;
            foreach (var member in members)
                held += (ulong)stakes[member];
            if (held * 100 <= total * (uint)options.MaxRelatedStakePercent)
                continue;
            double share = (double)held / (double)total;
            int linking = component.Length - members.Length;
            string through = linking == 0 ? "" : $" (linked through {linking} address{(linking == 1 ? "" : "es")} that {(linking == 1 ? "is" : "are")} not a sequencer)";
            yield return new CollusionFinding(
                CollusionKind.StakeConcentration,
                members,
                share,
                $"{members.Length} related sequencers {string.Join(", ", members)}{through} hold {share * 100:0.00} % of the bonded stake "
                + $"({Cas(held)} of {Cas(total)}), above the {options.MaxRelatedStakePercent} % one operator may hold");
        }
    }

    private static string Cas(UInt128 sat) => $"{(ulong)(sat / Amount.SatPerCas)}.{(ulong)(sat % Amount.SatPerCas):D8} CAS";
}
