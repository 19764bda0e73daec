using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// Leaders that leave out the same due forced-inclusion entries. An honest leader whose L1 view lags
/// may miss an entry that has just become due, and the next leader includes it; censoring one user's
/// forced transactions needs every leader in turn to skip it, so the same entries skipped by several
/// leaders mark them as one actor.
/// </summary>
internal static class ForcedEntrySkips
{
    /// <summary>Entries an alert lists before it summarises.</summary>
    private const int QuotedEntries = 10;

    public static IEnumerable<CollusionFinding> Detect(EpochObservations observations, CollusionOptions options)
    {
        var skipped = new SortedDictionary<Address, SortedSet<ulong>>();
        foreach (var entry in observations.SkippedForcedEntries)
        {
            if (!skipped.TryGetValue(entry.Leader, out var set))
                skipped[entry.Leader] = set = [];
            set.Add(entry.QueueSequence);
        }

        var leaders = skipped.Keys.ToArray();
        var flagged = new List<FlaggedPair>();
        for (int i = 0; i < leaders.Length; i++)
        {
            for (int j = i + 1; j < leaders.Length; j++)
            {
                Address a = leaders[i], b = leaders[j];
                var shared = skipped[a].Intersect(skipped[b]).ToList();
                if (shared.Count < options.MinSharedSkippedEntries)
                    continue;
                var entries = string.Join(", ", shared.Take(QuotedEntries)) + (shared.Count > QuotedEntries ? ", …" : "");
                int union = skipped[a].Count + skipped[b].Count - shared.Count;
                flagged.Add(new FlaggedPair(
                    a,
                    b,
                    (double)shared.Count / union,
                    $"{a} and {b} both left out due forced entries {entries} (of {skipped[a].Count} and {skipped[b].Count} they skipped)"));
            }
        }
        return AddressClusters.Findings(
            CollusionKind.ForcedEntrySkips,
            flagged,
            count => $"{count} leaders left out the same due forced-inclusion entries");
    }
}
