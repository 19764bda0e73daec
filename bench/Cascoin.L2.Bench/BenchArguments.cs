using System.Globalization;

namespace Cascoin.L2.Bench;

/// <summary>The parsed <c>--name value</c> / <c>--name=value</c> options of one benchmark, defaults filled in.</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchArguments(Dictionary<string, string> values) => _values = values;

    public static BenchArguments Parse(IReadOnlyList<string> args, IReadOnlyList<BenchOption> options)
    {
        var values = options.ToDictionary(o => o.Name, o => o.DefaultValue, StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new BenchUsageException($"unexpected argument '{arg}'");
            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new BenchUsageException($"option --{name} needs a value");
            }
            if (!values.ContainsKey(name))
                throw new BenchUsageException($"unknown option --{name}");
            values[name] = value;
        }
        return new BenchArguments(values);
    }

    public double GetDouble(string name, double min, double max)
    {
        if (!double.TryParse(_values[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || value < min || value > max)
            throw new BenchUsageException($"--{name} must be a number in {min}..{max}, got '{_values[name]}'");
        return value;
    }

    public int GetInt(string name, int min, int max)
    {
        if (!int.TryParse(_values[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
            throw new BenchUsageException($"--{name} must be an integer in {min}..{max}, got '{_values[name]}'");
        return value;
    }

    public string GetString(string name) => _values[name];
}
