using System.Diagnostics.CodeAnalysis;

namespace Cascoin.L2.Primitives;

/// <summary>
/// Bitcoin's base58 (no checksum): leading zero bytes become leading '1's. Decoding follows
/// Bitcoin Core's <c>DecodeBase58</c>: whitespace is skipped before and after the digits but
/// nowhere else, and any other character outside the alphabet is rejected.
/// </summary>
public static class Base58
{
    public const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>The decode limit of the overloads without one: decoding costs O(text × limit).</summary>
    public const int DefaultMaxDecodedLength = 1024;

    // Index of each ASCII character in the alphabet, -1 if it is not in it.
    private static ReadOnlySpan<sbyte> DigitOf =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1,
        -1, 9, 10, 11, 12, 13, 14, 15, 16, -1, 17, 18, 19, 20, 21, -1,
        22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, -1, -1, -1, -1, -1,
        -1, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, -1, 44, 45, 46,
        47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, -1, -1, -1, -1, -1,
    ];

    public static string Encode(ReadOnlySpan<byte> data)
    {
        int zeroes = 0;
        while (zeroes < data.Length && data[zeroes] == 0)
            zeroes++;

        // log(256) / log(58) ≈ 1.366: enough base58 digits for the rest, least significant first.
        var digits = new byte[((data.Length - zeroes) * 138 / 100) + 1];
        int length = 0;
        for (int i = zeroes; i < data.Length; i++)
        {
            int carry = data[i];
            int j = 0;
            for (; j < length || carry != 0; j++)
            {
                carry += 256 * digits[j];
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }
            length = j;
        }

        return string.Create(zeroes + length, (digits, zeroes, length), static (chars, state) =>
        {
            chars[..state.zeroes].Fill('1');
            for (int k = 0; k < state.length; k++)
                chars[state.zeroes + k] = Alphabet[state.digits[state.length - 1 - k]];
        });
    }

    public static bool TryDecode([NotNullWhen(true)] string? text, [NotNullWhen(true)] out byte[]? data) =>
        TryDecode(text, DefaultMaxDecodedLength, out data);

    /// <summary>Decodes <paramref name="text"/>; false if it is not base58 or decodes to more than <paramref name="maxLength"/> bytes.</summary>
    public static bool TryDecode([NotNullWhen(true)] string? text, int maxLength, [NotNullWhen(true)] out byte[]? data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        data = null;
        if (text is null)
            return false;

        int pos = 0;
        while (pos < text.Length && IsSpace(text[pos]))
            pos++;

        int zeroes = 0;
        while (pos < text.Length && text[pos] == '1')
        {
            if (++zeroes > maxLength)
                return false;
            pos++;
        }

        // The number itself, least significant byte first, sized by what the rest of the text can
        // produce (log(58) / log(256) ≈ 0.733) and the limit; one spare byte detects going over the limit.
        long fromText = ((text.Length - pos) * 733L / 1000) + 1;
        var number = new byte[(int)Math.Min(maxLength - zeroes, fromText) + 1];
        int length = 0;
        while (pos < text.Length && !IsSpace(text[pos]))
        {
            char c = text[pos];
            int digit = c < 128 ? DigitOf[c] : -1;
            if (digit < 0)
                return false;
            int carry = digit;
            int j = 0;
            for (; j < length || carry != 0; j++)
            {
                if (j == number.Length)
                    return false;
                carry += 58 * number[j];
                number[j] = (byte)carry;
                carry >>= 8;
            }
            length = j;
            if (length > number.Length - 1)
                return false;
            pos++;
        }

        while (pos < text.Length && IsSpace(text[pos]))
            pos++;
        if (pos != text.Length)
            return false;

        var result = new byte[zeroes + length];
        for (int k = 0; k < length; k++)
            result[zeroes + k] = number[length - 1 - k];
        data = result;
        return true;
    }

    /// <exception cref="FormatException">when <paramref name="text"/> is not base58.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryDecode(text, out var data) ? data : throw new FormatException($"not base58: \"{Texts.Excerpt(text)}\"");
    }

    // The characters C's isspace() accepts, as Bitcoin Core's IsSpace.
    private static bool IsSpace(char c) => c is ' ' or '\f' or '\n' or '\r' or '\t' or '\v';
}
