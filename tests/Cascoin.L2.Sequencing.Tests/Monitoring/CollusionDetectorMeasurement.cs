using Cascoin.L2.Sequencing.Monitoring;
using Xunit.Abstractions;

namespace Cascoin.L2.Sequencing.Tests.Monitoring;

/// <summary>
/// How well the detector finds planted colluders in synthetic epochs (<see cref="SyntheticEpochs"/>),
/// at the default thresholds. A finding is a true positive when all its members belong to one planted
/// group; a group is found when some true-positive finding names members of it. The strict figures
/// also require the finding's kind to be one of the behaviours the group was given.
/// </summary>
public sealed class CollusionDetectorMeasurement(ITestOutputHelper output)
{
    private const int Epochs = 200;
    private const int HonestEpochs = 500;
    private const int SweepEpochs = 100;

    [Fact]
    public void Planted_groups_are_found_with_high_precision_and_recall()
    {
        var tally = new Tally();
        for (int seed = 0; seed < Epochs; seed++)
        {
            var epoch = SyntheticEpochs.Generate(seed);
            tally.Add(epoch, CollusionDetector.Detect(epoch.Observations));
        }

        output.WriteLine(
            $"collusion detector: precision {tally.Precision:0.000}, recall {tally.Recall:0.000} over {Epochs} epochs "
            + $"({tally.Planted} planted groups, {tally.Findings} findings; {tally.Complete} groups named completely by one finding)");
        foreach (var kind in Enum.GetValues<CollusionKind>())
        {
            var k = tally.PerKind[kind];
            output.WriteLine(
                $"  {kind}: strict precision {Ratio(k.TruePositives, k.Findings):0.000} ({k.TruePositives}/{k.Findings}), "
                + $"recall {Ratio(k.Found, k.Planted):0.000} ({k.Found}/{k.Planted} groups given this behaviour)");
        }

        Assert.True(tally.Planted > 100, $"only {tally.Planted} groups planted");
        Assert.True(tally.Precision >= 0.95, $"precision {tally.Precision:0.000}");
        Assert.True(tally.Recall >= 0.95, $"recall {tally.Recall:0.000}");
        foreach (var kind in Enum.GetValues<CollusionKind>())
        {
            var k = tally.PerKind[kind];
            Assert.True(Ratio(k.TruePositives, k.Findings) >= 0.9, $"{kind} strict precision {k.TruePositives}/{k.Findings}");
            Assert.True(Ratio(k.Found, k.Planted) >= 0.9, $"{kind} recall {k.Found}/{k.Planted}");
        }
    }

    /// <summary>
    /// Where the statistical detectors stop: groups that stall fewer heights together, or whose keys
    /// jitter more around their shared machine. Prints recall per setting; asserts only that weaker
    /// planting never costs precision.
    /// </summary>
    [Fact]
    public void Weaker_planting_lowers_recall_not_precision()
    {
        var settings = new (string Name, CollusionKind Kind, Planting Planting)[]
        {
            ("3 stalled heights", CollusionKind.NilPattern, new Planting(3, 3, 2)),
            ("4 stalled heights", CollusionKind.NilPattern, new Planting(4, 4, 2)),
            ("5 stalled heights", CollusionKind.NilPattern, new Planting(5, 5, 2)),
            ("0-5 ms machine jitter", CollusionKind.VoteTiming, new Planting(5, 10, 5)),
            ("0-10 ms machine jitter", CollusionKind.VoteTiming, new Planting(5, 10, 10)),
            ("0-20 ms machine jitter", CollusionKind.VoteTiming, new Planting(5, 10, 20)),
        };
        foreach (var (name, kind, planting) in settings)
        {
            var tally = new Tally();
            for (int seed = 0; seed < SweepEpochs; seed++)
            {
                var epoch = SyntheticEpochs.Generate(2_000_000 + seed, colluders: true, planting);
                tally.Add(epoch, CollusionDetector.Detect(epoch.Observations));
            }
            var k = tally.PerKind[kind];
            output.WriteLine(
                $"{name}: {kind} recall {Ratio(k.Found, k.Planted):0.000} ({k.Found}/{k.Planted}), "
                + $"strict precision {Ratio(k.TruePositives, k.Findings):0.000} ({k.TruePositives}/{k.Findings})");
            Assert.True(Ratio(k.TruePositives, k.Findings) >= 0.9, $"{name}: {kind} precision {k.TruePositives}/{k.Findings}");
        }
    }

    /// <summary>
    /// Honest-only epochs: the share of epochs with any timing or nil-pattern alarm (the statistical
    /// detectors; stake and forced-entry findings are rules and are counted too).
    /// </summary>
    [Fact]
    public void Honest_epochs_rarely_raise_an_alarm()
    {
        int timingOrNil = 0, other = 0;
        for (int seed = 0; seed < HonestEpochs; seed++)
        {
            var findings = CollusionDetector.Detect(SyntheticEpochs.Generate(1_000_000 + seed, colluders: false).Observations);
            if (findings.Any(f => f.Kind is CollusionKind.VoteTiming or CollusionKind.NilPattern))
                timingOrNil++;
            if (findings.Any(f => f.Kind is CollusionKind.StakeConcentration or CollusionKind.ForcedEntrySkips))
                other++;
        }
        output.WriteLine(
            $"honest epochs: {timingOrNil} of {HonestEpochs} ({100.0 * timingOrNil / HonestEpochs:0.0} %) raised a timing or nil-pattern alarm, "
            + $"{other} a stake or forced-entry alarm");
        Assert.True(timingOrNil <= HonestEpochs * 5 / 100, $"{timingOrNil} of {HonestEpochs} honest epochs raised a timing or nil alarm");
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 1 : (double)numerator / denominator;

    private sealed class Tally
    {
        public int Planted { get; private set; }
        public int Found { get; private set; }
        public int Complete { get; private set; }
        public int Findings { get; private set; }
        public int TruePositives { get; private set; }
        public Dictionary<CollusionKind, KindTally> PerKind { get; } = Enum.GetValues<CollusionKind>().ToDictionary(k => k, _ => new KindTally());

        public double Precision => Ratio(TruePositives, Findings);
        public double Recall => Ratio(Found, Planted);

        public void Add(SyntheticEpoch epoch, IReadOnlyList<CollusionFinding> findings)
        {
            Findings += findings.Count;
            foreach (var finding in findings)
            {
                var group = GroupOf(epoch, finding);
                if (group is not null)
                    TruePositives++;
                PerKind[finding.Kind].Findings++;
                if (group is not null && group.Behaviours.Contains(finding.Kind))
                    PerKind[finding.Kind].TruePositives++;
            }
            foreach (var group in epoch.Groups)
            {
                Planted++;
                var mine = findings.Where(f => GroupOf(epoch, f) == group).ToList();
                if (mine.Count > 0)
                    Found++;
                if (mine.Any(f => f.Members.Count == group.Members.Count))
                    Complete++;
                foreach (var kind in group.Behaviours)
                {
                    PerKind[kind].Planted++;
                    if (mine.Any(f => f.Kind == kind))
                        PerKind[kind].Found++;
                }
            }
        }

        private static PlantedGroup? GroupOf(SyntheticEpoch epoch, CollusionFinding finding) =>
            epoch.Groups.FirstOrDefault(g => finding.Members.All(g.Members.Contains));
    }

    private sealed class KindTally
    {
        public int Planted { get; set; }
        public int Found { get; set; }
        public int Findings { get; set; }
        public int TruePositives { get; set; }
    }
}
