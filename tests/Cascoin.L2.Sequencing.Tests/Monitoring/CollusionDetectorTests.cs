using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Monitoring;
using Xunit.Abstractions;

namespace Cascoin.L2.Sequencing.Tests.Monitoring;

public sealed class CollusionDetectorTests(ITestOutputHelper output)
{
    private static readonly Address A = SequencerKeys.AddressOf(0);
    private static readonly Address B = SequencerKeys.AddressOf(1);
    private static readonly Address C = SequencerKeys.AddressOf(2);
    private static readonly Address D = SequencerKeys.AddressOf(3);

    [Fact]
    public void An_empty_epoch_has_no_findings() =>
        Assert.Empty(CollusionDetector.Detect(EpochObservations.Empty));

    [Fact]
    public void A_single_sequencer_has_no_findings()
    {
        var random = new Random(1);
        var votes = Enumerable.Range(0, 50).SelectMany(h => new[]
        {
            new ObservedVote(A, (ulong)h, 0, VoteStep.Prevote, h % 3 == 0 ? null : SequencerKeys.RandomHash(random), random.Next(100, 200)),
            new ObservedVote(A, (ulong)h, 0, VoteStep.Precommit, h % 3 == 0 ? null : SequencerKeys.RandomHash(random), random.Next(300, 400)),
        }).ToList();
        var observations = new EpochObservations(
            votes,
            [new SequencerStake(A, Amount.FromCas(1_000))],
            [new RelatedPair(A, SyntheticEpochs.RandomAddress(random)), new RelatedPair(A, A)],
            [new SkippedForcedEntry(A, 3, 7), new SkippedForcedEntry(A, 4, 8)]);
        Assert.Empty(CollusionDetector.Detect(observations));
    }

    [Fact]
    public void Zero_or_negative_stake_gives_no_stake_finding()
    {
        var observations = EpochObservations.Empty with
        {
            Stakes = [new SequencerStake(A, Amount.Zero), new SequencerStake(B, Amount.Zero), new SequencerStake(C, Amount.FromSat(-5))],
            RelatedPairs = [new RelatedPair(A, B), new RelatedPair(B, C)],
        };
        Assert.Empty(CollusionDetector.Detect(observations));
    }

    [Fact]
    public void Related_stake_above_the_limit_is_a_finding_and_at_the_limit_is_not()
    {
        var funder = SyntheticEpochs.RandomAddress(new Random(2));
        EpochObservations Epoch(Amount a) => EpochObservations.Empty with
        {
            Stakes = [new(A, a), new(B, Amount.FromCas(10)), new(C, Amount.FromCas(40)), new(D, Amount.FromCas(40))],
            RelatedPairs = [new(funder, A), new(B, funder)],
        };

        Assert.Empty(CollusionDetector.Detect(Epoch(Amount.FromCas(10)))); // exactly 20 %

        var finding = Assert.Single(CollusionDetector.Detect(Epoch(Amount.FromCas(10) + Amount.FromSat(1))));
        output.WriteLine(finding.Evidence);
        Assert.Equal(CollusionKind.StakeConcentration, finding.Kind);
        Assert.Equal(new[] { A, B }.Order(), finding.Members);
        Assert.Contains("linked through 1 address that is not a sequencer", finding.Evidence);
        Assert.Contains("above the 20 %", finding.Evidence);
    }

    [Fact]
    public void Two_sequencers_alone_are_never_a_timing_finding_there_is_no_one_to_compare_them_with()
    {
        var votes = Enumerable.Range(0, 40).SelectMany(h => new[] { A, B }.Select(v =>
            new ObservedVote(v, (ulong)h, 0, VoteStep.Prevote, Hash256.Zero, 100 + (h * 37 % 50)))).ToList();
        Assert.Empty(CollusionDetector.Detect(EpochObservations.Empty with { Votes = votes }));
    }

    [Fact]
    public void Proposals_and_repeated_votes_are_ignored()
    {
        var votes = new List<ObservedVote>();
        for (int h = 0; h < 40; h++)
        {
            foreach (var voter in new[] { A, B, C })
            {
                votes.Add(new ObservedVote(voter, (ulong)h, 0, VoteStep.Proposal, null, 5));
                votes.Add(new ObservedVote(voter, (ulong)h, 0, VoteStep.Prevote, Hash256.Zero, 100 + (h * 37 % 50) + (voter == C ? h * 13 % 40 : 0)));
            }
        }
        var once = CollusionDetector.Detect(EpochObservations.Empty with { Votes = votes });
        var twice = CollusionDetector.Detect(EpochObservations.Empty with { Votes = [.. votes, .. votes] });
        Assert.Equal(once, twice);
        // A and B send together (gap 0) while C wanders by up to 40 ms: one timing finding, A and B.
        var finding = Assert.Single(once);
        Assert.Equal(CollusionKind.VoteTiming, finding.Kind);
        Assert.Equal(new[] { A, B }.Order(), finding.Members);
    }

    [Fact]
    public void Shared_skipped_forced_entries_are_one_finding_per_group()
    {
        var skips = new List<SkippedForcedEntry>
        {
            new(A, 10, 100), new(A, 11, 101), new(B, 20, 100), new(B, 21, 101), new(C, 30, 101), new(C, 31, 100),
            new(D, 40, 100), new(D, 41, 555),
        };
        var finding = Assert.Single(CollusionDetector.Detect(EpochObservations.Empty with { SkippedForcedEntries = skips }));
        output.WriteLine(finding.Evidence);
        Assert.Equal(CollusionKind.ForcedEntrySkips, finding.Kind);
        Assert.Equal(new[] { A, B, C }.Order(), finding.Members);
        Assert.Equal(1.0, finding.Score);
        Assert.StartsWith("3 leaders left out the same due forced-inclusion entries: ", finding.Evidence);
    }

    /// <summary>Alerts as an operator reads them, from a synthetic epoch with planted groups.</summary>
    [Fact]
    public void Alerts_name_the_planted_members_in_readable_evidence()
    {
        // The first seed that plants a group with all four behaviours.
        var epoch = Enumerable.Range(0, 1_000).Select(seed => SyntheticEpochs.Generate(seed, colluders: true))
            .First(e => e.Groups.Any(g => g.Behaviours.Count == 4));
        var findings = CollusionDetector.Detect(epoch.Observations);
        foreach (var group in epoch.Groups)
            output.WriteLine($"planted [{string.Join(", ", group.Members.Order())}]: {string.Join(", ", group.Behaviours.Order())}");
        foreach (var finding in findings)
            output.WriteLine(finding.ToString());
        Assert.Equal(Enum.GetValues<CollusionKind>(), findings.Select(f => f.Kind).Distinct());
        Assert.All(findings, f => Assert.Contains(epoch.Groups, g => f.Members.All(g.Members.Contains)));
    }

    [Fact]
    public void Thresholds_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CollusionDetector.Detect(EpochObservations.Empty, new CollusionOptions { MinCommonVotes = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CollusionDetector.Detect(EpochObservations.Empty, new CollusionOptions { MaxGapSpreadMs = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CollusionDetector.Detect(EpochObservations.Empty, new CollusionOptions { MaxRelatedStakePercent = 101 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => CollusionDetector.Detect(EpochObservations.Empty, new CollusionOptions { MinBlockShareForDissent = 0 }));
        Assert.Throws<ArgumentNullException>(() => CollusionDetector.Detect(null!));
    }
}
