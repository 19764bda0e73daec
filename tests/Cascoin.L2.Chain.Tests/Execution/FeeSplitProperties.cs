using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// SPEC §9 property 18: each block's fees split exactly 70/20/10 and the rounding stays with the burn.
/// With n other active sequencers: producer = ⌊70 %⌋ (plus ⌊20 %⌋ when n = 0, the producer then being
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
        Assert.Equal(n, split.OtherSequencers);
        Assert.Equal(split.Total, split.Producer + split.PerOtherSequencer * n + split.Burned);
        Assert.Equal(split.PerOtherSequencer * n, split.OthersTotal);
        Assert.True(split.Producer.Sat >= 0 && split.PerOtherSequencer.Sat >= 0 && split.Burned.Sat >= 0, split.ToString());

        var seventy = Percent(total, 70);
        var twenty = Percent(total, 20);
        var ten = Percent(total, 10);
        var roundings = total - seventy - twenty - ten;
        Assert.InRange(roundings, 0, 2);
        if (n == 0)
        {
            Assert.Equal(seventy + twenty, split.Producer.Sat);
            Assert.Equal(0, split.PerOtherSequencer.Sat);
            Assert.Equal(ten + roundings, split.Burned.Sat);
        }
        else
        {
            Assert.Equal(seventy, split.Producer.Sat);
            Assert.Equal(twenty / n, split.PerOtherSequencer.Sat);
            Assert.Equal(ten + roundings + twenty % n, split.Burned.Sat);
        }
        Assert.True(split.Burned.Sat >= ten);
        Assert.True(split.Burned.Sat - ten <= (n == 0 ? 2 : n + 1), $"burned {split.Burned.Sat}, 10 % is {ten}");
        // Nothing is burned beyond what rounding forces: giving each other sequencer one sat more would exceed the 20 %.
        if (n > 0)
            Assert.True((split.PerOtherSequencer.Sat + 1) * n > twenty);
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
        Assert.Equal(perOther, split.PerOtherSequencer.Sat);
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
