namespace Cascoin.L2.Node.Logging;

/// <summary>The -debug categories and the source namespaces they switch to debug level.</summary>
public static class LogCategories
{
    private static readonly Dictionary<string, string[]> Sources = new(StringComparer.Ordinal)
    {
        ["rpc"] = ["Cascoin.L2.Rpc"],
        ["http"] = ["Microsoft.AspNetCore"],
        ["db"] = ["Cascoin.L2.Storage"],
        ["net"] = ["Cascoin.L2.Network"],
        ["state"] = ["Cascoin.L2.State"],
        ["chain"] = ["Cascoin.L2.Chain"],
        ["l1"] = ["Cascoin.L2.Settlement"],
        ["sequencer"] = ["Cascoin.L2.Sequencing"],
        ["da"] = ["Cascoin.L2.DataAvailability"],
        ["fraud"] = ["Cascoin.L2.FraudProofs"],
        ["node"] = ["Cascoin.L2.Node"],
    };

    public static IEnumerable<string> Names => Sources.Keys;

    public static bool IsKnown(string category) => IsAll(category) || IsNone(category) || Sources.ContainsKey(category);

    public static bool IsAll(string category) => category is "1" or "all";

    public static bool IsNone(string category) => category is "0" or "none";

    public static IReadOnlyList<string> SourcesOf(string category) => Sources.TryGetValue(category, out var s) ? s : [];
}
