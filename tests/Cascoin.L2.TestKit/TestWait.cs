namespace Cascoin.L2.TestKit;

/// <summary>Polling with a deadline, for state that other processes change: never a fixed sleep.</summary>
public static class TestWait
{
    /// <summary>Reads until <paramref name="done"/> holds (every 100 ms); after <paramref name="timeout"/> (30 s) fails with the last value read.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within {limit.TotalSeconds} s: {what}; last: {value}");
            await Task.Delay(100);
        }
    }
}
