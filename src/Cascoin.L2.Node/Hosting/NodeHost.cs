using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Node.Metrics;
using Cascoin.L2.Rpc;
using Cascoin.L2.Rpc.Http;
using Cascoin.L2.Rpc.Modules;
using Cascoin.L2.Rpc.WebSockets;
using Cascoin.L2.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Cascoin.L2.Node.Hosting;

/// <summary>
/// The composition root: one generic host (ASP.NET Core's, for Kestrel) wiring every service of the
/// node. Start order: database, credentials, RPC listener; stop order is the reverse, then the
/// container disposes the database (flush and close).
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeHost(WebApplication app)
    {
        _app = app;
    }

    public IServiceProvider Services => _app.Services;

    public static NodeHost Create(NodeSettings settings, Serilog.ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "cascoind",
            ContentRootPath = settings.NetworkDirectory,
            EnvironmentName = Environments.Production,
        });
        var rpcLimit = new RpcServerOptions { Endpoints = [], CookiePath = "" }.MaxRequestBytes;
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The RPC handler enforces its own limit with a JSON error; Kestrel's is a backstop above it.
            kestrel.Limits.MaxRequestBodySize = rpcLimit + 64 * 1024;
            foreach (var endpoint in settings.RpcEndpoints)
                kestrel.Listen(endpoint);
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new RpcNodeContext
        {
            Network = settings.Network,
            NetworkDirectory = settings.NetworkDirectory,
            DatabaseDirectory = settings.DatabaseDirectory,
            L2Enabled = settings.RunsL2Chain,
            L2ChainId = settings.RunsL2Chain ? settings.EffectiveL2ChainId : settings.L2ChainId,
            Version = NodeVersion.Current,
            StartedAt = time.GetUtcNow(),
            Warnings = settings.Warnings,
        });
        builder.Services.AddCascoinStorage(settings);
        builder.Services.AddCascoinNetwork(settings);
        builder.Services.AddCascoinSettlement(settings);
        builder.Services.AddCascoinChain(settings);
        builder.Services.AddCascoinRpc(settings);

        var app = builder.Build();
        // Nothing is resolved here: a service that fails to build (a chain not deployed, a damaged
        // database) must fail inside RunAsync, where the caller owns the host and disposes what was opened.
        // Pings keep idle subscriptions open through proxies and notice clients that vanished.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        app.Run(context => (context.Request.Path.Value ?? "") switch
        {
            "/" or "" => app.Services.GetRequiredService<RpcHttpHandler>().HandleAsync(context),
            // Sessions end when the node stops: the web server would otherwise wait for them until its shutdown timeout.
            "/ws" => app.Services.GetRequiredService<RpcWebSocketHandler>().HandleAsync(context, stopping),
            "/metrics" => app.Services.GetRequiredService<MetricsEndpoint>().HandleAsync(context),
            var path when Dashboard.DashboardEndpoint.Serves(path) => app.Services.GetRequiredService<Dashboard.DashboardEndpoint>().HandleAsync(context),
            _ => NotFound(context),
        });
        return new NodeHost(app);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>Starts every service, finishes warm-up, and returns when the node has stopped (stop RPC, SIGINT, SIGTERM).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Open the database and build the RPC handler (and through it every module and service) before
        // anything listens, so a damaged database or a missing deployment fails the start, not a request.
        _app.Services.GetRequiredService<NodeDatabase>();
        _app.Services.GetRequiredService<RpcHttpHandler>();
        // Built now so that they count from the first block.
        _app.Services.GetRequiredService<NodeMetrics>();
        _app.Services.GetRequiredService<Dashboard.ChainHistory>();
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            var endpoints = string.Join(", ", _app.Services.GetRequiredService<RpcServerOptions>().Endpoints.Select(e => e.ToString()));
            throw new NodeStartupException($"unable to bind the RPC server on {endpoints}: {ex.Message}. Is another cascoind running? Choose another -rpcport.", ex);
        }
        _app.Services.GetRequiredService<RpcWarmup>().Finish();
        _app.Services.GetRequiredService<ILogger<NodeHost>>().LogInformation("cascoind {Version} started on {Network}; RPC on {Endpoints}",
            NodeVersion.Current, _app.Services.GetRequiredService<NodeSettings>().Network.Name,
            string.Join(", ", _app.Services.GetRequiredService<RpcServerOptions>().Endpoints.Select(e => e.ToString())));
        await _app.WaitForShutdownAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
