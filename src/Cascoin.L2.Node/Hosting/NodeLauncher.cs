using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Node.Logging;
using Cascoin.L2.Storage;

namespace Cascoin.L2.Node.Hosting;

/// <summary>
/// Runs a configured node from start to exit code: takes the data-directory lock first (so a second
/// daemon touches nothing, not even debug.log), then logging, then the host. 0 = clean stop, 1 = failed start.
/// </summary>
public static class NodeLauncher
{
    public static async Task<int> RunAsync(NodeSettings settings, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(error);
        DataDirectoryLock dataLock;
        try
        {
            dataLock = DataDirectoryLock.Acquire(settings.NetworkDirectory);
        }
        catch (DataDirectoryLockedException ex)
        {
            await error.WriteLineAsync($"Error: {ex.Message}");
            return 1;
        }

        using (dataLock)
        await using (var logger = NodeLogging.CreateLogger(settings))
        {
            var log = logger.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Cascoin.L2.Node");
            log.Information("cascoind {Version} starting; data directory {Directory}", NodeVersion.Current, settings.NetworkDirectory);
            foreach (var warning in settings.Warnings)
                log.Warning("{Warning}", warning);
            try
            {
                try
                {
                    await RunHostAsync(settings, logger);
                }
                catch (ChainNotDeployedException ex) when (settings.Connect.Count + settings.AddNode.Count > 0)
                {
                    log.Warning("L2 chain {ChainId} is not on this node's settlement chain yet: syncing the settlement chain from peers first", ex.ChainId);
                    if (!await SettlementSync.UntilDeployedAsync(settings, ex.ChainId, logger))
                    {
                        log.Information("Shutdown: done");
                        return 0; // stopped while syncing
                    }
                    log.Information("L2 chain {ChainId} found on the settlement chain: starting it", ex.ChainId);
                    await RunHostAsync(settings, logger);
                }
            }
            catch (Exception ex) when (ex is NodeStartupException or DatabaseCorruptionException or DatabaseVersionException)
            {
                log.Fatal("{Message}", ex.Message);
                await error.WriteLineAsync($"Error: {ex.Message}");
                return 1;
            }
            log.Information("Shutdown: done");
            return 0;
        }
    }

    private static async Task RunHostAsync(NodeSettings settings, Serilog.ILogger logger)
    {
        await using var host = NodeHost.Create(settings, logger, TimeProvider.System);
        await host.RunAsync(CancellationToken.None);
    }
}
