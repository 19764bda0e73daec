using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>Where a vote was cast: a height, a round of it and a step (prevote or precommit).</summary>
internal readonly record struct VoteSlot(ulong Height, int Round, VoteStep Step) : IComparable<VoteSlot>
{
    public int CompareTo(VoteSlot other)
    {
        int c = Height.CompareTo(other.Height);
        if (c != 0)
            return c;
        c = Round.CompareTo(other.Round);
        return c != 0 ? c : Step.CompareTo(other.Step);
    }
}

/// <summary>
/// The observed votes in one canonical order, whatever order they were seen in: one vote per voter and
/// slot, sorted by voter then slot. The detectors read only this, which is what makes them pure.
/// </summary>
internal static class CanonicalVotes
{
    public static VoteSlot SlotOf(ObservedVote vote) => new(vote.Height, vote.Round, vote.Step);

    /// <summary>
    /// Prevotes and precommits only (a proposal is not a vote), sorted by voter, slot, block (nil first)
    /// and arrival. A second vote of one voter in one slot (a repeat, or an equivocation, which the
    /// double-sign evidence handles) is dropped: the first in this order stays, so which one stays does
    /// not depend on arrival order.
    /// </summary>
    public static ObservedVote[] From(IReadOnlyList<ObservedVote> votes)
    {
        var sorted = votes.Where(v => v.Step is VoteStep.Prevote or VoteStep.Precommit).ToArray();
        Array.Sort(sorted, Compare);
        var kept = new List<ObservedVote>(sorted.Length);
        foreach (var vote in sorted)
        {
            if (kept.Count > 0 && kept[^1].Voter == vote.Voter && SlotOf(kept[^1]).Equals(SlotOf(vote)))
                continue;
            kept.Add(vote);
        }
        return [.. kept];
    }

    /// <summary>Runs of one voter's votes, voters in address order (the input is <see cref="From"/>'s output).</summary>
    public static IEnumerable<(Address Voter, ArraySegment<ObservedVote> Votes)> ByVoter(ObservedVote[] canonical)
    {
        int start = 0;
        for (int i = 1; i <= canonical.Length; i++)
        {
            if (i == canonical.Length || canonical[i].Voter != canonical[start].Voter)
            {
                yield return (canonical[start].Voter, new ArraySegment<ObservedVote>(canonical, start, i - start));
                start = i;
            }
        }
    }

    private static int Compare(ObservedVote a, ObservedVote b)
    {
        int c = a.Voter.CompareTo(b.Voter);
        if (c != 0)
            return c;
        c = SlotOf(a).CompareTo(SlotOf(b));
        if (c != 0)
            return c;
        c = (a.Block.HasValue, b.Block.HasValue) switch
        {
            (false, true) => -1,
            (true, false) => 1,
            (true, true) => a.Block!.Value.CompareTo(b.Block!.Value),
            _ => 0,
        };
        return c != 0 ? c : a.ArrivalMs.CompareTo(b.ArrivalMs);
    }
}
