namespace Cascoin.L2.Primitives.Configuration;

/// <summary>The outcome of reading the command line and the configuration files.</summary>
public sealed record LoadedSettings(
    Settings Settings,
    NetworkParameters Network,
    string DataDirectory,
    IReadOnlyList<string> ConfigFilesRead)
{
    /// <summary><c>&lt;datadir&gt;/&lt;network&gt;</c>: the databases, cookie, log and lock live here.</summary>
    public string NetworkDirectory => Path.Combine(DataDirectory, Network.Name);

    public bool HelpRequested => Settings.GetFlag("help", false);

    public bool VersionRequested => Settings.GetFlag("version", false);

    /// <summary>
    /// Reads the command line, then <c>&lt;datadir&gt;/cascoin.conf</c> (or <c>-conf</c>), picks the network,
    /// then reads <c>&lt;datadir&gt;/&lt;network&gt;/cascoin.conf</c> if present. The command line beats the
    /// network's settings, which beat the file's top level.
    /// </summary>
    /// <param name="strictFiles">false for the CLI, which reads the daemon's file but knows few of its options.</param>
    public static LoadedSettings Load(IReadOnlyList<string> args, IEnumerable<OptionSpec> specs, bool allowPositional, bool strictFiles)
    {
        var parser = new SettingsParser(CommonOptions.All.Concat(specs ?? []));
        parser.ParseCommandLine(args, allowPositional);

        var explicitDataDirectory = parser.PeekText("datadir");
        string dataDirectory;
        if (explicitDataDirectory is not null)
        {
            if (explicitDataDirectory.Length == 0 || !Directory.Exists(explicitDataDirectory))
                throw new ConfigurationException($"specified data directory \"{explicitDataDirectory}\" does not exist");
            dataDirectory = Path.GetFullPath(explicitDataDirectory);
        }
        else
        {
            dataDirectory = CommonOptions.DefaultDataDirectory();
        }

        var read = new List<string>();
        var explicitConf = parser.PeekText("conf");
        var confPath = Path.Combine(dataDirectory, explicitConf ?? CommonOptions.ConfFileName);
        if (File.Exists(confPath))
        {
            parser.ParseConfigFile(File.ReadAllText(confPath), confPath, strictFiles);
            read.Add(confPath);
        }
        else if (explicitConf is not null)
        {
            throw new ConfigurationException($"specified configuration file \"{confPath}\" does not exist");
        }

        var network = SelectNetwork(parser);
        var networkConf = Path.Combine(dataDirectory, network.Name, CommonOptions.ConfFileName);
        if (File.Exists(networkConf) && !read.Contains(networkConf))
        {
            parser.ParseConfigFile(File.ReadAllText(networkConf), networkConf, strictFiles, network.Name);
            read.Add(networkConf);
        }
        return new LoadedSettings(parser.Build(network.Name), network, dataDirectory, read);
    }

    private static NetworkParameters SelectNetwork(SettingsParser parser)
    {
        var regtest = parser.PeekFlag("regtest") ?? false;
        var testnet = parser.PeekFlag("testnet") ?? false;
        var chain = parser.PeekText("chain");
        var chosen = new List<NetworkParameters>();
        if (regtest)
            chosen.Add(NetworkParameters.Regtest);
        if (testnet)
            chosen.Add(NetworkParameters.Test);
        if (chain is not null)
        {
            chosen.Add(chain switch
            {
                "main" => NetworkParameters.Main,
                "test" => NetworkParameters.Test,
                "regtest" => NetworkParameters.Regtest,
                _ => throw new ConfigurationException($"invalid -chain={chain}: expected main, test or regtest"),
            });
        }
        if (chosen.Distinct().Count() > 1)
            throw new ConfigurationException("invalid combination of -regtest, -testnet and -chain: pick one network");
        return chosen.Count == 0 ? NetworkParameters.Main : chosen[0];
    }
}
