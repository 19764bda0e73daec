namespace Cascoin.L2.Rpc.Tests;

/// <summary>What happens around a call: errors from methods, results, warm-up, the module gate's limits.</summary>
public class InvocationTests
{
    [Fact]
    public async Task An_RpcException_passes_through_with_its_code_and_message()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"fail","id":1}""");
        Assert.Equal(RpcErrorCode.InvalidParameter, reply.ErrorCode);
        Assert.Equal("fail was asked to fail", reply.ErrorMessage);
        Assert.Equal(500, reply.Status);
    }

    [Fact]
    public async Task An_unexpected_exception_is_an_internal_error_and_the_dispatcher_keeps_working()
    {
        using var rpc = new RpcHarness();
        for (var i = 0; i < 3; i++)
        {
            var crash = await rpc.CallAsync("""{"method":"crash","id":1}""");
            Assert.Equal(RpcErrorCode.InternalError, crash.ErrorCode);
            Assert.Contains("crash", crash.ErrorMessage, StringComparison.Ordinal);
            Assert.Contains("deliberate crash", crash.ErrorMessage, StringComparison.Ordinal);

            var next = await rpc.CallAsync("""{"method":"add","params":[1,2],"id":2}""");
            Assert.Equal(3, (long)next.Object["result"]!);
        }
    }

    [Fact]
    public async Task An_overflow_inside_a_method_is_an_internal_error()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync($$"""{"method":"add","params":[{{long.MaxValue}},1],"id":1}""");
        Assert.Equal(RpcErrorCode.InternalError, reply.ErrorCode);
    }

    [Fact]
    public async Task A_void_method_and_an_async_Task_method_return_result_null()
    {
        using var rpc = new RpcHarness();
        var touch = await rpc.CallAsync("""{"method":"touch","id":1}""");
        Assert.Equal("""{"result":null,"error":null,"id":1}""", touch.Text);
        Assert.Equal(1, rpc.Module.Touches);
    }

    [Fact]
    public async Task A_result_object_is_written_with_lower_case_keys_and_nulls_kept()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"getinfo","id":1}""");
        Assert.Equal("""{"result":{"name":"test node","blockcount":7,"note":null,"verbose":false},"error":null,"id":1}""", reply.Text);
    }

    [Fact]
    public async Task A_Task_of_T_result_is_awaited_and_unwrapped()
    {
        using var rpc = new RpcHarness();
        rpc.Module.SlowRelease.SetResult(42);
        var reply = await rpc.CallAsync("""{"method":"slow","id":1}""");
        Assert.Equal("""{"result":42,"error":null,"id":1}""", reply.Text);
    }

    [Fact]
    public async Task A_method_that_returns_a_non_finite_number_gets_an_error_reply_instead_of_an_exception()
    {
        // JSON has no NaN or Infinity: the result cannot be written. That must be answered like any other
        // failure of a method (-32603), not escape DispatchAsync and drop the connection without a JSON reply.
        using var rpc = new RpcHarness();
        var finite = await rpc.CallAsync("""{"method":"ratio","params":[1,4],"id":1}""");
        Assert.Equal(0.25, (double)finite.Object["result"]!);

        var reply = await rpc.CallAsync("""{"method":"ratio","params":[0,0],"id":2}""");
        Assert.Equal(RpcErrorCode.InternalError, reply.ErrorCode);

        var next = await rpc.CallAsync("""{"method":"add","params":[1,2],"id":3}""");
        Assert.Equal(3, (long)next.Object["result"]!);
    }

    [Fact]
    public async Task During_warm_up_normal_methods_get_minus_28_with_the_status_and_help_still_works()
    {
        var warmup = new RpcWarmup();
        using var rpc = new RpcHarness(warmup);
        Assert.True(warmup.InWarmup);

        var loading = await rpc.CallAsync("""{"method":"echo","params":["x"],"id":1}""");
        Assert.Equal(RpcErrorCode.InWarmup, loading.ErrorCode);
        Assert.Equal("Loading...", loading.ErrorMessage);
        Assert.Equal(500, loading.Status);

        warmup.SetStatus("Verifying blocks...");
        var verifying = await rpc.CallAsync("""{"jsonrpc":"2.0","method":"add","params":[1,1],"id":1}""");
        Assert.Equal(RpcErrorCode.InWarmup, verifying.ErrorCode);
        Assert.Equal("Verifying blocks...", verifying.ErrorMessage);
        Assert.Equal(200, verifying.Status);

        var help = await rpc.CallAsync("""{"method":"help","id":1}""");
        Assert.Null(help.Object["error"]);
        Assert.Contains("echo", (string)help.Object["result"]!, StringComparison.Ordinal);

        var allowed = await rpc.CallAsync("""{"method":"getinfo","id":1}""");
        Assert.Equal("test node", (string)allowed.Object["result"]!["name"]!);

        // An unknown method is still "not found", not "warming up".
        var unknown = await rpc.CallAsync("""{"method":"nosuchmethod","id":1}""");
        Assert.Equal(RpcErrorCode.MethodNotFound, unknown.ErrorCode);

        warmup.Finish();
        Assert.False(warmup.InWarmup);
        Assert.Equal("Done loading", warmup.Status);
        var done = await rpc.CallAsync("""{"method":"echo","params":["x"],"id":1}""");
        Assert.Equal("x", (string)done.Object["result"]!);
    }

    [Fact]
    public async Task A_call_running_past_its_module_time_limit_is_cancelled_and_answered_with_a_timeout_error()
    {
        using var rpc = new RpcHarness();
        var reply = await rpc.CallAsync("""{"method":"slow","id":1}""");

        Assert.Equal(RpcErrorCode.MiscError, reply.ErrorCode);
        Assert.Contains("timed out after 1 s", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.True(await rpc.Module.SlowCancelled.Task);
    }

    [Fact]
    public async Task A_call_whose_caller_cancels_is_answered_as_cancelled()
    {
        using var rpc = new RpcHarness();
        using var caller = new CancellationTokenSource();
        var call = rpc.CallAsync("""{"method":"slow","id":1}""", caller.Token);
        await rpc.Module.SlowStarted.Task;
        await caller.CancelAsync();
        var reply = await call;

        Assert.Equal(RpcErrorCode.MiscError, reply.ErrorCode);
        Assert.Contains("cancelled", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.True(await rpc.Module.SlowCancelled.Task);
    }

    [Fact]
    public async Task A_module_at_its_concurrency_cap_turns_further_calls_away_and_frees_the_slot_afterwards()
    {
        using var rpc = new RpcHarness();
        var holding = rpc.CallAsync("""{"method":"hold","id":1}""");
        await rpc.Module.HoldStarted.Task;

        // The slow module has one slot, taken by "hold": another call waits at most the module's time limit for it.
        var turnedAway = await rpc.CallAsync("""{"method":"slow","id":2}""");
        Assert.Equal(RpcErrorCode.MiscError, turnedAway.ErrorCode);
        Assert.Contains("too many concurrent 'slow' calls", turnedAway.ErrorMessage, StringComparison.Ordinal);
        Assert.False(rpc.Module.SlowStarted.Task.IsCompleted, "the turned-away call never ran");

        // Other modules are not affected by the slow module's cap.
        var other = await rpc.CallAsync("""{"method":"add","params":[2,2],"id":3}""");
        Assert.Equal(4, (long)other.Object["result"]!);

        rpc.Module.HoldRelease.SetResult("released");
        var held = await holding;
        Assert.Equal("released", (string)held.Object["result"]!);

        // The slot was given back: the next call gets in.
        rpc.Module.SlowRelease.SetResult(42);
        var next = await rpc.CallAsync("""{"method":"slow","id":4}""");
        Assert.Equal(42, (int)next.Object["result"]!);
    }
}
