namespace Cascoin.L2.Primitives.Configuration;

/// <summary>How an option's value is read.</summary>
public enum OptionKind
{
    /// <summary>On/off: <c>-x</c>, <c>-x=1</c>, <c>-x=0</c>, <c>-nox</c>.</summary>
    Flag,

    /// <summary>One string; the last one given wins.</summary>
    Text,

    /// <summary>One integer in [Minimum, Maximum].</summary>
    Integer,

    /// <summary>May be given many times; every value is kept (<c>-addnode</c>, <c>-debug</c>).</summary>
    List,
}

/// <summary>One option a program accepts: its name without the dash, its kind, and its help line.</summary>
public sealed record OptionSpec(string Name, OptionKind Kind, string Help, string Category = "Options")
{
    /// <summary>The value name shown in help, e.g. <c>-rpcport=&lt;port&gt;</c>.</summary>
    public string? ValueName { get; init; }

    public long Minimum { get; init; } = long.MinValue;

    public long Maximum { get; init; } = long.MaxValue;

    /// <summary>A list option given without a value (<c>-debug</c>) stands for this value.</summary>
    public string? ImplicitValue { get; init; }

    public static OptionSpec Flag(string name, string help, string category = "Options") =>
        new(name, OptionKind.Flag, help, category);

    public static OptionSpec Text(string name, string valueName, string help, string category = "Options") =>
        new(name, OptionKind.Text, help, category) { ValueName = valueName };

    public static OptionSpec Integer(string name, string valueName, string help, long min, long max, string category = "Options") =>
        new(name, OptionKind.Integer, help, category) { ValueName = valueName, Minimum = min, Maximum = max };

    public static OptionSpec List(string name, string valueName, string help, string category = "Options") =>
        new(name, OptionKind.List, help, category) { ValueName = valueName };

    public static OptionSpec Port(string name, string help, string category = "Options") =>
        Integer(name, "port", help, 1, 65535, category);
}
