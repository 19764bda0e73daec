using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;

namespace Cascoin.L2.Node.Dashboard;

/// <summary>
/// The last hour of the chain as this node committed it, for the dashboard's plots: 10-second
/// buckets (blocks, transactions, finality, base fee) in a fixed ring, the finality of the last
/// 1,000 blocks for its percentiles (<see cref="Metrics.BlockFinality"/>: not the genesis, not a
/// catch-up), and the last 100 withdrawals. Fixed sizes: a node that runs for
/// months holds the same few kilobytes.
/// </summary>
public sealed class ChainHistory
{
    public const int BucketSeconds = 10;
    private const int Buckets = 360;
    private const int RecentBlocks = 1000;
    private const int RecentWithdrawals = 100;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Bucket[] _buckets = new Bucket[Buckets];
    private readonly double[] _finalityMs = new double[RecentBlocks];
    private readonly Queue<(string TxId, ulong Block)> _withdrawals = new();
    private long _recorded;

    private struct Bucket
    {
        public long Start;
        public int Blocks;
        public int Transactions;
        public int Timed;
        public double FinalitySumMs;
        public ulong BaseFee;
    }

    /// <summary>One point of a plot: a 10-second bucket.</summary>
    public sealed record Point(long Time, double Tps, double? FinalityMs, ulong? BaseFee, int Blocks);

    public ChainHistory(L2Blockchain? chain, TimeProvider time)
    {
        _time = time;
        if (chain is not null)
            chain.BlockCommitted += (block, _) => Record(block);
    }

    public void Record(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Number == 0)
            return;
        var start = _time.GetUtcNow().ToUnixTimeSeconds() / BucketSeconds * BucketSeconds;
        var finality = Metrics.BlockFinality.Of(block, _time)?.TotalMilliseconds;
        lock (_lock)
        {
            ref var bucket = ref _buckets[start / BucketSeconds % Buckets];
            if (bucket.Start != start)
                bucket = new Bucket { Start = start };
            bucket.Blocks++;
            bucket.Transactions += block.Transactions.Count;
            bucket.BaseFee = block.Header.BaseFee;
            if (finality is { } ms)
            {
                bucket.Timed++;
                bucket.FinalitySumMs += ms;
                _finalityMs[_recorded++ % RecentBlocks] = ms;
            }
            foreach (var withdrawal in block.Transactions.Where(t => t.Type == Chain.Transactions.TransactionType.Withdrawal))
            {
                _withdrawals.Enqueue((withdrawal.Id.ToString(), block.Number));
                if (_withdrawals.Count > RecentWithdrawals)
                    _withdrawals.Dequeue();
            }
        }
    }

    /// <summary>The last hour, oldest first; buckets without blocks have no finality or base fee.</summary>
    public IReadOnlyList<Point> LastHour()
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds() / BucketSeconds * BucketSeconds;
        var points = new List<Point>(Buckets);
        lock (_lock)
        {
            for (var start = now - (Buckets - 1) * BucketSeconds; start <= now; start += BucketSeconds)
            {
                var bucket = _buckets[start / BucketSeconds % Buckets];
                points.Add(bucket.Start == start && bucket.Blocks > 0
                    ? new Point(start, (double)bucket.Transactions / BucketSeconds, bucket.Timed > 0 ? bucket.FinalitySumMs / bucket.Timed : null, bucket.BaseFee, bucket.Blocks)
                    : new Point(start, 0, null, null, 0));
            }
        }
        return points;
    }

    /// <summary>Percentiles of the time from a block's timestamp to its commit here, over the last 1,000 blocks.</summary>
    public (double? P50Ms, double? P99Ms, int Blocks) Finality()
    {
        double[] samples;
        lock (_lock)
            samples = _finalityMs.AsSpan(0, (int)Math.Min(_recorded, RecentBlocks)).ToArray();
        if (samples.Length == 0)
            return (null, null, 0);
        Array.Sort(samples);
        return (samples[(int)(0.50 * (samples.Length - 1))], samples[(int)(0.99 * (samples.Length - 1))], samples.Length);
    }

    /// <summary>The last withdrawals committed since the node started, newest first.</summary>
    public IReadOnlyList<(string TxId, ulong Block)> Withdrawals()
    {
        lock (_lock)
            return _withdrawals.Reverse().ToList();
    }
}
