using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>
/// SPEC §9 property 15: L2 timestamps strictly increase. A validator refuses a header whose timestamp
/// is not after its parent's or is more than 30 s ahead of its own clock; a producer never makes one,
/// even when its clock goes backwards.
/// </summary>
public sealed class TimestampProperties
{
    private const ulong FutureLimitMs = 30_000;

    /// <summary>A valid child of <paramref name="parent"/> except, possibly, its timestamp.</summary>
    internal static BlockHeader Child(BlockHeader parent, ulong timestamp, ChainParameters parameters) => new(
        parent.Number + 1, parent.Hash, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, TestKeys.AddressAt(100),
        timestamp, parameters.BlockGasLimit, 0, FeeMarket.NextBaseFee(parent.BaseFee, parent.GasUsed, parent.GasLimit, parameters.MinGasPrice),
        0, Hash256.Zero);

    internal static BlockHeader Parent(ulong number, ulong timestamp, ulong gasUsed = 0, ulong baseFee = 10) => new(
        number, new Hash256([.. Enumerable.Repeat((byte)7, 32)]), Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, TestKeys.AddressAt(100),
        timestamp, TestChains.Default.BlockGasLimit, gasUsed, baseFee, 0, Hash256.Zero);

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 1000)]
    public void A_header_is_accepted_exactly_when_its_timestamp_is_after_the_parents_and_at_most_30s_ahead(Seed seed)
    {
        var random = new Random(seed.Value);
        var parameters = TestChains.Default;
        var parentTime = TestChains.GenesisTime + (ulong)random.NextInt64(0, 10_000_000_000);
        var parent = Parent((ulong)random.Next(0, 1_000_000), parentTime, gasUsed: (ulong)random.NextInt64(0, 30_000_001), baseFee: (ulong)random.Next(1, 1_000));
        // The validator's clock may be behind the parent (a slow clock) or ahead of it.
        var now = (ulong)((long)parentTime + random.NextInt64(-60_000, 120_000));
        // Timestamps around each boundary, and anywhere.
        var candidates = new[] { parentTime - 1, parentTime, parentTime + 1, now + FutureLimitMs, now + FutureLimitMs + 1, now, 0UL, ulong.MaxValue };
        var timestamp = random.Next(4) == 0
            ? (ulong)((long)parentTime + random.NextInt64(-100_000, 200_000))
            : candidates[random.Next(candidates.Length)];

        var rejection = HeaderRules.Check(parent, Child(parent, timestamp, parameters), parameters, now);
        if (timestamp <= parentTime)
            Assert.Equal(BlockRejectReason.TimestampNotIncreasing, rejection?.Reason);
        else if (timestamp > now + FutureLimitMs)
            Assert.Equal(BlockRejectReason.TimestampInFuture, rejection?.Reason);
        else
            Assert.Null(rejection);
    }

    [Fact]
    public void The_future_limit_is_a_chain_parameter_and_a_far_future_clock_does_not_overflow()
    {
        var parent = Parent(3, TestChains.GenesisTime);
        var parameters = TestChains.Default with { MaxFutureTimestamp = TimeSpan.FromSeconds(5) };
        var header = Child(parent, TestChains.GenesisTime + 6_000, parameters);
        Assert.Equal(BlockRejectReason.TimestampInFuture, HeaderRules.Check(parent, header, parameters, TestChains.GenesisTime)?.Reason);
        Assert.Null(HeaderRules.Check(parent, header, parameters, TestChains.GenesisTime + 1_000));
        // A node that checks no clock at all (replaying its own history) passes the largest "now".
        Assert.Null(HeaderRules.Check(parent, header, parameters, ulong.MaxValue));
        Assert.Null(HeaderRules.Check(parent, header, parameters, ulong.MaxValue - 1_000));
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void Produced_blocks_have_strictly_increasing_timestamps_even_when_the_clock_goes_backwards(Seed seed)
    {
        // RocksDB: ten cases of twelve blocks each (a case opens a database; see ReplayProperties).
        var random = new Random(seed.Value);
        var parameters = TestChains.Default;
        var sequencer = TestKeys.Key(100);
        using var directory = TestDirectory.Create("chain-timestamps");
        using (var node = ChainNode.Open(directory.Combine("db"), parameters))
        {
            node.Chain.EnsureGenesis(new GenesisSpec(TestChains.GenesisTime, []));
            var clock = TestChains.GenesisTime;
            for (var i = 0; i < 12; i++)
            {
                // Mostly forward, sometimes standing still or jumping back (NTP corrections, a VM resumed).
                var step = random.Next(4) switch
                {
                    0 => -random.Next(1, 5_000),
                    1 => 0,
                    _ => random.Next(1, 1_000),
                };
                clock = (ulong)((long)clock + step);
                var parent = node.Chain.Head;
                var produced = node.Chain.Produce([], clock, sequencer);
                var header = produced.Block.Header;
                Assert.Equal(Math.Max(clock, parent.Timestamp + 1), header.Timestamp);
                Assert.True(header.Timestamp > parent.Timestamp);
                // Any validator whose clock is not behind the producer's accepts it.
                Assert.Null(HeaderRules.Check(parent, header, parameters, Math.Max(clock, header.Timestamp)));
                node.Chain.Commit(produced);
            }
            var stored = Enumerable.Range(0, 13).Select(n => node.Chain.GetBlock((ulong)n)!.Header.Timestamp).ToList();
            for (var n = 1; n < stored.Count; n++)
                Assert.True(stored[n] > stored[n - 1], $"block {n}: {stored[n]} after {stored[n - 1]}");
        }
        directory.Succeeded();
    }
}
