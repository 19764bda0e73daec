namespace Cascoin.L2.Rpc;

/// <summary>
/// Whether the node is still starting. Until <see cref="Finish"/> is called, methods that are not
/// marked <see cref="RpcMethodAttribute.AllowedInWarmup"/> are answered with -28 and the current status.
/// </summary>
public sealed class RpcWarmup
{
    private volatile string? _status = "Loading...";

    public bool InWarmup => _status is not null;

    public string Status => _status ?? "Done loading";

    public void SetStatus(string status) => _status = status;

    public void Finish() => _status = null;
}
