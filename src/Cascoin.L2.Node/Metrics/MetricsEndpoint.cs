using Cascoin.L2.Rpc.Http;
using Microsoft.AspNetCore.Http;

namespace Cascoin.L2.Node.Metrics;

/// <summary>GET /metrics: Prometheus' text format, behind the RPC listener's address filter and credentials (Prometheus sends them with basic_auth).</summary>
public sealed class MetricsEndpoint(NodeMetrics metrics, RpcAccess access)
{
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await access.AdmitAsync(context))
            return;
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET";
            return;
        }
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.WriteAsync(context.Response.Body, context.RequestAborted);
    }
}
