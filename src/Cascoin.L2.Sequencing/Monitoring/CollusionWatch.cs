using System.Globalization;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// The collusion detector in a running node: collects the peers' votes this node hears (with their
/// arrival after the height began here) for an epoch of <see cref="EpochHeights"/> L2 heights, then
/// runs <see cref="CollusionDetector"/> over them, off the consensus thread, and raises each finding
/// as a <see cref="AlertKinds.Collusion"/> warning with its evidence. At most <see cref="MaxVotes"/>
/// votes are kept per epoch. Related addresses and skipped forced entries are not observed by the
/// node yet, so only the vote-timing and nil-pattern detectors see data here.
/// </summary>
public sealed class CollusionWatch(AlertLog alerts, ulong epochHeights, CollusionOptions? options = null)
{
    public const int MaxVotes = 200_000;

    private readonly Lock _lock = new();
    private readonly CollusionOptions _options = options ?? CollusionOptions.Default;
    private List<ObservedVote> _votes = [];
    private ulong? _epoch;

    public ulong EpochHeights { get; } = epochHeights > 0 ? epochHeights : throw new ArgumentOutOfRangeException(nameof(epochHeights));

    /// <summary>The detection of the last closed epoch (for tests and shutdown), or a completed task.</summary>
    public Task LastRun { get; private set; } = Task.CompletedTask;

    /// <summary>One vote heard (call it for every vote of the set this node counts, in any order).</summary>
    public void Observe(ObservedVote vote)
    {
        var epoch = vote.Height / EpochHeights;
        List<ObservedVote>? closed = null;
        ulong closedEpoch = 0;
        lock (_lock)
        {
            if (_epoch is { } current && epoch < current)
                return; // a straggler of an epoch already judged
            if (_epoch is { } previous && epoch > previous)
            {
                (closed, closedEpoch) = (_votes, previous);
                _votes = [];
            }
            _epoch = epoch;
            if (_votes.Count < MaxVotes)
                _votes.Add(vote);
        }
        if (closed is { Count: > 0 })
            LastRun = Task.Run(() => Judge(closed, closedEpoch));
    }

    private void Judge(List<ObservedVote> votes, ulong epoch)
    {
        var findings = CollusionDetector.Detect(new EpochObservations(votes, [], [], []), _options);
        foreach (var finding in findings)
        {
            var members = string.Join(' ', finding.Members);
            alerts.Raise(AlertSeverity.Warning, AlertKinds.Collusion, $"{finding.Kind} {members}",
                $"sequencers {members} may act as one ({finding.Kind}, epoch {epoch}): {finding.Evidence}",
                new Dictionary<string, string>
                {
                    ["finding"] = finding.Kind.ToString(),
                    ["members"] = members,
                    ["score"] = finding.Score.ToString("F3", CultureInfo.InvariantCulture),
                    ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
                    ["heights"] = $"{epoch * EpochHeights}..{(epoch + 1) * EpochHeights - 1}",
                });
        }
    }
}
