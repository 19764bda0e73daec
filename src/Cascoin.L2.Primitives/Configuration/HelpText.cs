using System.Text;

namespace Cascoin.L2.Primitives.Configuration;

/// <summary>Formats option help the way bitcoind's -help does: grouped by category, wrapped and indented.</summary>
public static class HelpText
{
    private const int Width = 79;
    private const int Indent = 7;

    public static string Format(string usage, IEnumerable<OptionSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var text = new StringBuilder(usage.TrimEnd()).Append("\n\n");
        foreach (var group in specs.GroupBy(s => s.Category))
        {
            text.Append(group.Key).Append(":\n\n");
            foreach (var spec in group)
            {
                text.Append("  -").Append(spec.Name);
                if (spec.Kind != OptionKind.Flag)
                    text.Append("=<").Append(spec.ValueName ?? "value").Append('>');
                text.Append('\n');
                AppendWrapped(text, spec.Help);
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    private static void AppendWrapped(StringBuilder text, string help)
    {
        var line = new StringBuilder();
        foreach (var word in help.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && Indent + line.Length + 1 + word.Length > Width)
            {
                text.Append(' ', Indent).Append(line).Append('\n');
                line.Clear();
            }
            if (line.Length > 0)
                line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0)
            text.Append(' ', Indent).Append(line).Append('\n');
    }
}
