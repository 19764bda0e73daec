using System.Reflection;

namespace Cascoin.L2.TestKit;

/// <summary>Where the built programs are: the same configuration as the running tests, found from the repository root.</summary>
public static class ProductPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Configuration { get; } =
        typeof(ProductPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Daemon => Program("Cascoin.L2.Daemon", "cascoind");

    public static string Cli => Program("Cascoin.L2.Cli", "cascoin-cli");

    public static string Bench => ProgramIn(Path.Combine(RepositoryRoot, "bench", "Cascoin.L2.Bench"), "cascoin-bench");

    private static string Program(string project, string assembly) =>
        ProgramIn(Path.Combine(RepositoryRoot, "src", project), assembly);

    private static string ProgramIn(string projectDirectory, string assembly)
    {
        var output = Path.Combine(projectDirectory, "bin", Configuration);
        var candidates = Directory.Exists(output)
            ? Directory.GetFiles(output, assembly + ".dll", SearchOption.AllDirectories)
            : [];
        // Prefer the runtime-specific folder (…/net10.0/linux-x64/), the one the build writes now.
        return candidates.OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new FileNotFoundException($"{assembly}.dll not found under {output}: build the solution in {Configuration} first");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cascoin.L2.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Cascoin.L2.sln not found above " + AppContext.BaseDirectory);
    }
}
