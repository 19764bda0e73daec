using System.Text.Json;
using System.Text.Json.Nodes;
using Cascoin.L2.Rpc;
using Cascoin.L2.Rpc.Http;
using Microsoft.AspNetCore.Http;

namespace Cascoin.L2.Node.Dashboard;

/// <summary>
/// /l2/: the dashboard's page, script and style (embedded in this assembly: no CDN, nothing fetched
/// from elsewhere) and its JSON at /l2/api/*, behind the RPC listener's address filter and
/// credentials. The page lives on what /l2/api and the WebSocket subscriptions at /ws give it.
/// </summary>
public sealed class DashboardEndpoint(DashboardApi api, RpcAccess access)
{
    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["/l2/"] = ("dashboard/index.html", "text/html; charset=utf-8"),
        ["/l2/dashboard.js"] = ("dashboard/dashboard.js", "text/javascript; charset=utf-8"),
        ["/l2/dashboard.css"] = ("dashboard/dashboard.css", "text/css; charset=utf-8"),
    };

    public static bool Serves(string path) => path == "/l2" || path.StartsWith("/l2/", StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await access.AdmitAsync(context))
            return;
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET";
            return;
        }
        var path = context.Request.Path.Value ?? "";
        if (path == "/l2")
        {
            response.Redirect("/l2/");
            return;
        }
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
        if (Assets.TryGetValue(path, out var asset))
        {
            await using var stream = typeof(DashboardEndpoint).Assembly.GetManifestResourceStream(asset.Resource)
                ?? throw new InvalidOperationException($"the dashboard's {asset.Resource} is not embedded");
            response.ContentType = asset.ContentType;
            response.ContentLength = stream.Length;
            await stream.CopyToAsync(response.Body, context.RequestAborted);
            return;
        }
        if (path.StartsWith("/l2/api/", StringComparison.Ordinal))
        {
            await ApiAsync(context, path["/l2/api/".Length..]);
            return;
        }
        response.StatusCode = StatusCodes.Status404NotFound;
    }

    private async Task ApiAsync(HttpContext context, string name)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key.ToLowerInvariant(), q => q.Value.ToString(), StringComparer.Ordinal);
        var cancellationToken = context.RequestAborted;
        JsonObject body;
        var status = StatusCodes.Status200OK;
        try
        {
            body = name switch
            {
                "stats" => await api.StatsAsync(cancellationToken),
                "sequencers" => await api.SequencersAsync(cancellationToken),
                "blocks" => await api.BlocksAsync(query, cancellationToken),
                "transactions" => await api.TransactionsAsync(query, cancellationToken),
                "withdrawals" => await api.WithdrawalsAsync(cancellationToken),
                "alerts" => await api.AlertsAsync(cancellationToken),
                _ => throw new DashboardException(StatusCodes.Status404NotFound, $"no API /l2/api/{name}: stats, sequencers, blocks, transactions, withdrawals, alerts"),
            };
        }
        catch (DashboardException ex)
        {
            status = ex.Status;
            body = new JsonObject { ["error"] = ex.Message };
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, RpcJson.Options), cancellationToken);
    }
}
