using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

public class AmountTests
{
    private const long Coin = Amount.SatPerCas;

    // Bitcoin Core src/test/rpc_tests.cpp, rpc_format_monetary_values (ValueFromAmount).
    [Theory]
    [InlineData(0L, "0.00000000")]
    [InlineData(1L, "0.00000001")]
    [InlineData(17622195L, "0.17622195")]
    [InlineData(50000000L, "0.50000000")]
    [InlineData(89898989L, "0.89898989")]
    [InlineData(100000000L, "1.00000000")]
    [InlineData(2099999999999990L, "20999999.99999990")]
    [InlineData(2099999999999999L, "20999999.99999999")]
    [InlineData(Coin / 10000 * 123456789, "12345.67890000")]
    [InlineData(-Coin, "-1.00000000")]
    [InlineData(-Coin / 10, "-0.10000000")]
    [InlineData(Coin * 100000000, "100000000.00000000")]
    [InlineData(Coin * 10, "10.00000000")]
    [InlineData(Coin / 100, "0.01000000")]
    [InlineData(Coin / 10000000, "0.00000010")]
    [InlineData(long.MaxValue, "92233720368.54775807")]
    [InlineData(long.MaxValue - 1, "92233720368.54775806")]
    [InlineData(long.MinValue + 1, "-92233720368.54775807")]
    [InlineData(long.MinValue, "-92233720368.54775808")]
    public void Formats_like_bitcoind(long sat, string expected) =>
        Assert.Equal(expected, Amount.FromSat(sat).ToString());

    [Fact]
    public void Formats_the_briefs_examples()
    {
        Assert.Equal("12.34500000", Amount.FromSat(1_234_500_000).ToString());
        Assert.Equal("-0.00000001", Amount.FromSat(-1).ToString());
    }

    // Bitcoin Core src/test/rpc_tests.cpp, rpc_parse_monetary_values (AmountFromValue): accepted values.
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0.00000000", 0L)]
    [InlineData("0.00000001", 1L)]
    [InlineData("0.17622195", 17622195L)]
    [InlineData("0.5", 50000000L)]
    [InlineData("0.50000000", 50000000L)]
    [InlineData("0.89898989", 89898989L)]
    [InlineData("1.00000000", 100000000L)]
    [InlineData("20999999.9999999", 2099999999999990L)]
    [InlineData("20999999.99999999", 2099999999999999L)]
    [InlineData("1e-8", Coin / 100000000)]
    [InlineData("0.1e-7", Coin / 100000000)]
    [InlineData("0.01e-6", Coin / 100000000)]
    [InlineData("0.00000000000000000000000000000000000001e+30", 1L)]
    [InlineData("0.0000000000000000000000000000000000000000000000000000000000000000000000000001e+68", Coin / 100000000)]
    [InlineData("10000000000000000000000000000000000000000000000000000000000000000e-64", Coin)]
    [InlineData("0.000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000e64", Coin)]
    [InlineData("0.00000001000000", 1L)]
    [InlineData("0.19e-6", 19L)]
    public void Parses_bitcoin_core_monetary_values(string text, long sat)
    {
        Assert.True(Amount.TryParse(text, out var amount), text);
        Assert.Equal(sat, amount.Sat);
        Assert.Equal(amount, Amount.Parse(text));
    }

    // Bitcoin Core rpc_parse_monetary_values: rejected values (all but "-0.00000001", which a signed Amount accepts).
    [Theory]
    [InlineData("1e-9")]
    [InlineData("0.000000019")]
    [InlineData("19e-9")]
    [InlineData(".19e-6")]
    [InlineData("92233720368.54775808")]
    [InlineData("1e+11")]
    [InlineData("1e11")]
    [InlineData("93e+9")]
    public void Rejects_bitcoin_core_invalid_monetary_values(string text)
    {
        Assert.False(Amount.TryParse(text, out var amount));
        Assert.Equal(Amount.Zero, amount);
        var ex = Assert.Throws<FormatException>(() => Amount.Parse(text));
        Assert.Contains("invalid amount", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 100_000_000L)]
    [InlineData("21000000.12345678", 2_100_000_012_345_678L)]
    [InlineData("-1.5", -150_000_000L)]
    [InlineData("1E2", 10_000_000_000L)]
    [InlineData("1e+2", 10_000_000_000L)]
    [InlineData("-0", 0L)]
    [InlineData("-0.0e-99", 0L)]
    [InlineData("0e999999999999999999999", 0L)]
    [InlineData("84000000", Amount.MaxMoneySat)]
    [InlineData("-84000000.00000000", -Amount.MaxMoneySat)]
    [InlineData("8.4e7", Amount.MaxMoneySat)]
    [InlineData("1.000000000000000000000", 100_000_000L)]
    public void Parses_json_numbers_exactly(string text, long sat) =>
        Assert.Equal(sat, Amount.Parse(text).Sat);

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".1")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.5.0")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData("84000000.00000001")]
    [InlineData("-84000000.00000001")]
    [InlineData("1e999999999999999999")]
    [InlineData("0.123456789")]
    [InlineData("1e-99999999999999999999")]
    [InlineData("１")]
    public void Rejects_everything_else(string text) =>
        Assert.False(Amount.TryParse(text, out _), text);

    [Fact]
    public void Arithmetic_is_checked()
    {
        var max = Amount.FromSat(long.MaxValue);
        var min = Amount.FromSat(long.MinValue);
        var one = Amount.FromSat(1);
        Assert.Throws<OverflowException>(() => max + one);
        Assert.Throws<OverflowException>(() => min - one);
        Assert.Throws<OverflowException>(() => -min);
        Assert.Throws<OverflowException>(() => max * 2);
        Assert.Throws<OverflowException>(() => Amount.FromCas(long.MaxValue / 10));
        Assert.Equal(Amount.FromSat(3), one + Amount.FromSat(2));
        Assert.Equal(Amount.FromSat(-1), one - Amount.FromSat(2));
        Assert.Equal(Amount.FromSat(6), 3 * Amount.FromSat(2));
        Assert.True(one > Amount.Zero && Amount.Zero < one && Amount.FromSat(1) >= one && Amount.FromSat(1) <= one);
    }

    [Fact]
    public void Money_range_is_zero_to_84_million_cas()
    {
        Assert.Equal(84_000_000L * 100_000_000L, Amount.MaxMoney.Sat);
        Assert.True(Amount.Zero.IsMoneyRange);
        Assert.True(Amount.MaxMoney.IsMoneyRange);
        Assert.False((Amount.MaxMoney + Amount.FromSat(1)).IsMoneyRange);
        Assert.False(Amount.FromSat(-1).IsMoneyRange);
        Assert.Equal(Amount.FromSat(100_000_000), Amount.OneCas);
    }

    [Fact]
    public void Converts_to_and_from_decimal_exactly()
    {
        Assert.Equal(12.345m, Amount.FromSat(1_234_500_000).ToDecimal());
        Assert.Equal(-0.00000001m, Amount.FromSat(-1).ToDecimal());
        Assert.Equal(-92233720368.54775808m, Amount.FromSat(long.MinValue).ToDecimal());
        Assert.Equal(Amount.FromSat(long.MinValue), Amount.FromDecimal(-92233720368.54775808m));
        Assert.Equal(Amount.FromSat(1), Amount.FromDecimal(0.0000000100000000000m));
        Assert.Equal(Amount.FromSat(150_000_000), Amount.FromDecimal(1.5m));
        Assert.Equal(Amount.Zero, Amount.FromDecimal(-0.0m));
        Assert.Throws<ArgumentException>(() => Amount.FromDecimal(0.000000001m));
        Assert.Throws<ArgumentException>(() => Amount.FromDecimal(0.000000015m));
        Assert.Throws<OverflowException>(() => Amount.FromDecimal(92233720368.54775808m));
        Assert.Throws<OverflowException>(() => Amount.FromDecimal(decimal.MaxValue));
    }
}
