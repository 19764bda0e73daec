using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Node.Dashboard;
using Cascoin.L2.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Cascoin.L2.Node.Tests;

public sealed class ChainHistoryTests
{
    private static readonly PrivateKey Key = PrivateKey.FromBytes(Enumerable.Repeat((byte)7, 32).ToArray())!;

    private static Block BlockAt(ulong number, DateTimeOffset timestamp, int transfers, int withdrawals = 0, ulong baseFee = 10)
    {
        var transactions = Enumerable.Range(0, transfers).Select(i => Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, 1, (ulong)i, Address.Zero, Amount.OneCas, 20, 1, 21_000), Key))
            .Concat(Enumerable.Range(0, withdrawals).Select(i => Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Withdrawal, 1, (ulong)(transfers + i), Address.Zero, Amount.OneCas, 20, 1, 21_000), Key)))
            .ToList();
        var header = new BlockHeader(number, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Address.Zero,
            (ulong)timestamp.ToUnixTimeMilliseconds(), 30_000_000, 21_000UL * (ulong)transactions.Count, baseFee, 0, Hash256.Zero);
        return new Block(header, transactions, []);
    }

    [Fact]
    public void The_last_hour_in_ten_second_buckets_forgets_what_is_older_and_keeps_a_fixed_size()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var history = new ChainHistory(null, time);
        // Two hours of one block a second: 4 transfers each, committed 50 ms after its timestamp.
        for (ulong n = 1; n <= 7200; n++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            history.Record(BlockAt(n, time.GetUtcNow() - TimeSpan.FromMilliseconds(50), 4, baseFee: n));
        }
        var points = history.LastHour();
        Assert.Equal(360, points.Count);
        Assert.Equal(Enumerable.Range(0, 360).Select(i => points[0].Time + i * 10L), points.Select(p => p.Time));
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds() / 10 * 10, points[^1].Time);
        // Every full bucket held 10 blocks of 4 transfers: 4 per second; the newest is still filling.
        Assert.All(points.SkipLast(1), p => Assert.Equal(4.0, p.Tps));
        Assert.All(points.SkipLast(1), p => Assert.Equal(50.0, p.FinalityMs));
        Assert.Equal(7200UL, points[^1].BaseFee);
        var (p50, p99, blocks) = history.Finality();
        Assert.Equal((50.0, 50.0, 1000), (p50, p99, blocks));

        // An hour of silence: every bucket is empty, nothing from before leaks in.
        time.Advance(TimeSpan.FromHours(1));
        Assert.All(history.LastHour(), p => Assert.Equal((0.0, (double?)null, (ulong?)null, 0), (p.Tps, p.FinalityMs, p.BaseFee, p.Blocks)));
    }

    [Fact]
    public void Finality_percentiles_and_the_last_hundred_withdrawals()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var history = new ChainHistory(null, time);
        Assert.Equal((null, null, 0), history.Finality());
        for (ulong n = 1; n <= 100; n++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            history.Record(BlockAt(n, time.GetUtcNow() - TimeSpan.FromMilliseconds(n), 0, withdrawals: 2));
        }
        Assert.Equal((50.0, 99.0, 100), history.Finality());
        var withdrawals = history.Withdrawals();
        Assert.Equal(100, withdrawals.Count);
        Assert.Equal(100UL, withdrawals[0].Block);
        Assert.Equal(51UL, withdrawals[^1].Block);
    }

    [Fact]
    public void The_genesis_is_no_block_of_the_run_and_a_catch_up_is_no_finality()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var history = new ChainHistory(null, time);
        history.Record(BlockAt(0, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), 0));
        Assert.All(history.LastHour(), p => Assert.Equal(0, p.Blocks));
        // A block made an hour ago and synced now counts as a block, never as an hour of finality.
        history.Record(BlockAt(1, time.GetUtcNow() - TimeSpan.FromHours(1), 3));
        Assert.Equal((1, (double?)null), (history.LastHour()[^1].Blocks, history.LastHour()[^1].FinalityMs));
        Assert.Equal((null, null, 0), history.Finality());
        history.Record(BlockAt(2, time.GetUtcNow() - TimeSpan.FromMilliseconds(80), 3));
        Assert.Equal((2, (double?)80), (history.LastHour()[^1].Blocks, history.LastHour()[^1].FinalityMs));
        Assert.Equal((80.0, 80.0, 1), history.Finality());
    }
}
