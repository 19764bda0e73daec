using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Rpc.Http;

/// <summary>
/// Who may use the RPC listener, for every path on it (JSON-RPC, /ws, /metrics, the dashboard): the
/// -rpcallowip filter (403), then basic auth against -rpcuser/-rpcpassword or the cookie (401 after a
/// delay). One gate, so no endpoint can forget a check the others make.
/// </summary>
public sealed class RpcAccess
{
    private readonly RpcAllowList _allowList;
    private readonly Func<RpcAuthenticator> _authenticator;
    private readonly RpcServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RpcAccess> _logger;

    public RpcAccess(RpcAllowList allowList, Func<RpcAuthenticator> authenticator, RpcServerOptions options, TimeProvider time, ILogger<RpcAccess> logger)
    {
        _allowList = allowList;
        _authenticator = authenticator;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>True when the request may go on; otherwise the refusal is already answered.</summary>
    public async Task<bool> AdmitAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (!_allowList.IsAllowed(context.Connection.RemoteIpAddress))
        {
            _logger.LogWarning("RPC request from {Address} refused: not in -rpcallowip", context.Connection.RemoteIpAddress);
            response.StatusCode = StatusCodes.Status403Forbidden;
            return false;
        }
        if (_authenticator().Check(context.Request.Headers.Authorization))
            return true;
        if (context.Request.Headers.Authorization.Count > 0)
        {
            // A wrong password waits before the answer, to make guessing slow (bitcoind does the same).
            _logger.LogWarning("RPC authentication failed from {Address}", context.Connection.RemoteIpAddress);
            await Task.Delay(_options.AuthFailureDelay, _time, context.RequestAborted);
        }
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Basic realm=\"jsonrpc\"";
        return false;
    }
}
