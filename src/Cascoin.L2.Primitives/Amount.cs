using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cascoin.L2.Primitives;

/// <summary>
/// An amount of CAS as a whole number of satoshis (1 CAS = 100,000,000 sat). Arithmetic is
/// <c>checked</c>: it throws <see cref="OverflowException"/> rather than wrap. Text is the
/// bitcoind JSON form: a decimal number of CAS, parsed exactly (never through a double).
/// </summary>
public readonly struct Amount : IEquatable<Amount>, IComparable<Amount>
{
    public const long SatPerCas = 100_000_000;

    /// <summary>
    /// 84,000,000 CAS, Litecoin's supply cap (Cascoin's L1 derives from Litecoin): the bound of
    /// <see cref="IsMoneyRange"/> and of parsed text, like Bitcoin Core's MAX_MONEY sanity check.
    /// </summary>
    public const long MaxMoneySat = 84_000_000 * SatPerCas;

    public static Amount Zero => default;
    public static Amount OneCas => new(SatPerCas);
    public static Amount MaxMoney => new(MaxMoneySat);

    private Amount(long sat) => Sat = sat;

    /// <summary>The amount in satoshis.</summary>
    public long Sat { get; }

    public static Amount FromSat(long sat) => new(sat);

    /// <exception cref="OverflowException">when the result does not fit.</exception>
    public static Amount FromCas(long cas) => new(checked(cas * SatPerCas));

    /// <summary>0 ≤ amount ≤ <see cref="MaxMoney"/>: what a balance, output or fee may hold (Core's MoneyRange).</summary>
    public bool IsMoneyRange => Sat is >= 0 and <= MaxMoneySat;

    /// <summary>Bitcoind style: CAS with exactly 8 decimals, e.g. "12.34500000", "-0.00000001".</summary>
    public override string ToString()
    {
        ulong magnitude = Magnitude(Sat);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(Sat < 0 ? "-" : "")}{magnitude / SatPerCas}.{magnitude % SatPerCas:D8}");
    }

    /// <summary>
    /// Parses a JSON number of CAS exactly: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.
    /// Rejected: anything finer than 1 sat (trailing zeros are fine), magnitudes above
    /// <see cref="MaxMoney"/>, whitespace, a leading '+', leading zeros, hex, NaN/Infinity.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Amount amount)
    {
        if (text is null)
        {
            amount = default;
            return false;
        }
        return TryParse(text.AsSpan(), out amount);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out Amount amount)
    {
        bool ok = AmountText.TryParse(text, out long sat);
        amount = new Amount(sat);
        return ok;
    }

    /// <exception cref="FormatException">when <paramref name="text"/> is not an exact amount within ±<see cref="MaxMoney"/>.</exception>
    public static Amount Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var amount)
            ? amount
            : throw new FormatException(
                $"invalid amount \"{Texts.Excerpt(text)}\": expected a number of CAS with at most 8 decimals and at most {MaxMoneySat / SatPerCas} CAS");
    }

    /// <summary>The amount in CAS, exactly (scale 8).</summary>
    public decimal ToDecimal()
    {
        ulong magnitude = Magnitude(Sat);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, Sat < 0, 8);
    }

    /// <summary>The amount of <paramref name="cas"/> CAS, which must be a whole number of satoshis.</summary>
    /// <exception cref="ArgumentException">when <paramref name="cas"/> has a part finer than 1 sat.</exception>
    /// <exception cref="OverflowException">when the satoshis do not fit a long.</exception>
    public static Amount FromDecimal(decimal cas)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(cas, bits);
        UInt128 mantissa = (uint)bits[0] | ((UInt128)(uint)bits[1] << 32) | ((UInt128)(uint)bits[2] << 64);
        int scale = (bits[3] >> 16) & 0xFF;
        bool negative = bits[3] < 0;

        // cas = mantissa / 10^scale, so sat = mantissa × 10^(8 - scale).
        if (scale > 8)
        {
            UInt128 divisor = PowerOfTen(scale - 8);
            if (mantissa % divisor != 0)
                throw new ArgumentException($"{cas} CAS is not a whole number of satoshis", nameof(cas));
            mantissa /= divisor;
        }
        else
        {
            mantissa *= PowerOfTen(8 - scale); // < 2^96 × 10^8 < 2^124: no overflow
        }

        UInt128 limit = negative ? (UInt128)long.MaxValue + 1 : long.MaxValue;
        if (mantissa > limit)
            throw new OverflowException($"{cas} CAS does not fit in 64-bit satoshis");
        ulong magnitude = (ulong)mantissa;
        return new Amount(negative ? (long)(0 - magnitude) : (long)magnitude);
    }

    /// <summary>
    /// <paramref name="percent"/> % of a non-negative amount, rounded down, exactly and without
    /// overflow (⌊sat × p / 100⌋ computed as ⌊sat / 100⌋ × p + ⌊(sat mod 100) × p / 100⌋).
    /// Fee splits, slashing and limits use it, and leave the rounding remainder where they say.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">for a negative amount or a percentage outside 0..100.</exception>
    public Amount PercentFloor(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Sat, "amount");
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        return new Amount(Sat / 100 * percent + Sat % 100 * percent / 100);
    }

    public static Amount operator +(Amount left, Amount right) => new(checked(left.Sat + right.Sat));
    public static Amount operator -(Amount left, Amount right) => new(checked(left.Sat - right.Sat));
    public static Amount operator -(Amount value) => new(checked(-value.Sat));
    public static Amount operator *(Amount left, long right) => new(checked(left.Sat * right));
    public static Amount operator *(long left, Amount right) => new(checked(left * right.Sat));

    public static Amount Add(Amount left, Amount right) => left + right;
    public static Amount Subtract(Amount left, Amount right) => left - right;
    public static Amount Negate(Amount value) => -value;
    public static Amount Multiply(Amount left, long right) => left * right;

    public bool Equals(Amount other) => Sat == other.Sat;
    public override bool Equals(object? obj) => obj is Amount other && Equals(other);
    public override int GetHashCode() => Sat.GetHashCode();
    public int CompareTo(Amount other) => Sat.CompareTo(other.Sat);

    public static bool operator ==(Amount left, Amount right) => left.Sat == right.Sat;
    public static bool operator !=(Amount left, Amount right) => left.Sat != right.Sat;
    public static bool operator <(Amount left, Amount right) => left.Sat < right.Sat;
    public static bool operator <=(Amount left, Amount right) => left.Sat <= right.Sat;
    public static bool operator >(Amount left, Amount right) => left.Sat > right.Sat;
    public static bool operator >=(Amount left, Amount right) => left.Sat >= right.Sat;

    // |sat| without overflow for long.MinValue.
    private static ulong Magnitude(long sat) => sat < 0 ? (ulong)(-(sat + 1)) + 1 : (ulong)sat;

    private static UInt128 PowerOfTen(int exponent)
    {
        UInt128 result = 1;
        for (int i = 0; i < exponent; i++)
            result *= 10;
        return result;
    }
}
