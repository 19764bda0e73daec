using Microsoft.Extensions.Hosting;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("control", MaxConcurrency = 16, TimeoutSeconds = 10)]
public interface IControlRpc
{
    [RpcMethod("stop", "Request a graceful shutdown of cascoind.", Returns = "\"cascoind stopping\"", AllowedInWarmup = true)]
    string RequestStop();

    [RpcMethod("uptime", "Returns the total uptime of the server.", Returns = "n (number) The number of seconds that the server has been running", AllowedInWarmup = true)]
    long Uptime();
}

/// <summary>Process control: stop and uptime.</summary>
public sealed class ControlRpcModule : IRpcModule, IControlRpc
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly RpcNodeContext _node;
    private readonly TimeProvider _time;

    public ControlRpcModule(IHostApplicationLifetime lifetime, RpcNodeContext node, TimeProvider time)
    {
        _lifetime = lifetime;
        _node = node;
        _time = time;
    }

    public string RequestStop()
    {
        // The web server drains in-flight requests before it stops, so this reply still reaches the caller.
        _lifetime.StopApplication();
        return "cascoind stopping";
    }

    public long Uptime() => (long)(_time.GetUtcNow() - _node.StartedAt).TotalSeconds;
}
