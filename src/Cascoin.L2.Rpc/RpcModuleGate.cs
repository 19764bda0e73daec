namespace Cascoin.L2.Rpc;

/// <summary>The concurrency cap and time limit shared by all methods of one module.</summary>
internal sealed class RpcModuleGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    public RpcModuleGate(string category, int maxConcurrency, TimeSpan timeout)
    {
        Category = category;
        Timeout = timeout;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    public string Category { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Waits for a free slot, at most the module's time limit; false when none came in time.</summary>
    public Task<bool> EnterAsync(CancellationToken cancellationToken) => _slots.WaitAsync(Timeout, cancellationToken);

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
