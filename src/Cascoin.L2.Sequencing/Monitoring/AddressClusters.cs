using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>Two sequencers one detector found suspicious together (<see cref="First"/> &lt; <see cref="Second"/>).</summary>
internal readonly record struct FlaggedPair(Address First, Address Second, double Score, string Evidence);

/// <summary>
/// Connected components of address pairs, in a canonical order (members sorted, components by their
/// first member), so grouping never depends on the order the pairs came in.
/// </summary>
internal static class AddressClusters
{
    /// <summary>Pair evidence an alert quotes before it summarises the rest: an operator reads the first few.</summary>
    private const int QuotedPairs = 6;

    public static List<Address[]> Components(IEnumerable<(Address A, Address B)> edges)
    {
        var edgeList = edges.ToList();
        var addresses = edgeList.SelectMany(e => new[] { e.A, e.B }).Distinct().Order().ToArray();
        var index = new Dictionary<Address, int>(addresses.Length);
        for (int i = 0; i < addresses.Length; i++)
            index[addresses[i]] = i;

        var parent = Enumerable.Range(0, addresses.Length).ToArray();
        foreach (var (a, b) in edgeList)
        {
            int ra = Find(parent, index[a]), rb = Find(parent, index[b]);
            // The smaller index becomes the root, so the root is each component's first address.
            if (ra != rb)
                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }

        var members = new List<Address>[addresses.Length];
        for (int i = 0; i < addresses.Length; i++)
            (members[Find(parent, i)] ??= []).Add(addresses[i]);
        return members.Where(m => m is not null).Select(m => m.ToArray()).ToList();
    }

    /// <summary>
    /// One finding per connected group of flagged pairs (colluders of three flag three pairs; the
    /// operator wants one alert naming three sequencers). The score is the weakest flagged link's: a
    /// group is only as certain as the pair that joined it.
    /// </summary>
    public static IEnumerable<CollusionFinding> Findings(CollusionKind kind, IReadOnlyList<FlaggedPair> pairs, Func<int, string> header)
    {
        foreach (var component in Components(pairs.Select(p => (p.First, p.Second))))
        {
            var inside = component.ToHashSet();
            var links = pairs.Where(p => inside.Contains(p.First))
                .OrderBy(p => p.First).ThenBy(p => p.Second).ToList();
            var quoted = links.Take(QuotedPairs).Select(p => p.Evidence);
            var rest = links.Count > QuotedPairs ? $"; and {links.Count - QuotedPairs} more pairs" : "";
            yield return new CollusionFinding(
                kind,
                component,
                links.Min(p => p.Score),
                $"{header(component.Length)}: {string.Join("; ", quoted)}{rest}");
        }
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
