using Cascoin.L2.Rpc.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

/// <summary>
/// Owns the RPC credentials for the life of the node: -rpcuser/-rpcpassword, or else a cookie file
/// written before the RPC port opens and deleted after it closes.
/// </summary>
public sealed class RpcCredentials : IHostedService
{
    private readonly RpcServerOptions _options;
    private readonly ILogger<RpcCredentials> _logger;
    private RpcAuthenticator? _authenticator;
    private bool _ownsCookie;

    public RpcCredentials(RpcServerOptions options, ILogger<RpcCredentials> logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>For the HTTP handler: the authenticator in force (it exists once this service has started).</summary>
    public Func<RpcAuthenticator> Current => () => _authenticator ?? throw new InvalidOperationException("RPC credentials are not ready");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.User is not null && _options.Password is not null)
        {
            _authenticator = RpcAuthenticator.FromPassword(_options.User, _options.Password);
            _logger.LogInformation("RPC authentication: -rpcuser/-rpcpassword");
        }
        else
        {
            _authenticator = RpcAuthenticator.CreateCookie(_options.CookiePath);
            _ownsCookie = true;
            _logger.LogInformation("Generated RPC authentication cookie {Path}", _options.CookiePath);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_ownsCookie)
        {
            try
            {
                File.Delete(_options.CookiePath);
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Could not delete the RPC cookie {Path}", _options.CookiePath);
            }
        }
        return Task.CompletedTask;
    }
}
