using Cascoin.L2.Sequencing.Monitoring;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests.Monitoring;

/// <summary>The detector is pure: what it finds depends on what was seen, never on the order it was seen in.</summary>
public sealed class CollusionDetectorProperties
{
    /// <summary>Shuffled lists, swapped related pairs and repeated entries give the very same findings.</summary>
    [Property(MaxTest = 100)]
    public void Shuffling_the_observations_never_changes_the_findings(int seed, int shuffleSeed)
    {
        var observations = SyntheticEpochs.Generate(seed, colluders: true).Observations;
        var random = new Random(shuffleSeed);
        var shuffled = new EpochObservations(
            Shuffled(random, observations.Votes.Concat(observations.Votes.Take(random.Next(0, 10)))),
            Shuffled(random, observations.Stakes.Concat(observations.Stakes.Take(random.Next(0, 3)))),
            Shuffled(random, observations.RelatedPairs.Select(p => random.Next(2) == 0 ? p : new RelatedPair(p.Second, p.First))),
            Shuffled(random, observations.SkippedForcedEntries.Concat(observations.SkippedForcedEntries.Take(random.Next(0, 3)))));

        var expected = CollusionDetector.Detect(observations);
        Assert.Equal(expected, CollusionDetector.Detect(shuffled));
        Assert.Equal(expected, CollusionDetector.Detect(observations));
    }

    /// <summary>Every finding names at least two distinct members in address order, a score in [0, 1] and some evidence.</summary>
    [Property(MaxTest = 100)]
    public void Findings_are_well_formed_and_sorted(int seed)
    {
        var findings = CollusionDetector.Detect(SyntheticEpochs.Generate(seed).Observations);
        foreach (var finding in findings)
        {
            Assert.True(finding.Members.Count >= 2, finding.ToString());
            Assert.Equal(finding.Members.Order(), finding.Members);
            Assert.Equal(finding.Members.Count, finding.Members.Distinct().Count());
            Assert.InRange(finding.Score, 0, 1);
            Assert.False(string.IsNullOrWhiteSpace(finding.Evidence));
        }
        Assert.Equal(findings.OrderBy(f => f.Kind).ThenBy(f => f.Members[0]), findings);
    }

    private static List<T> Shuffled<T>(Random random, IEnumerable<T> items)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return [.. array];
    }
}
