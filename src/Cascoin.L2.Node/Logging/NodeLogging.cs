using Cascoin.L2.Node.Configuration;
using Serilog;
using Serilog.Events;

namespace Cascoin.L2.Node.Logging;

/// <summary>The daemon's Serilog pipeline: debug.log always, the console with -printtoconsole, -debug levels.</summary>
public static class NodeLogging
{
    private const string Template = "{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger CreateLogger(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.NetworkDirectory);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.FromLogContext();

        var all = settings.DebugCategories.Any(LogCategories.IsAll);
        var none = settings.DebugCategories.Any(LogCategories.IsNone);
        var baseLevel = all && !none ? LogEventLevel.Debug : LogEventLevel.Information;
        configuration.MinimumLevel.Is(baseLevel);
        // Framework chatter stays at warning unless asked for (-debug=http); the lifetime messages are useful.
        configuration.MinimumLevel.Override("Microsoft", all && !none ? LogEventLevel.Debug : LogEventLevel.Warning);
        configuration.MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information);
        if (!none)
        {
            foreach (var category in settings.DebugCategories)
            {
                foreach (var source in LogCategories.SourcesOf(category))
                    configuration.MinimumLevel.Override(source, LogEventLevel.Debug);
            }
        }

        configuration.WriteTo.File(
            settings.DebugLogPath,
            outputTemplate: Template,
            fileSizeLimitBytes: 100L * 1024 * 1024,
            rollOnFileSizeLimit: true,
            retainedFileCountLimit: 5,
            formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (settings.PrintToConsole)
            configuration.WriteTo.Console(outputTemplate: Template, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return configuration.CreateLogger();
    }
}
