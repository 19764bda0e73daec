namespace Cascoin.L2.Primitives.Configuration;

/// <summary>Options that both cascoind and cascoin-cli accept: where the data lives and which network to use.</summary>
public static class CommonOptions
{
    public const string ConfFileName = "cascoin.conf";

    public static IReadOnlyList<OptionSpec> All { get; } =
    [
        OptionSpec.Flag("help", "Print this help message and exit (also -h, -?)"),
        OptionSpec.Flag("version", "Print version and exit"),
        OptionSpec.Text("datadir", "dir", "Specify data directory (default: " + DefaultDataDirectory() + ")"),
        OptionSpec.Text("conf", "file", "Specify configuration file. Relative paths are prefixed by the datadir location (default: " + ConfFileName + ")"),
        OptionSpec.Flag("regtest", "Use the regression test network: a private chain whose blocks are made on demand", "Chain selection options"),
        OptionSpec.Flag("testnet", "Use the test network", "Chain selection options"),
        OptionSpec.Text("chain", "chain", "Use the chain <chain>: main, test or regtest", "Chain selection options"),
    ];

    /// <summary>~/.cascoin-l2 on Unix, %APPDATA%\CascoinL2 on Windows.</summary>
    public static string DefaultDataDirectory()
    {
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "CascoinL2");
        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cascoin-l2");
    }
}
