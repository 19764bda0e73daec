using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Execution;

/// <summary>
/// How a block's fees are shared (SPEC §2, property 18): 70 % to the producer, 20 % to the other
/// sequencers who signed the parent block's certificate, by weight (stake × score), 10 % burned;
/// every rounding remainder is burned too, so the parts always add up to the total exactly. With
/// no other signer (a single-sequencer chain, or a chain that follows no sequencer set) the producer
/// is the whole set and receives the 20 % as well.
/// </summary>
public sealed record FeeSplit(Amount Total, Amount Producer, IReadOnlyList<Amount> Others, Amount Burned)
{
    public const int ProducerPercent = 70;
    public const int SequencersPercent = 20;
    public const int BurnPercent = 10;

    public Amount OthersTotal => Others.Aggregate(Amount.Zero, (sum, part) => sum + part);

    /// <summary>Two splits are equal when every part is (the others' parts in order), not when they share a list.</summary>
    public bool Equals(FeeSplit? other) =>
        other is not null && Total == other.Total && Producer == other.Producer && Burned == other.Burned && Others.SequenceEqual(other.Others);

    public override int GetHashCode() => HashCode.Combine(Total, Producer, Burned, Others.Count);

    public override string ToString() => $"total {Total}, producer {Producer}, others [{string.Join(", ", Others)}], burned {Burned}";

    /// <summary>The split with <paramref name="otherSequencers"/> others of equal weight.</summary>
    public static FeeSplit Of(Amount total, int otherSequencers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(otherSequencers);
        return Of(total, Enumerable.Repeat(UInt128.One, otherSequencers).ToList());
    }

    /// <summary>The split with other sequencers of <paramref name="otherWeights"/>: each gets ⌊20 % × its weight / their total⌋.</summary>
    public static FeeSplit Of(Amount total, IReadOnlyList<UInt128> otherWeights)
    {
        ArgumentNullException.ThrowIfNull(otherWeights);
        if (total < Amount.Zero)
            throw new ArgumentOutOfRangeException(nameof(total), total, "fees are not negative");
        var producer = total.PercentFloor(ProducerPercent);
        var sequencersShare = (ulong)total.PercentFloor(SequencersPercent).Sat;
        var weight = otherWeights.Aggregate(UInt128.Zero, (sum, w) => sum + w);
        Amount[] others;
        if (weight == UInt128.Zero)
        {
            producer += Amount.FromSat((long)sequencersShare);
            others = new Amount[otherWeights.Count];
            Array.Fill(others, Amount.Zero);
        }
        else
        {
            // share ≤ 2^63 and a weight ≤ 2^63 × 100: the product stays below 2^128.
            others = otherWeights.Select(w => Amount.FromSat((long)(ulong)(sequencersShare * w / weight))).ToArray();
        }
        var burned = total - producer - others.Aggregate(Amount.Zero, (sum, part) => sum + part);
        return new FeeSplit(total, producer, others, burned);
    }
}

/// <summary>A sequencer with a part of a block's 20 %: a signer of the parent's certificate other than the producer, and its weight (<see cref="Blocks.StakeQuorum.Weight"/>).</summary>
public readonly record struct FeeSharer(Address Address, UInt128 Weight);
