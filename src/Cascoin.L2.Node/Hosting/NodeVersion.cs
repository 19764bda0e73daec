using System.Reflection;

namespace Cascoin.L2.Node.Hosting;

/// <summary>The client version from the assembly (set once in Directory.Build.props).</summary>
public static class NodeVersion
{
    public static string Current { get; } =
        typeof(NodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(NodeVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";
}
