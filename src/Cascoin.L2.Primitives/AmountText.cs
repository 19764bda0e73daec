namespace Cascoin.L2.Primitives;

/// <summary>The exact decimal parser behind <see cref="Amount.TryParse(ReadOnlySpan{char}, out Amount)"/>.</summary>
internal static class AmountText
{
    // Exponents are accumulated up to here and then saturate; any exponent this large is out of range anyway.
    private const long ExponentCap = 1_000_000_000;

    // MaxMoneySat (8.4e15) has 16 digits.
    private const int MaxSatDigits = 16;

    /// <summary>Parses a JSON number of CAS into satoshis: only exact values within ±MaxMoney.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out long sat)
    {
        sat = 0;
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] == '-')
        {
            negative = true;
            i++;
        }

        int intStart = i;
        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
            return false;
        if (s[i] == '0')
            i++;
        else
        {
            while (i < s.Length && char.IsAsciiDigit(s[i]))
                i++;
        }
        var intDigits = s[intStart..i];

        ReadOnlySpan<char> fracDigits = default;
        if (i < s.Length && s[i] == '.')
        {
            int fracStart = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
                i++;
            if (i == fracStart)
                return false;
            fracDigits = s[fracStart..i];
        }

        long exponent = 0;
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            bool exponentNegative = false;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                exponentNegative = s[i] == '-';
                i++;
            }
            int expStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (exponent < ExponentCap)
                    exponent = (exponent * 10) + (s[i] - '0');
                i++;
            }
            if (i == expStart)
                return false;
            if (exponentNegative)
                exponent = -exponent;
        }
        if (i != s.Length)
            return false;

        // The digits D = intDigits ++ fracDigits have value D × 10^(exponent − |fracDigits|) CAS,
        // so D × 10^(exponent − |fracDigits| + 8) sat. Drop D's leading and trailing zeros.
        int total = intDigits.Length + fracDigits.Length;
        int first = 0;
        while (first < total && DigitAt(intDigits, fracDigits, first) == 0)
            first++;
        if (first == total)
            return true; // zero, whatever the exponent ("-0" included)
        int last = total - 1;
        while (DigitAt(intDigits, fracDigits, last) == 0)
            last--;

        long scale = exponent - fracDigits.Length + 8 + (total - 1 - last);
        int significant = last - first + 1;
        if (scale < 0 || significant + scale > MaxSatDigits)
            return false; // finer than 1 sat, or more than 16 digits of sat

        long value = 0;
        for (int k = first; k <= last; k++)
            value = (value * 10) + DigitAt(intDigits, fracDigits, k);
        for (long k = 0; k < scale; k++)
            value *= 10;
        if (value > Amount.MaxMoneySat)
            return false;

        sat = negative ? -value : value;
        return true;
    }

    private static int DigitAt(ReadOnlySpan<char> intDigits, ReadOnlySpan<char> fracDigits, int index) =>
        (index < intDigits.Length ? intDigits[index] : fracDigits[index - intDigits.Length]) - '0';
}
