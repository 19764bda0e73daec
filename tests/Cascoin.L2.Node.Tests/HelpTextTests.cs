using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Primitives.Configuration;

namespace Cascoin.L2.Node.Tests;

public class HelpTextTests
{
    private static readonly OptionSpec[] AllSpecs = [.. CommonOptions.All, .. NodeOptions.All];

    private static string Format() => HelpText.Format("Usage:  cascoind [options]\n\n", AllSpecs);

    [Fact]
    public void Help_lists_every_option_with_its_value_placeholder()
    {
        var lines = Format().Split('\n');
        foreach (var spec in AllSpecs)
        {
            var expected = spec.Kind == OptionKind.Flag ? $"  -{spec.Name}" : $"  -{spec.Name}=<{spec.ValueName}>";
            Assert.Contains(expected, lines);
        }
    }

    [Fact]
    public void Help_starts_with_the_usage_and_groups_options_under_their_category()
    {
        var text = Format();
        Assert.StartsWith("Usage:  cascoind [options]\n\n", text, StringComparison.Ordinal);
        var lines = text.Split('\n');
        foreach (var category in AllSpecs.Select(s => s.Category).Distinct())
            Assert.Single(lines, l => l == category + ":");

        foreach (var spec in AllSpecs)
        {
            var optionLine = Array.FindIndex(lines, l => l == $"  -{spec.Name}" || l.StartsWith($"  -{spec.Name}=<", StringComparison.Ordinal));
            var header = lines.Take(optionLine).Last(l => l.EndsWith(':') && !l.StartsWith(' '));
            Assert.Equal(spec.Category + ":", header);
        }
    }

    [Fact]
    public void Help_text_is_wrapped_to_79_columns_and_indented_and_keeps_every_word()
    {
        var text = Format();
        var lines = text.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 79, $"line too long ({l.Length}): {l}"));
        foreach (var spec in AllSpecs)
        {
            foreach (var word in spec.Help.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.Contains(word, text, StringComparison.Ordinal);
        }
        Assert.All(lines.Where(l => l.StartsWith(' ') && !l.StartsWith("  -", StringComparison.Ordinal)), l => Assert.StartsWith("       ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void A_word_longer_than_the_line_is_kept_whole()
    {
        var longWord = new string('x', 100);
        var text = HelpText.Format("u", [OptionSpec.Flag("f", "short " + longWord + " tail")]);
        Assert.Contains("       short\n       " + longWord + "\n       tail\n", text, StringComparison.Ordinal);
    }
}
