using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

public static class StorageServices
{
    /// <summary>The node database, opened on first use and flushed and closed when the container is disposed.</summary>
    public static IServiceCollection AddCascoinStorage(this IServiceCollection services, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(new DatabaseOptions { BlockCacheBytes = (ulong)settings.DbCacheMiB * 1024 * 1024 });
        services.AddSingleton(provider => NodeDatabase.Open(
            settings.DatabaseDirectory,
            provider.GetRequiredService<DatabaseOptions>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<NodeDatabase>()));
        return services;
    }
}
