using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Primitives.Configuration;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Node.Tests;

/// <summary>A temporary data directory with helpers to write configuration files and load settings from it.</summary>
public sealed class ConfigFixture : IDisposable
{
    private readonly TestDirectory _directory;

    public ConfigFixture(string name)
    {
        _directory = TestDirectory.Create(name);
    }

    public string DataDirectory => _directory.Path;

    /// <summary>Writes <c>&lt;datadir&gt;/cascoin.conf</c>, or <c>&lt;datadir&gt;/&lt;network&gt;/cascoin.conf</c>.</summary>
    public string WriteConf(string text, string? network = null)
    {
        var folder = network is null ? DataDirectory : _directory.Combine(network);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, CommonOptions.ConfFileName);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The daemon's way of loading: strict files, no positional arguments, this directory as -datadir.</summary>
    public LoadedSettings Load(params string[] args) =>
        LoadedSettings.Load([$"-datadir={DataDirectory}", .. args], NodeOptions.All, allowPositional: false, strictFiles: true);

    public NodeSettings Node(params string[] args) => NodeSettings.From(Load(args));

    /// <summary>Asserts that loading or validating fails with a <see cref="ConfigurationException"/>; returns its message.</summary>
    public string Rejects(params string[] args) => Assert.Throws<ConfigurationException>(() => Node(args)).Message;

    public void Succeeded() => _directory.Succeeded();

    public void Dispose() => _directory.Dispose();
}
