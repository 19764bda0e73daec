using System.Globalization;

namespace Cascoin.L2.Primitives.Configuration;

/// <summary>
/// Reads bitcoind-style options: <c>-name=value</c> (or <c>--name</c>) on the command line and
/// <c>name=value</c> lines with <c>[section]</c> headers in a configuration file. Anything unknown
/// or malformed is a <see cref="ConfigurationException"/> naming the option and where it came from.
/// </summary>
public sealed class SettingsParser
{
    private readonly Dictionary<string, OptionSpec> _specs;
    private readonly Dictionary<string, List<string>> _commandLine = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _fileTop = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, List<string>>> _fileSections = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public SettingsParser(IEnumerable<OptionSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        _specs = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<OptionSpec> Specs => _specs.Values;

    /// <summary>
    /// Parses the command line. With <paramref name="allowPositional"/>, the first argument that is not an
    /// option and everything after it are kept as positional arguments (the CLI's method and parameters).
    /// </summary>
    public void ParseCommandLine(IReadOnlyList<string> args, bool allowPositional = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                if (!allowPositional)
                    throw new ConfigurationException($"unexpected argument '{arg}': options start with '-' (see -help)");
                _positional.AddRange(args.Skip(i));
                return;
            }
            var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            if (body is "?" or "h")
                body = "help";
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            var value = equals < 0 ? null : body[(equals + 1)..];
            Add(_commandLine, name, value, $"command-line option {arg}");
        }
    }

    /// <summary>
    /// Reads a configuration file's text. Unknown names are an error when <paramref name="strict"/>, else ignored.
    /// With <paramref name="section"/>, the whole file counts as that section (a network folder's own file).
    /// </summary>
    public void ParseConfigFile(string text, string path, bool strict = true, string? section = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var target = section is null ? _fileTop : Section(section);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var where = $"{path}:{lineNumber}";
            // '#' starts a comment, which would silently shorten a password: refuse it, as bitcoind does.
            if (rawLine.TrimStart().StartsWith("rpcpassword", StringComparison.Ordinal) && rawLine.Contains('#', StringComparison.Ordinal))
                throw new ConfigurationException($"{where}: using # in rpcpassword can be ambiguous and should be avoided");
            var line = StripComment(rawLine).Trim();
            if (line.Length == 0)
                continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                    throw new ConfigurationException($"{where}: malformed section header '{line}'");
                if (section is not null)
                    throw new ConfigurationException($"{where}: sections are not allowed in a network's own configuration file");
                target = Section(line[1..^1].Trim());
                continue;
            }
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new ConfigurationException($"{where}: expected name=value, found '{line}'");
            var name = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (!strict && !_specs.ContainsKey(name.StartsWith("no", StringComparison.Ordinal) ? name[2..] : name) && !_specs.ContainsKey(name))
                continue;
            Add(target, name, value, $"{where}: option '{name}'");
        }
    }

    /// <summary>The merged settings for a network (its section is one of "main", "test", "regtest").</summary>
    public Settings Build(string? networkSection)
    {
        var layers = new List<IReadOnlyDictionary<string, List<string>>> { _commandLine };
        if (networkSection is not null && _fileSections.TryGetValue(networkSection, out var section))
            layers.Add(section);
        layers.Add(_fileTop);
        return new Settings(_specs, layers, _positional);
    }

    /// <summary>The value a flag option has on the command line or the file's top level, before a network is chosen.</summary>
    public bool? PeekFlag(string name)
    {
        foreach (var layer in new[] { _commandLine, _fileTop })
        {
            if (layer.TryGetValue(name, out var values) && values.Count > 0)
                return ParseFlag(values[^1]);
        }
        return null;
    }

    public string? PeekText(string name)
    {
        foreach (var layer in new[] { _commandLine, _fileTop })
        {
            if (layer.TryGetValue(name, out var values) && values.Count > 0)
                return values[^1];
        }
        return null;
    }

    /// <summary>"" (a bare <c>-x</c>), 1/0 and true/false; anything else is not a flag value.</summary>
    public static bool? ParseFlag(string value) => value.ToLowerInvariant() switch
    {
        "" or "1" or "true" or "yes" => true,
        "0" or "false" or "no" => false,
        _ => null,
    };

    private Dictionary<string, List<string>> Section(string name)
    {
        if (!_fileSections.TryGetValue(name, out var values))
            _fileSections[name] = values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        return values;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? line : line[..hash];
    }

    private void Add(Dictionary<string, List<string>> layer, string name, string? value, string where)
    {
        var negated = false;
        if (!_specs.TryGetValue(name, out var spec))
        {
            // -noname negates a flag: -nol2, -noprinttoconsole.
            if (name.StartsWith("no", StringComparison.Ordinal) && _specs.TryGetValue(name[2..], out spec) && spec.Kind == OptionKind.Flag)
            {
                negated = true;
                name = name[2..];
            }
            else
            {
                throw new ConfigurationException($"unrecognized option -{name} ({where}); see -help");
            }
        }

        var normalized = Normalize(spec, value, negated, where);
        if (!layer.TryGetValue(name, out var values))
            layer[name] = values = [];
        if (spec.Kind == OptionKind.List)
            values.Add(normalized);
        else
        {
            values.Clear();
            values.Add(normalized);
        }
    }

    private static string Normalize(OptionSpec spec, string? value, bool negated, string where)
    {
        switch (spec.Kind)
        {
            case OptionKind.Flag:
                var flag = ParseFlag(value ?? "")
                    ?? throw new ConfigurationException($"invalid value '{value}' for -{spec.Name} ({where}): expected 0 or 1");
                return (flag ^ negated) ? "1" : "0";
            case OptionKind.Integer:
                if (value is null || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    throw new ConfigurationException($"invalid value '{value}' for -{spec.Name} ({where}): expected an integer");
                if (number < spec.Minimum || number > spec.Maximum)
                    throw new ConfigurationException(
                        $"invalid value {number} for -{spec.Name} ({where}): must be between {spec.Minimum} and {spec.Maximum}");
                return number.ToString(CultureInfo.InvariantCulture);
            case OptionKind.List:
                if (string.IsNullOrEmpty(value))
                    return spec.ImplicitValue ?? throw new ConfigurationException($"-{spec.Name} needs a value ({where})");
                return value;
            default:
                if (value is null)
                    throw new ConfigurationException($"-{spec.Name} needs a value: -{spec.Name}=<{spec.ValueName ?? "value"}> ({where})");
                return value;
        }
    }
}
