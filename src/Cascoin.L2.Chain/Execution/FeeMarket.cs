namespace Cascoin.L2.Chain.Execution;

/// <summary>
/// The EIP-1559-style fee rules of SPEC §2: the base fee moves toward 50 % block fullness by at
/// most 12.5 % per block and never below the minimum gas price; senders with a HAT score above
/// the discount score pay half the base fee; the rest of the price, up to the sender's caps, is the tip.
/// </summary>
public static class FeeMarket
{
    /// <summary>The largest change per block is 1 / this of the base fee (12.5 %).</summary>
    public const ulong ChangeDenominator = 8;

    /// <summary>The base fee of the block after one with <paramref name="gasUsed"/> of <paramref name="gasLimit"/> at <paramref name="baseFee"/>.</summary>
    public static ulong NextBaseFee(ulong baseFee, ulong gasUsed, ulong gasLimit, ulong minimum)
    {
        var target = gasLimit / 2;
        if (target == 0 || gasUsed == target)
            return Math.Max(baseFee, minimum);
        ulong next;
        if (gasUsed > target)
        {
            // UInt128: base fee × gas cannot overflow whatever the header says.
            var delta = (ulong)((UInt128)baseFee * (gasUsed - target) / target / ChangeDenominator);
            next = baseFee + Math.Max(delta, 1);
            if (next < baseFee)
                next = ulong.MaxValue;
        }
        else
        {
            var delta = (ulong)((UInt128)baseFee * (target - gasUsed) / target / ChangeDenominator);
            next = baseFee - delta;
        }
        return Math.Max(next, minimum);
    }

    /// <summary>The base fee a sender with <paramref name="hatScore"/> pays: half (rounded up) above the discount score.</summary>
    public static ulong EffectiveBaseFee(ulong baseFee, byte hatScore, ChainParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return hatScore > parameters.FeeDiscountScore ? baseFee - baseFee / 2 : baseFee;
    }

    /// <summary>Price per gas actually paid: the (discounted) base fee plus the tip, capped by the max fee.</summary>
    public static ulong GasPrice(ulong effectiveBaseFee, ulong maxFeePerGas, ulong maxPriorityFeePerGas)
    {
        var wanted = effectiveBaseFee + maxPriorityFeePerGas;
        if (wanted < effectiveBaseFee)
            wanted = ulong.MaxValue;
        return Math.Min(maxFeePerGas, wanted);
    }
}
