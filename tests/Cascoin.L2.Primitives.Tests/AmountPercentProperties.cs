using System.Numerics;
using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cascoin.L2.Primitives.Tests;

public sealed class AmountPercentProperties
{
    [Property(MaxTest = 500)]
    public Property Percent_floor_is_exact_for_every_amount_and_percentage()
    {
        var amounts = Gen.Choose(0, int.MaxValue).Select(x => (long)x * 39_119 % (Amount.MaxMoneySat + 1));
        var cases = amounts.SelectMany(sat => Gen.Choose(0, 100).Select(p => (Sat: sat, Percent: p)));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var expected = (long)(new BigInteger(c.Sat) * c.Percent / 100);
            return Amount.FromSat(c.Sat).PercentFloor(c.Percent).Sat == expected;
        });
    }

    [Fact]
    public void Edges_and_refusals()
    {
        Assert.Equal(Amount.Zero, Amount.FromSat(99).PercentFloor(1));
        Assert.Equal(Amount.FromSat(1), Amount.FromSat(100).PercentFloor(1));
        Assert.Equal(Amount.MaxMoney, Amount.MaxMoney.PercentFloor(100));
        Assert.Equal(Amount.FromSat(long.MaxValue / 100 * 70 + long.MaxValue % 100 * 70 / 100), Amount.FromSat(long.MaxValue).PercentFloor(70));
        Assert.Throws<ArgumentOutOfRangeException>(() => Amount.FromSat(-1).PercentFloor(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Amount.OneCas.PercentFloor(101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Amount.OneCas.PercentFloor(-1));
    }
}
