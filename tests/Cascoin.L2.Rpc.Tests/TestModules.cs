namespace Cascoin.L2.Rpc.Tests;

[RpcModule("test")]
public interface ITestRpc
{
    [RpcMethod("echo", "Returns the text, repeated.", Returns = "\"text\" (string) the text, times over")]
    string Echo([RpcParam("The text to return")] string text, [RpcParam("How many times")] int times = 1);

    [RpcMethod("add", "Adds two integers.")]
    long Add([RpcParam("The first summand")] long a, [RpcParam("The second summand")] long b);

    [RpcMethod("fail", "Always fails with an invalid-parameter error.")]
    void Fail();

    [RpcMethod("crash", "Always throws an unexpected exception (a bug).")]
    int Crash();
}

/// <summary>A second category, so help has groups to show, and result shapes beyond scalars.</summary>
[RpcModule("info")]
public interface IInfoRpc
{
    [RpcMethod("getinfo", "Returns a summary object.", AllowedInWarmup = true)]
    InfoDto GetInfo(bool verbose = false);

    [RpcMethod("ratio", "Divides two numbers.")]
    double Ratio(double numerator, double denominator);

    [RpcMethod("touch", "Counts a call; returns nothing.")]
    Task TouchAsync(CancellationToken cancellationToken);

    [RpcMethod("scale", "Multiplies an amount by an optional factor.")]
    decimal Scale(decimal amount, ulong? factor = null);

    [RpcMethod("fee", "The fee of one transfer, as an amount of CAS.")]
    Cascoin.L2.Primitives.Amount Fee();
}

/// <summary>One slot and a one-second limit, so the gate's limits can be observed quickly.</summary>
[RpcModule("slow", MaxConcurrency = 1, TimeoutSeconds = 1)]
public interface ISlowRpc
{
    [RpcMethod("slow", "Waits until the test releases it, then returns 42.")]
    Task<int> SlowAsync(CancellationToken cancellationToken);

    [RpcMethod("hold", "Keeps its slot until the test releases it, ignoring the time limit.")]
    Task<string> HoldAsync();
}

public sealed record InfoDto(string Name, long BlockCount, string? Note, bool Verbose);

public sealed class TestModule : IRpcModule, ITestRpc, IInfoRpc, ISlowRpc
{
    private int _touches;

    public int Touches => Volatile.Read(ref _touches);

    /// <summary>Completed when a slow call has entered the method.</summary>
    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Slow calls return once this is completed.</summary>
    public TaskCompletionSource<int> SlowRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed with true when a slow call saw its token cancelled.</summary>
    public TaskCompletionSource<bool> SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Echo(string text, int times = 1) => string.Concat(Enumerable.Repeat(text, times));

    public long Add(long a, long b) => checked(a + b);

    public void Fail() => throw new RpcException(RpcErrorCode.InvalidParameter, "fail was asked to fail");

    public int Crash() => throw new InvalidOperationException("deliberate crash");

    public InfoDto GetInfo(bool verbose = false) => new("test node", 7, null, verbose);

    public double Ratio(double numerator, double denominator) => numerator / denominator;

    public async Task TouchAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        Interlocked.Increment(ref _touches);
    }

    public decimal Scale(decimal amount, ulong? factor = null) => amount * (factor ?? 1);

    public Cascoin.L2.Primitives.Amount Fee() => Cascoin.L2.Primitives.Amount.FromSat(21_000);

    /// <summary>Completed when a hold call has entered the method.</summary>
    public TaskCompletionSource HoldStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Hold calls return once this is completed.</summary>
    public TaskCompletionSource<string> HoldRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string> HoldAsync()
    {
        HoldStarted.TrySetResult();
        return await HoldRelease.Task;
    }

    public async Task<int> SlowAsync(CancellationToken cancellationToken)
    {
        SlowStarted.TrySetResult();
        try
        {
            return await SlowRelease.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            SlowCancelled.TrySetResult(true);
            throw;
        }
    }
}
