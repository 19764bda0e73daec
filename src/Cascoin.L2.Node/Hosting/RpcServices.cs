using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Node.Metrics;
using Cascoin.L2.Rpc;
using Cascoin.L2.Rpc.Http;
using Cascoin.L2.Rpc.Modules;
using Cascoin.L2.Rpc.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cascoin.L2.Node.Hosting;

public static class RpcServices
{
    /// <summary>The JSON-RPC server: method table from every registered <see cref="IRpcModule"/>, dispatcher, HTTP edge, cookie.</summary>
    public static IServiceCollection AddCascoinRpc(this IServiceCollection services, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(new RpcServerOptions
        {
            Endpoints = settings.RpcEndpoints,
            AllowIp = settings.RpcAllowIp,
            User = settings.RpcUser,
            Password = settings.RpcPassword,
            CookiePath = settings.CookiePath,
        });
        services.AddSingleton<RpcWarmup>();
        services.AddSingleton(provider => new RpcAllowList(provider.GetRequiredService<RpcServerOptions>().AllowIp));
        services.AddSingleton(provider => new RpcMethodTable(provider.GetServices<IRpcModule>(), provider.GetRequiredService<RpcNodeContext>().Version));
        services.AddSingleton(provider =>
        {
            // The metrics read the WebSocket handler, which holds the dispatcher: they are found at the first call, not built here.
            var metrics = new Lazy<NodeMetrics>(provider.GetRequiredService<NodeMetrics>);
            var audit = provider.GetRequiredService<Sequencing.Monitoring.AuditLog>();
            var logger = provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Sequencing.Monitoring.AuditLog>>();
            return new JsonRpcDispatcher(
                provider.GetRequiredService<RpcMethodTable>(),
                provider.GetRequiredService<RpcWarmup>(),
                provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<JsonRpcDispatcher>>())
            {
                MaxBatchSize = provider.GetRequiredService<RpcServerOptions>().MaxBatchSize,
                Observed = (method, elapsed, error) =>
                {
                    metrics.Value.ObserveRpc(method, elapsed, error);
                    if (Monitoring.AuditedCalls.MoveFunds(method))
                        Monitoring.AuditedCalls.Record(audit, method, error, logger);
                },
            };
        });
        services.AddSingleton<RpcCredentials>();
        services.AddHostedService(provider => provider.GetRequiredService<RpcCredentials>());
        services.AddSingleton(provider => new RpcAccess(
            provider.GetRequiredService<RpcAllowList>(),
            provider.GetRequiredService<RpcCredentials>().Current,
            provider.GetRequiredService<RpcServerOptions>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RpcAccess>>()));
        services.AddSingleton<RpcHttpHandler>();
        services.AddSingleton<SubscriptionHub>();
        services.AddSingleton(provider => new Sequencing.Monitoring.AuditLog(provider.GetRequiredService<Storage.NodeDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService(provider => new Monitoring.AuditFeeds(provider.GetRequiredService<Sequencing.Monitoring.AuditLog>(),
            provider.GetRequiredService<Sequencing.Monitoring.AlertLog>(), provider.GetRequiredService<Network.P2PNode>(), provider.GetService<Settlement.L1.L1Chain>(),
            settings, provider.GetRequiredService<RpcNodeContext>().Version, provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Monitoring.AuditFeeds>>()));
        // Every alert a monitor raises also goes to the WebSocket subscribers of "alerts".
        services.AddSingleton(provider =>
        {
            var alerts = new Sequencing.Monitoring.AlertLog(provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Sequencing.Monitoring.AlertLog>>());
            var hub = provider.GetRequiredService<SubscriptionHub>();
            alerts.Raised += alert => hub.Publish(SubscriptionTopic.Alerts, () => AlertDto.Of(alert));
            return alerts;
        });
        services.AddSingleton(new RpcWebSocketOptions());
        services.AddSingleton<RpcWebSocketHandler>();
        services.AddSingleton(provider => new NodeMetrics(new NodeMetricSources(
            provider.GetRequiredService<Storage.NodeDatabase>(),
            provider.GetRequiredService<Network.P2PNode>(),
            provider.GetRequiredService<SubscriptionHub>(),
            provider.GetRequiredService<RpcWebSocketHandler>(),
            provider.GetService<Chain.L2Blockchain>(),
            provider.GetService<Chain.Mempool.TxPool>(),
            provider.GetService<Settlement.Application.SettlementQueries>(),
            provider.GetService<Settlement.Application.ChallengeQueries>(),
            provider.GetService<Sequencing.Consensus.SequencerNetwork>())
        {
            Alerts = provider.GetRequiredService<Sequencing.Monitoring.AlertLog>(),
        }, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<MetricsEndpoint>();
        services.AddSingleton(provider => new Dashboard.ChainHistory(provider.GetService<Chain.L2Blockchain>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new Dashboard.DashboardApi(
            provider.GetRequiredService<JsonRpcDispatcher>(),
            provider.GetRequiredService<Dashboard.ChainHistory>(),
            settings.Network,
            provider.GetRequiredService<Network.P2PNode>(),
            provider.GetService<Chain.L2Blockchain>(),
            provider.GetService<Chain.Mempool.TxPool>(),
            provider.GetService<Settlement.Application.SettlementQueries>()));
        services.AddSingleton<Dashboard.DashboardEndpoint>();

        services.AddSingleton<IRpcModule, ControlRpcModule>();
        services.AddSingleton<IRpcModule, NetworkRpcModule>();
        services.AddSingleton<IRpcModule, Rpc.Modules.Sequencing.SequencerRpcModule>();
        services.AddSingleton<IRpcModule, BlockchainRpcModule>();
        services.AddSingleton<IRpcModule, SubscriptionRpcModule>();
        services.AddSingleton<IRpcModule, AlertsRpcModule>();
        services.AddSingleton<IRpcModule, AuditRpcModule>();
        return services;
    }
}
