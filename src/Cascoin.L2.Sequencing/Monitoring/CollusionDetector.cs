namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// Finds sequencers that act as one, from what one epoch showed (<see cref="EpochObservations"/>).
/// Pure: no clock, no randomness, no I/O; the observations are put in one canonical order before
/// anything is computed and the findings are sorted, so every node that saw the same things, in any
/// order, raises the same alerts.
/// <list type="bullet">
/// <item><see cref="CollusionKind.VoteTiming"/>: score is 1 − (the pair's gap spread ÷ their gap spread to the others).</item>
/// <item><see cref="CollusionKind.NilPattern"/>: score is the Jaccard index of the two dissent-height sets.</item>
/// <item><see cref="CollusionKind.StakeConcentration"/>: score is the group's share of the bonded stake.</item>
/// <item><see cref="CollusionKind.ForcedEntrySkips"/>: score is the Jaccard index of the two skipped-entry sets.</item>
/// </list>
/// Pair findings are grouped into connected clusters with the weakest link's score. A detector is a
/// hint for an operator, never evidence for slashing: slashing needs signed evidence (double signs,
/// fraud proofs, a forced transaction past its deadline).
/// </summary>
public static class CollusionDetector
{
    /// <summary>
    /// The findings of one epoch, sorted by kind, then members (address order). Empty or degenerate
    /// input (no votes, one sequencer, no stake) gives no findings.
    /// </summary>
    /// <exception cref="ArgumentNullException">when an argument or one of its lists is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">when a threshold is outside its range.</exception>
    public static IReadOnlyList<CollusionFinding> Detect(EpochObservations observations, CollusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observations.Votes, nameof(observations.Votes));
        ArgumentNullException.ThrowIfNull(observations.Stakes, nameof(observations.Stakes));
        ArgumentNullException.ThrowIfNull(observations.RelatedPairs, nameof(observations.RelatedPairs));
        ArgumentNullException.ThrowIfNull(observations.SkippedForcedEntries, nameof(observations.SkippedForcedEntries));
        options.Validate();

        var votes = CanonicalVotes.From(observations.Votes);
        var findings = VoteTimingCorrelation.Detect(votes, options)
            .Concat(NilVotePattern.Detect(votes, options))
            .Concat(StakeConcentration.Detect(observations, options))
            .Concat(ForcedEntrySkips.Detect(observations, options))
            .ToList();
        findings.Sort(Compare);
        return findings;
    }

    /// <inheritdoc cref="Detect(EpochObservations, CollusionOptions)"/>
    public static IReadOnlyList<CollusionFinding> Detect(EpochObservations observations) => Detect(observations, CollusionOptions.Default);

    private static int Compare(CollusionFinding a, CollusionFinding b)
    {
        int c = a.Kind.CompareTo(b.Kind);
        for (int i = 0; c == 0 && i < Math.Min(a.Members.Count, b.Members.Count); i++)
            c = a.Members[i].CompareTo(b.Members[i]);
        if (c == 0)
            c = a.Members.Count.CompareTo(b.Members.Count);
        return c != 0 ? c : string.CompareOrdinal(a.Evidence, b.Evidence);
    }
}
