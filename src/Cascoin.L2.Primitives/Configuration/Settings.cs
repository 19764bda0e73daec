using System.Globalization;

namespace Cascoin.L2.Primitives.Configuration;

/// <summary>
/// The merged options of one program run, bitcoind style: the command line beats the network
/// section of the configuration file (<c>[regtest]</c>, <c>[test]</c>, <c>[main]</c>), which beats
/// the file's top level. Values were checked against their <see cref="OptionSpec"/> when read.
/// </summary>
public sealed class Settings
{
    private readonly IReadOnlyDictionary<string, OptionSpec> _specs;
    private readonly IReadOnlyList<IReadOnlyDictionary<string, List<string>>> _layers;

    internal Settings(
        IReadOnlyDictionary<string, OptionSpec> specs,
        IReadOnlyList<IReadOnlyDictionary<string, List<string>>> layersHighestFirst,
        IReadOnlyList<string> positional)
    {
        _specs = specs;
        _layers = layersHighestFirst;
        Positional = positional;
    }

    /// <summary>Arguments after the options (the CLI's method and its parameters).</summary>
    public IReadOnlyList<string> Positional { get; }

    public bool IsSet(string name) => Values(name) is not null;

    public string? GetText(string name) => Values(name)?[^1];

    public string GetText(string name, string defaultValue) => GetText(name) ?? defaultValue;

    public bool GetFlag(string name, bool defaultValue)
    {
        var value = GetText(name);
        return value is null ? defaultValue : SettingsParser.ParseFlag(value) ?? defaultValue;
    }

    public long GetInteger(string name, long defaultValue)
    {
        var value = GetText(name);
        return value is null ? defaultValue : long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>Every value of a list option from the highest layer that sets it.</summary>
    public IReadOnlyList<string> GetList(string name) => (IReadOnlyList<string>?)Values(name) ?? [];

    private List<string>? Values(string name)
    {
        if (!_specs.ContainsKey(name))
            throw new ArgumentException($"option -{name} is not declared", nameof(name));
        foreach (var layer in _layers)
        {
            if (layer.TryGetValue(name, out var values) && values.Count > 0)
                return values;
        }
        return null;
    }
}
