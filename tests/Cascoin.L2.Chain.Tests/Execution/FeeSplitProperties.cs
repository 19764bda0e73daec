using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// SPEC §9 property 18: each block's fees split exactly 70/20/10 and the rounding stays with the burn.
/// With n other signers of equal weight: producer = ⌊70 %⌋ (plus ⌊20 %⌋ when n = 0, the producer then being
/// the whole active set), each other sequencer ⌊⌊20 %⌋ / n⌋, burned = the rest. So the burn is ⌊10 %⌋
/// plus the three percentage roundings (t − ⌊.7t⌋ − ⌊.2t⌋ − ⌊.1t⌋, always 0, 1 or 2 sat) plus the
/// remainder of dividing the 20 % among n (⌊.2t⌋ mod n, at most n − 1): never more than n + 1 sat (2 when n = 0).
/// </summary>
public sealed class FeeSplitProperties
{
    private static long Percent(long total, int percent) => (long)((Int128)total * percent / 100);

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 1000)]
    public void Fees_split_exactly_70_20_10_with_the_rounding_burned(FeeCase fees)
    {
        var total = fees.TotalSat;
        var n = fees.OtherSequencers;
        var split = FeeSplit.Of(Amount.FromSat(total), n);

        Assert.Equal(total, split.Total.Sat);
        Assert.Equal(n, split.Others.Count);
        Assert.Single(split.Others.Distinct().DefaultIfEmpty(Amount.Zero)); // equal weights, equal parts
        var perOther = n == 0 ? Amount.Zero : split.Others[0];
        Assert.Equal(split.Total, split.Producer + perOther * n + split.Burned);
        Assert.Equal(perOther * n, split.OthersTotal);
        Assert.True(split.Producer.Sat >= 0 && perOther.Sat >= 0 && split.Burned.Sat >= 0, split.ToString());

        var seventy = Percent(total, 70);
        var twenty = Percent(total, 20);
        var ten = Percent(total, 10);
        var roundings = total - seventy - twenty - ten;
        Assert.InRange(roundings, 0, 2);
        if (n == 0)
        {
            Assert.Equal(seventy + twenty, split.Producer.Sat);
            Assert.Empty(split.Others);
            Assert.Equal(ten + roundings, split.Burned.Sat);
        }
        else
        {
            Assert.Equal(seventy, split.Producer.Sat);
            Assert.Equal(twenty / n, perOther.Sat);
            Assert.Equal(ten + roundings + twenty % n, split.Burned.Sat);
        }
        Assert.True(split.Burned.Sat >= ten);
        Assert.True(split.Burned.Sat - ten <= (n == 0 ? 2 : n + 1), $"burned {split.Burned.Sat}, 10 % is {ten}");
        // Nothing is burned beyond what rounding forces: giving each other sequencer one sat more would exceed the 20 %.
        if (n > 0)
            Assert.True((perOther.Sat + 1) * n > twenty);
    }

    /// <summary>By weight: each other signer gets ⌊20 % × w / W⌋, so parts follow the weights, never exceed the 20 %, and lose less than one sat each to rounding.</summary>
    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 1000)]
    public void The_twenty_percent_follows_the_weights_and_only_rounding_is_burned(FeeCase fees, ulong seed)
    {
        var random = new Random((int)(seed % int.MaxValue));
        var weights = Enumerable.Range(0, fees.OtherSequencers).Select(_ => (UInt128)(ulong)random.NextInt64(0, long.MaxValue) * (ulong)random.Next(0, 101)).ToList();
        var split = FeeSplit.Of(Amount.FromSat(fees.TotalSat), weights);
        var twenty = Percent(fees.TotalSat, 20);
        var total = weights.Aggregate(UInt128.Zero, (sum, w) => sum + w);

        Assert.Equal(split.Total, split.Producer + split.OthersTotal + split.Burned);
        if (total == UInt128.Zero)
        {
            Assert.Equal(Percent(fees.TotalSat, 70) + twenty, split.Producer.Sat);
            return;
        }
        Assert.Equal(Percent(fees.TotalSat, 70), split.Producer.Sat);
        for (var i = 0; i < weights.Count; i++)
            Assert.Equal((long)(ulong)((UInt128)(ulong)twenty * weights[i] / total), split.Others[i].Sat);
        Assert.InRange(twenty - split.OthersTotal.Sat, 0, weights.Count);
    }

    [Theory]
    [InlineData(0L, 0, 0L, 0L, 0L)]
    [InlineData(1L, 0, 0L, 0L, 1L)]
    [InlineData(9L, 0, 7L, 0L, 2L)]
    [InlineData(100L, 0, 90L, 0L, 10L)]
    [InlineData(100L, 1, 70L, 20L, 10L)]
    [InlineData(100L, 3, 70L, 6L, 12L)]
    [InlineData(1_000_000L, 20, 700_000L, 10_000L, 100_000L)]
    [InlineData(19L, 20, 13L, 0L, 6L)]
    public void Worked_examples(long total, int others, long producer, long perOther, long burned)
    {
        var split = FeeSplit.Of(Amount.FromSat(total), others);
        Assert.Equal(producer, split.Producer.Sat);
        Assert.All(split.Others, part => Assert.Equal(perOther, part.Sat));
        Assert.Equal(burned, split.Burned.Sat);
    }

    [Fact]
    public void The_whole_money_supply_splits_without_overflow()
    {
        var split = FeeSplit.Of(Amount.MaxMoney, 7);
        Assert.Equal(Amount.MaxMoney, split.Producer + split.OthersTotal + split.Burned);
        Assert.Equal(Amount.MaxMoneySat / 10 * 7, split.Producer.Sat);
    }

    [Fact]
    public void Negative_totals_and_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FeeSplit.Of(Amount.FromSat(-1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeeSplit.Of(Amount.FromSat(1), -1));
    }
}
