using Cascoin.L2.Sequencing.Monitoring;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Sequencing.Tests.Monitoring;

/// <summary>The detector in the node: an epoch's votes are judged when the next epoch begins, and each finding becomes an alert.</summary>
public sealed class CollusionWatchTests
{
    [Fact]
    public async Task An_epoch_with_planted_colluders_raises_collusion_alerts_when_the_next_epoch_begins()
    {
        var epoch = Enumerable.Range(0, 50).Select(seed => SyntheticEpochs.Generate(seed, colluders: true))
            .First(e => e.Groups.Any(g => g.Behaviours.Contains(CollusionKind.VoteTiming)));
        // The synthetic heights start anywhere below 1,000,000 + the epoch's length: one epoch of 10,000,000 holds them all.
        const ulong heights = 10_000_000;
        var alerts = new AlertLog(TimeProvider.System, NullLogger<AlertLog>.Instance);
        var watch = new CollusionWatch(alerts, heights);
        foreach (var vote in epoch.Observations.Votes)
            watch.Observe(vote);
        await watch.LastRun;
        Assert.Empty(alerts.Since());

        // The first vote of the next epoch closes this one.
        watch.Observe(epoch.Observations.Votes[0] with { Height = heights + 1 });
        await watch.LastRun;
        var raised = alerts.Since();
        Assert.NotEmpty(raised);
        Assert.All(raised, a => Assert.Equal(AlertKinds.Collusion, a.Kind));
        var timing = Assert.Single(raised, a => a.Evidence["finding"] == nameof(CollusionKind.VoteTiming)
            && epoch.Groups.Any(g => g.Behaviours.Contains(CollusionKind.VoteTiming) && a.Evidence["members"] == string.Join(' ', g.Members.Order())));
        Assert.Equal("0", timing.Evidence["epoch"]);
        Assert.Contains("may act as one", timing.Message, StringComparison.Ordinal);

        // A straggler of the judged epoch is not counted again.
        watch.Observe(epoch.Observations.Votes[1]);
        Assert.Equal(raised.Count, alerts.Since().Count);
    }

    [Fact]
    public void An_epoch_of_no_heights_is_refused()
    {
        var alerts = new AlertLog(TimeProvider.System, NullLogger<AlertLog>.Instance);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CollusionWatch(alerts, 0));
    }
}
