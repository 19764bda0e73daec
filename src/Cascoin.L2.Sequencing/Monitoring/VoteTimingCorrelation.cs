using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// Sequencers whose votes come from one machine. Two keys on one host (or behind one relay) send
/// their votes together, so the gap between their arrivals barely moves from height to height, while
/// two independent nodes' gap jitters with both their network paths.
/// <para>
/// Why the gap and not a plain correlation of arrival offsets: every vote of a round waits for the
/// same proposal, so a late proposal delays everyone and honest offsets correlate strongly across
/// heights. The gap cancels that shared delay exactly, without estimating it from the other voters,
/// which a colluding group large enough to be the median would corrupt.
/// </para>
/// <para>
/// Only votes for a block count: a nil vote is sent when a timer fires, so its offset measures the
/// timeout every honest node shares, not the voter's path.
/// </para>
/// </summary>
internal static class VoteTimingCorrelation
{
    public static IEnumerable<CollusionFinding> Detect(ObservedVote[] canonical, CollusionOptions options)
    {
        var voters = CanonicalVotes.ByVoter(canonical)
            .Select(v => (v.Voter, Votes: v.Votes.Where(x => x.Block.HasValue).ToArray()))
            .ToArray();
        int n = voters.Length;
        var gaps = new GapStats?[n][];
        for (int i = 0; i < n; i++)
        {
            gaps[i] = new GapStats?[n];
            for (int j = 0; j < i; j++)
                gaps[i][j] = gaps[j][i] = Gap(voters[j].Votes, voters[i].Votes, options.MinCommonVotes);
        }

        var flagged = new List<FlaggedPair>();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (gaps[i][j] is not { } pair || pair.Spread > options.MaxGapSpreadMs)
                    continue;
                // The yardstick: how far each of the two strays from everyone else. The smaller of the
                // two medians, so a pair with one noisy member is not flagged for that member's noise.
                double? reference = Min(MedianSpreadToOthers(gaps[i], i, j), MedianSpreadToOthers(gaps[j], i, j));
                if (reference is not { } yardstick || yardstick <= 0)
                    continue;
                double ratio = pair.Spread / yardstick;
                if (ratio > options.MaxGapSpreadRatio)
                    continue;
                flagged.Add(new FlaggedPair(
                    voters[i].Voter,
                    voters[j].Voter,
                    Math.Clamp(1 - ratio, 0, 1),
                    $"{voters[i].Voter} and {voters[j].Voter}: over {pair.Common} common votes the second's votes arrived {When(pair.MedianGap)} the first's, "
                    + $"give or take {pair.Spread:0.#} ms, while their gaps to the other sequencers vary by {yardstick:0.#} ms"));
            }
        }
        return AddressClusters.Findings(
            CollusionKind.VoteTiming,
            flagged,
            count => $"{count} sequencers' votes arrive a fixed distance apart, as if one machine sent them");
    }

    /// <summary>The gap between two voters' arrivals over the slots where both voted for a block.</summary>
    private readonly record struct GapStats(int Common, double MedianGap, double Spread);

    /// <summary>
    /// How long after <paramref name="a"/>'s votes <paramref name="b"/>'s arrive: the median gap and its spread (median absolute deviation: a few outliers, such as one retransmitted
    /// vote, do not move it), or null below <paramref name="minCommon"/> common votes.
    /// </summary>
    private static GapStats? Gap(ObservedVote[] a, ObservedVote[] b, int minCommon)
    {
        var gaps = new List<double>();
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            int c = CanonicalVotes.SlotOf(a[i]).CompareTo(CanonicalVotes.SlotOf(b[j]));
            if (c < 0)
            {
                i++;
            }
            else if (c > 0)
            {
                j++;
            }
            else
            {
                gaps.Add((double)b[j].ArrivalMs - a[i].ArrivalMs);
                i++;
                j++;
            }
        }
        if (gaps.Count < minCommon)
            return null;
        double median = Median(gaps);
        double spread = Median(gaps.Select(g => Math.Abs(g - median)).ToList());
        return new GapStats(gaps.Count, median, spread);
    }

    private static double? MedianSpreadToOthers(GapStats?[] row, int i, int j)
    {
        var spreads = new List<double>();
        for (int k = 0; k < row.Length; k++)
        {
            if (k != i && k != j && row[k] is { } stats)
                spreads.Add(stats.Spread);
        }
        return spreads.Count == 0 ? null : Median(spreads);
    }

    private static string When(double gapMs) => gapMs switch
    {
        > 0 => $"{gapMs:0.#} ms after",
        < 0 => $"{-gapMs:0.#} ms before",
        _ => "at the same time as",
    };

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    /// <summary>The median; the list is sorted in place.</summary>
    internal static double Median(List<double> values)
    {
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
