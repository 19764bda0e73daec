using Cascoin.L2.Chain.Execution;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// SPEC §2's base fee: EIP-1559 style with a target of half the gas limit and at most 12.5 % change
/// per block, never below the minimum gas price; score &gt; 80 pays half; the price is capped by the max fee.
/// </summary>
public sealed class FeeMarketTests
{
    private const ulong Limit = 30_000_000;
    private const ulong Target = Limit / 2;

    [Theory]
    [InlineData(1UL)]
    [InlineData(10UL)]
    [InlineData(1_000_000UL)]
    public void At_the_target_the_base_fee_stays(ulong baseFee) =>
        Assert.Equal(baseFee, FeeMarket.NextBaseFee(baseFee, Target, Limit, 1));

    [Fact]
    public void A_full_block_raises_the_base_fee_by_an_eighth()
    {
        Assert.Equal(1_125UL, FeeMarket.NextBaseFee(1_000, Limit, Limit, 1));
        Assert.Equal(9UL, FeeMarket.NextBaseFee(8, Limit, Limit, 1));
        // Halfway between target and full: a sixteenth.
        Assert.Equal(1_062UL, FeeMarket.NextBaseFee(1_000, Target + Target / 2, Limit, 1));
    }

    [Fact]
    public void An_empty_block_lowers_the_base_fee_by_an_eighth()
    {
        Assert.Equal(875UL, FeeMarket.NextBaseFee(1_000, 0, Limit, 1));
        Assert.Equal(7UL, FeeMarket.NextBaseFee(8, 0, Limit, 1));
        // Too small for an eighth to be a whole sat: it stays.
        Assert.Equal(7UL, FeeMarket.NextBaseFee(7, 0, Limit, 1));
    }

    [Fact]
    public void The_base_fee_never_goes_below_the_minimum()
    {
        Assert.Equal(10UL, FeeMarket.NextBaseFee(10, 0, Limit, 10));
        Assert.Equal(10UL, FeeMarket.NextBaseFee(3, Target, Limit, 10));
        Assert.Equal(10UL, FeeMarket.NextBaseFee(3, Limit, Limit, 10));
        Assert.Equal(5UL, FeeMarket.NextBaseFee(0, 0, Limit, 5));
        // A run of empty blocks walks the fee down without ever crossing the minimum. Like EIP-1559's,
        // the decrease is rounded down, so below 8 an eighth is zero and the fee rests at 7.
        var fee = 1_000_000UL;
        for (var i = 0; i < 200; i++)
        {
            var next = FeeMarket.NextBaseFee(fee, 0, Limit, 3);
            Assert.InRange(next, 3UL, fee);
            fee = next;
        }
        Assert.Equal(7UL, fee);
        Assert.Equal(20UL, FeeMarket.NextBaseFee(21, 0, Limit, 20));
    }

    [Fact]
    public void An_increase_is_at_least_one_sat()
    {
        Assert.Equal(2UL, FeeMarket.NextBaseFee(1, Limit, Limit, 1));
        Assert.Equal(2UL, FeeMarket.NextBaseFee(1, Target + 1, Limit, 1));
        Assert.Equal(1UL, FeeMarket.NextBaseFee(0, Target + 1, Limit, 0));
    }

    [Fact]
    public void The_base_fee_cannot_overflow_whatever_a_header_says()
    {
        Assert.Equal(ulong.MaxValue, FeeMarket.NextBaseFee(ulong.MaxValue, Limit, Limit, 1));
        Assert.Equal(ulong.MaxValue, FeeMarket.NextBaseFee(ulong.MaxValue - 1, Limit, Limit, 1));
        // A zero gas limit has no target: the fee stays (at least the minimum).
        Assert.Equal(4UL, FeeMarket.NextBaseFee(4, 100, 0, 1));
    }

    [Property(MaxTest = 300)]
    public void The_next_base_fee_moves_at_most_an_eighth_toward_the_target(uint baseFeeSeed, uint usedSeed)
    {
        var baseFee = (ulong)baseFeeSeed + 1;
        var used = (ulong)usedSeed % (Limit + 1);
        var next = FeeMarket.NextBaseFee(baseFee, used, Limit, 1);
        if (used > Target)
        {
            Assert.True(next > baseFee);
            Assert.True(next <= baseFee + Math.Max(baseFee / 8, 1));
        }
        else if (used < Target)
        {
            Assert.True(next <= baseFee);
            Assert.True(next >= Math.Max(baseFee - baseFee / 8, 1));
        }
        else
        {
            Assert.Equal(baseFee, next);
        }
    }

    [Theory]
    [InlineData(0, 10UL, 10UL)]
    [InlineData(80, 10UL, 10UL)]
    [InlineData(81, 10UL, 5UL)]
    [InlineData(100, 10UL, 5UL)]
    [InlineData(81, 11UL, 6UL)]
    [InlineData(81, 1UL, 1UL)]
    [InlineData(100, 0UL, 0UL)]
    public void Only_a_score_above_80_pays_half_the_base_fee_rounded_up(byte score, ulong baseFee, ulong expected) =>
        Assert.Equal(expected, FeeMarket.EffectiveBaseFee(baseFee, score, TestChains.Default));

    [Fact]
    public void The_discount_score_is_a_chain_parameter()
    {
        var parameters = TestChains.Default with { FeeDiscountScore = 50 };
        Assert.Equal(10UL, FeeMarket.EffectiveBaseFee(10, 50, parameters));
        Assert.Equal(5UL, FeeMarket.EffectiveBaseFee(10, 51, parameters));
    }

    [Theory]
    [InlineData(10UL, 100UL, 5UL, 15UL)]
    [InlineData(10UL, 12UL, 5UL, 12UL)]
    [InlineData(10UL, 10UL, 0UL, 10UL)]
    [InlineData(10UL, 100UL, 0UL, 10UL)]
    [InlineData(10UL, 100UL, ulong.MaxValue, 100UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue)]
    public void The_gas_price_is_base_plus_tip_capped_by_the_max_fee(ulong baseFee, ulong maxFee, ulong tip, ulong expected) =>
        Assert.Equal(expected, FeeMarket.GasPrice(baseFee, maxFee, tip));
}
