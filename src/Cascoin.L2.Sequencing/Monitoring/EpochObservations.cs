using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// One prevote or precommit as this node saw it arrive. A null <paramref name="Block"/> is a vote for
/// nil (the voter rejected the proposal or abstained when its timer fired).
/// <paramref name="ArrivalMs"/> is when the vote arrived, in milliseconds after this node started the
/// round: an offset, not a clock reading, so observations from different nodes compare.
/// </summary>
public readonly record struct ObservedVote(Address Voter, ulong Height, int Round, VoteStep Step, Hash256? Block, int ArrivalMs);

/// <summary>A sequencer's bonded stake, as the L1 says it is.</summary>
public readonly record struct SequencerStake(Address Sequencer, Amount Stake);

/// <summary>
/// Two addresses known to belong together (funded from the same source, sharing a payout
/// address…). Found elsewhere and given here; the order of the two does not matter.
/// </summary>
public readonly record struct RelatedPair(Address First, Address Second);

/// <summary>
/// A forced-inclusion entry (by its L1 queue sequence number) that was due when
/// <paramref name="Leader"/> produced the block at <paramref name="Height"/>, and that block left it out.
/// </summary>
public readonly record struct SkippedForcedEntry(Address Leader, ulong Height, ulong QueueSequence);

/// <summary>
/// What one epoch showed about the sequencer network: every input the
/// <see cref="CollusionDetector"/> reads. The order of every list is irrelevant: the detector sorts
/// before it looks, so two nodes that saw the same things in a different order raise the same alerts.
/// </summary>
public sealed record EpochObservations(
    IReadOnlyList<ObservedVote> Votes,
    IReadOnlyList<SequencerStake> Stakes,
    IReadOnlyList<RelatedPair> RelatedPairs,
    IReadOnlyList<SkippedForcedEntry> SkippedForcedEntries)
{
    public static EpochObservations Empty { get; } = new([], [], [], []);
}
