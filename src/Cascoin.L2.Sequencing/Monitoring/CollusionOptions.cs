namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// Thresholds of the <see cref="CollusionDetector"/>. The defaults were measured on the synthetic
/// epochs of the tests (7–20 honest sequencers with internet-like latency and 1–5 % timeouts, planted
/// groups of 2–4): they keep precision and recall above 0.9 there; see the test project.
/// </summary>
public sealed record CollusionOptions
{
    public static CollusionOptions Default { get; } = new();

    /// <summary>
    /// Votes (both voted for a block in the same height, round and step) a pair needs before its timing
    /// is judged. Default 20: fewer give a gap spread too noisy to tell one machine from two.
    /// </summary>
    public int MinCommonVotes { get; init; } = 20;

    /// <summary>
    /// Largest spread (median absolute deviation, ms) of the gap between two voters' arrivals that still
    /// reads as one machine. Default 3 ms: process scheduling on one host adds about a millisecond, while
    /// independent internet paths jitter by tens. Measured: keys jittering 0–10 ms around their shared
    /// machine are still found 94 % of the time, 0–20 ms never. Two honest nodes in one data centre
    /// share most of their path to the observer and can look like one machine: an alert, not a verdict.
    /// </summary>
    public double MaxGapSpreadMs { get; init; } = 3;

    /// <summary>
    /// The pair's gap spread must also be at most this fraction of the spread of each member's gaps to the
    /// other voters. Default 0.25: on a network where everyone is within a few ms of everyone (a LAN
    /// devnet), closeness alone says nothing.
    /// </summary>
    public double MaxGapSpreadRatio { get; init; } = 0.25;

    /// <summary>
    /// A nil vote counts as dissent only where one block drew at least this share of the round's votes.
    /// Default 1/3: below that the height was lost for everyone (a bad or late proposal), and a nil then
    /// says nothing about the voter; a group of colluders up to half the set still leaves the block a third.
    /// </summary>
    public double MinBlockShareForDissent { get; init; } = 1.0 / 3;

    /// <summary>Heights on which a pair must both have dissented. Default 3.</summary>
    public int MinSharedNilHeights { get; init; } = 3;

    /// <summary>
    /// Largest chance that two voters dissenting independently, as often as each did, share that many
    /// heights (hypergeometric tail). Default 1e-4, measured on the test epochs (60–120 heights): no
    /// alarm in 500 honest epochs; a group stalling 5 heights together is found 85 % of the time, 4
    /// heights 57 %. 1e-3 finds those 100 % and 92 %, but then honest voters that share a few timeouts
    /// with a colluder get linked into its cluster (nil-pattern precision 0.97): an alert should be rare
    /// and right, so the stricter default.
    /// </summary>
    public double MaxNilPatternChance { get; init; } = 1e-4;

    /// <summary>Stake share a group of related addresses may hold, in percent. Default 20 (the seed's limit); more is a finding.</summary>
    public int MaxRelatedStakePercent { get; init; } = 20;

    /// <summary>
    /// Due forced entries two leaders must both have left out. Default 2: an honest leader whose L1 view
    /// lags skips an entry that just became due, and the next leader includes it, so honest skips rarely
    /// repeat across leaders, let alone twice.
    /// </summary>
    public int MinSharedSkippedEntries { get; init; } = 2;

    /// <exception cref="ArgumentOutOfRangeException">when a threshold is outside its range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCommonVotes, 2, nameof(MinCommonVotes));
        if (!(MaxGapSpreadMs >= 0) || double.IsInfinity(MaxGapSpreadMs))
            throw new ArgumentOutOfRangeException(nameof(MaxGapSpreadMs), MaxGapSpreadMs, "must be finite and at least 0");
        if (!(MaxGapSpreadRatio is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxGapSpreadRatio), MaxGapSpreadRatio, "must be in [0, 1]");
        if (!(MinBlockShareForDissent is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinBlockShareForDissent), MinBlockShareForDissent, "must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSharedNilHeights, 1, nameof(MinSharedNilHeights));
        if (!(MaxNilPatternChance is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(MaxNilPatternChance), MaxNilPatternChance, "must be in [0, 1]");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRelatedStakePercent, nameof(MaxRelatedStakePercent));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRelatedStakePercent, 100, nameof(MaxRelatedStakePercent));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinSharedSkippedEntries, 1, nameof(MinSharedSkippedEntries));
    }
}
