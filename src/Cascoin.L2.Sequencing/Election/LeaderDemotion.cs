using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Election;

/// <summary>
/// A failed leader loses its turn (SPEC §7 failover). When a block of a slot is produced by the
/// sequencer at position p of the ranking in force, the p sequencers ahead of it failed to lead
/// (they were silent for a timeout, or their block did not gather 2/3): they move to the end of the
/// ranking, for the rest of the slot and the whole next one. Everything here is a pure function of
/// finalized blocks, so every node derives the same ranking; it decides only who proposes, never
/// whose votes count, so a wrong guess costs time and never safety.
/// </summary>
public static class LeaderDemotion
{
    /// <summary><paramref name="ranking"/> with the <paramref name="demoted"/> sequencers it contains moved to its end, in demotion order.</summary>
    public static IReadOnlyList<Address> Apply(IReadOnlyList<Address> ranking, IReadOnlyList<Address> demoted)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(demoted);
        if (demoted.Count == 0)
            return ranking;
        var demotedSet = demoted.ToHashSet();
        var members = ranking.ToHashSet();
        var result = ranking.Where(a => !demotedSet.Contains(a)).ToList();
        result.AddRange(demoted.Where(members.Contains));
        return result;
    }

    /// <summary>
    /// Adds to <paramref name="demoted"/> (a failed sequencer moves to its end) the leaders each of
    /// <paramref name="producers"/> — one slot's blocks in order — passed over in <paramref name="ranking"/>
    /// as demoted so far; returns the sequencers that failed during these blocks, in order.
    /// </summary>
    public static IReadOnlyList<Address> Judge(IReadOnlyList<Address> ranking, IEnumerable<Address> producers, List<Address> demoted)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(producers);
        ArgumentNullException.ThrowIfNull(demoted);
        var failed = new List<Address>();
        foreach (var producer in producers)
        {
            var current = Apply(ranking, demoted);
            var position = IndexOf(current, producer);
            for (var i = 0; i < position; i++)
            {
                demoted.Remove(current[i]);
                demoted.Add(current[i]);
                failed.Remove(current[i]);
                failed.Add(current[i]);
            }
        }
        return failed;
    }

    private static int IndexOf(IReadOnlyList<Address> ranking, Address address)
    {
        for (var i = 0; i < ranking.Count; i++)
        {
            if (ranking[i] == address)
                return i;
        }
        return -1; // a producer outside this set (it changed with the L1 anchor) passes over no one
    }
}
