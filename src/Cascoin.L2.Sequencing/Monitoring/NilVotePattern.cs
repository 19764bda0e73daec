using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>
/// Sequencers that reject or abstain together. An honest node votes nil when its timer fires before
/// the proposal arrives, which happens to each node now and then and independently; a group that
/// stalls blocks it dislikes votes nil on the same heights. A pair is flagged when the heights both
/// dissented on are more than chance explains given how often each dissented (a hypergeometric tail),
/// so a node that times out a lot is not flagged for its bad connection alone.
/// </summary>
internal static class NilVotePattern
{
    /// <summary>Heights an alert lists before it summarises.</summary>
    private const int QuotedHeights = 10;

    public static IEnumerable<CollusionFinding> Detect(ObservedVote[] canonical, CollusionOptions options)
    {
        // Per voter: heights where it voted in a slot that counts, and heights where it dissented in one.
        var present = new SortedDictionary<Address, SortedSet<ulong>>();
        var dissent = new SortedDictionary<Address, SortedSet<ulong>>();
        foreach (var slot in canonical.GroupBy(CanonicalVotes.SlotOf).OrderBy(g => g.Key))
        {
            var votes = slot.ToList();
            int forLeader = votes.Where(v => v.Block.HasValue).GroupBy(v => v.Block!.Value)
                .Select(g => g.Count()).DefaultIfEmpty(0).Max();
            // A nil vote is dissent only where one block drew enough of the votes: where no block did, the
            // height was lost for everyone (late or bad proposal) and a nil vote says nothing about its voter.
            if (forLeader == 0 || forLeader < options.MinBlockShareForDissent * votes.Count)
                continue;
            foreach (var vote in votes)
            {
                Add(present, vote.Voter, vote.Height);
                if (!vote.Block.HasValue)
                    Add(dissent, vote.Voter, vote.Height);
            }
        }

        var dissenters = dissent.Keys.ToArray();
        var flagged = new List<FlaggedPair>();
        var logFactorials = new LogFactorials();
        for (int i = 0; i < dissenters.Length; i++)
        {
            for (int j = i + 1; j < dissenters.Length; j++)
            {
                Address a = dissenters[i], b = dissenters[j];
                var shared = dissent[a].Intersect(dissent[b]).ToList(); // in height order: a SortedSet enumerates sorted
                if (shared.Count < options.MinSharedNilHeights)
                    continue;
                // Condition on the heights both voted in: a height one of them missed cannot be shared.
                var both = present[a].Intersect(present[b]).ToHashSet();
                int dissentA = dissent[a].Count(both.Contains), dissentB = dissent[b].Count(both.Contains);
                double chance = logFactorials.HypergeometricTail(both.Count, dissentA, dissentB, shared.Count);
                if (chance > options.MaxNilPatternChance)
                    continue;
                var heights = string.Join(", ", shared.Take(QuotedHeights)) + (shared.Count > QuotedHeights ? ", …" : "");
                flagged.Add(new FlaggedPair(
                    a,
                    b,
                    (double)shared.Count / (dissentA + dissentB - shared.Count),
                    $"{a} and {b} both voted nil on {shared.Count} heights ({heights}) where the others voted for the block; "
                    + $"of {both.Count} heights both voted on, the first dissented on {dissentA}, the second on {dissentB}; "
                    + $"chance if independent {chance:0.##e+0}"));
            }
        }
        return AddressClusters.Findings(
            CollusionKind.NilPattern,
            flagged,
            count => $"{count} sequencers reject or abstain on the same heights");
    }

    private static void Add(SortedDictionary<Address, SortedSet<ulong>> sets, Address voter, ulong height)
    {
        if (!sets.TryGetValue(voter, out var set))
            sets[voter] = set = [];
        set.Add(height);
    }

    /// <summary>ln(k!) for the hypergeometric tail, extended on demand (heights per epoch bound it).</summary>
    private sealed class LogFactorials
    {
        private readonly List<double> _values = [0];

        private double Of(int k)
        {
            while (_values.Count <= k)
                _values.Add(_values[^1] + Math.Log(_values.Count));
            return _values[k];
        }

        private double LogChoose(int n, int k) => Of(n) - Of(k) - Of(n - k);

        /// <summary>
        /// P(X ≥ <paramref name="shared"/>) when <paramref name="drawn"/> heights are picked at random from
        /// <paramref name="population"/> of which <paramref name="marked"/> are marked: the chance that a
        /// voter dissenting on <paramref name="drawn"/> heights at random shares that many with the other.
        /// </summary>
        public double HypergeometricTail(int population, int marked, int drawn, int shared)
        {
            double total = 0;
            double logAll = LogChoose(population, drawn);
            for (int x = shared; x <= Math.Min(marked, drawn); x++)
            {
                if (drawn - x > population - marked)
                    continue;
                total += Math.Exp(LogChoose(marked, x) + LogChoose(population - marked, drawn - x) - logAll);
            }
            return Math.Min(total, 1);
        }
    }
}
