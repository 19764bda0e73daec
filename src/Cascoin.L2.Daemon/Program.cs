using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Node.Hosting;
using Cascoin.L2.Primitives.Configuration;

// cascoind: read the configuration, print help or version, then run the node until it stops.
LoadedSettings loaded;
NodeSettings settings;
try
{
    loaded = LoadedSettings.Load(args, NodeOptions.All, allowPositional: false, strictFiles: true);
    if (loaded.HelpRequested)
    {
        Console.Write(HelpText.Format(
            $"Cascoin L2 daemon version v{NodeVersion.Current}\n\nUsage:  cascoind [options]    Start the Cascoin L2 node",
            CommonOptions.All.Concat(NodeOptions.All)));
        return 0;
    }
    if (loaded.VersionRequested)
    {
        Console.WriteLine($"Cascoin L2 daemon version v{NodeVersion.Current}");
        return 0;
    }
    settings = NodeSettings.From(loaded);
}
catch (ConfigurationException ex)
{
    await Console.Error.WriteLineAsync($"Error: {ex.Message}");
    return 1;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"Error reading configuration: {ex.Message}");
    return 1;
}

return await NodeLauncher.RunAsync(settings, Console.Error);
