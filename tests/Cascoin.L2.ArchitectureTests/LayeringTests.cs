using System.Xml.Linq;

namespace Cascoin.L2.ArchitectureTests;

/// <summary>
/// Holds the layer table of ARCHITECTURE.md: a project may reference only projects of a lower
/// layer, and hosting, Serilog and ASP.NET Core appear only in layers 8–9.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Cascoin.L2.Crypto"] = 0,
        ["Cascoin.L2.Primitives"] = 1,
        ["Cascoin.L2.Storage"] = 2,
        ["Cascoin.L2.Network"] = 2,
        ["Cascoin.L2.State"] = 3,
        ["Cascoin.L2.Chain"] = 4,
        ["Cascoin.L2.DataAvailability"] = 5,
        ["Cascoin.L2.FraudProofs"] = 5,
        ["Cascoin.L2.Settlement"] = 6,
        ["Cascoin.L2.Sequencing"] = 7,
        ["Cascoin.L2.Rpc"] = 8,
        ["Cascoin.L2.Node"] = 8,
        ["Cascoin.L2.Daemon"] = 9,
        ["Cascoin.L2.Cli"] = 9,
    };

    /// <summary>
    /// Same-layer references that the plan allows: the composition root (Node) wires the RPC
    /// transports and their modules. Written down in doc/architecture.md.
    /// </summary>
    private static readonly HashSet<(string From, string To)> AllowedSameLayer = [("Cascoin.L2.Node", "Cascoin.L2.Rpc")];

    private static readonly string[] HostingPackages = ["Serilog", "Microsoft.Extensions.Hosting", "Microsoft.AspNetCore"];

    private static List<string> ProjectNames() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> SourceProjects() => new(ProjectNames());

    [Fact]
    public void The_source_tree_has_projects_and_all_of_them_are_in_the_layer_table()
    {
        var projects = ProjectNames();
        Assert.NotEmpty(projects);
        foreach (var project in projects)
            Assert.True(Layers.ContainsKey(project), $"{project} is not in the layer table of ARCHITECTURE.md; add it there and here");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void A_project_references_only_lower_layers(string project)
    {
        var layer = Layers[project];
        foreach (var reference in ProjectReferences(project))
        {
            Assert.True(Layers.TryGetValue(reference, out var referencedLayer), $"{project} references {reference}, which is not a source project in the layer table");
            var allowed = referencedLayer < layer || referencedLayer == layer && AllowedSameLayer.Contains((project, reference));
            Assert.True(allowed, $"{project} (layer {layer}) must not reference {reference} (layer {referencedLayer})");
        }
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Hosting_serilog_and_aspnetcore_appear_only_in_layers_8_and_9(string project)
    {
        if (Layers[project] >= 8)
            return;
        var document = Load(project);
        var packages = document.Descendants("PackageReference").Select(e => (string?)e.Attribute("Include") ?? "");
        var frameworks = document.Descendants("FrameworkReference").Select(e => (string?)e.Attribute("Include") ?? "");
        foreach (var name in packages.Concat(frameworks))
            Assert.False(HostingPackages.Any(p => name.StartsWith(p, StringComparison.Ordinal)), $"{project} (layer {Layers[project]}) references {name}");
    }

    [Fact]
    public void The_layer_rule_catches_an_upward_reference()
    {
        // The check itself must be able to fail: Storage (2) referencing Rpc (8) breaks the table.
        Assert.False(Layers["Cascoin.L2.Rpc"] < Layers["Cascoin.L2.Storage"]);
        Assert.Contains("Cascoin.L2.Primitives", ProjectReferences("Cascoin.L2.Storage"));
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        Load(project).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? "").Replace('\\', '/')));

    private static XDocument Load(string project)
    {
        var path = Directory.GetFiles(Path.Combine(RepositoryRoot, "src"), project + ".csproj", SearchOption.AllDirectories).Single();
        return XDocument.Load(path);
    }

    internal static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cascoin.L2.sln")))
                    return dir.FullName;
            }
            throw new DirectoryNotFoundException("Cascoin.L2.sln not found");
        }
    }
}
