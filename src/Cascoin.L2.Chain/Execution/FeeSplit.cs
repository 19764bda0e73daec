using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Execution;

/// <summary>
/// How a block's fees are shared (SPEC §2, property 18): 70 % to the producer, 20 % in equal parts
/// to the other active sequencers, 10 % burned; every rounding remainder is burned too, so the
/// parts always add up to the total exactly. With no other active sequencer (a single-sequencer
/// chain) the producer is the whole active set and receives the 20 % as well.
/// </summary>
public sealed record FeeSplit(Amount Total, Amount Producer, Amount PerOtherSequencer, int OtherSequencers, Amount Burned)
{
    public const int ProducerPercent = 70;
    public const int SequencersPercent = 20;
    public const int BurnPercent = 10;

    public Amount OthersTotal => PerOtherSequencer * OtherSequencers;

    public static FeeSplit Of(Amount total, int otherSequencers)
    {
        if (total < Amount.Zero)
            throw new ArgumentOutOfRangeException(nameof(total), total, "fees are not negative");
        ArgumentOutOfRangeException.ThrowIfNegative(otherSequencers);
        var producer = total.PercentFloor(ProducerPercent);
        var sequencersShare = total.PercentFloor(SequencersPercent).Sat;
        Amount perOther;
        if (otherSequencers == 0)
        {
            producer += Amount.FromSat(sequencersShare);
            perOther = Amount.Zero;
        }
        else
        {
            perOther = Amount.FromSat(sequencersShare / otherSequencers);
        }
        var burned = total - producer - perOther * otherSequencers;
        return new FeeSplit(total, producer, perOther, otherSequencers, burned);
    }
}
