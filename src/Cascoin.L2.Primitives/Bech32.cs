using System.Diagnostics.CodeAnalysis;

namespace Cascoin.L2.Primitives;

/// <summary>The two checksum variants: BIP-173 bech32 (witness version 0) and BIP-350 bech32m (versions 1–16).</summary>
public enum Bech32Encoding
{
    Bech32,
    Bech32m,
}

/// <summary>
/// BIP-173 / BIP-350 strings: a human-readable part, the separator '1', 5-bit data values and a
/// 6-character checksum; at most 90 characters, all lowercase or all uppercase. On top of that,
/// segwit-style witness programs (a version 0–16 and 2–40 program bytes).
/// </summary>
public static class Bech32
{
    public const int MaxLength = 90;
    public const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const int ChecksumLength = 6;
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    // Index of each lowercase ASCII character in the charset, -1 if it is not in it.
    private static ReadOnlySpan<sbyte> ValueOf =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        15, -1, 10, 17, 21, 20, 26, 30, 7, 5, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 29, -1, 24, 13, 25, 9, 8, 23, -1, 18, 22, 31, 27, 19, -1,
        1, 0, 3, 16, 11, 28, 12, 14, 6, 4, 2, -1, -1, -1, -1, -1,
    ];

    /// <summary>Encodes 5-bit <paramref name="values"/> under a lowercase <paramref name="hrp"/>.</summary>
    /// <exception cref="ArgumentException">for an empty, uppercase or out-of-range hrp, a value ≥ 32, or a result over 90 characters.</exception>
    public static string Encode(string hrp, ReadOnlySpan<byte> values, Bech32Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(hrp);
        if (hrp.Length == 0)
            throw new ArgumentException("the human-readable part is empty", nameof(hrp));
        foreach (char c in hrp)
        {
            if (c < 33 || c > 126 || char.IsAsciiLetterUpper(c))
                throw new ArgumentException("the human-readable part must be lowercase printable ASCII", nameof(hrp));
        }
        int total = hrp.Length + 1 + values.Length + ChecksumLength;
        if (total > MaxLength)
            throw new ArgumentException($"the encoding would be {total} characters, over {MaxLength}", nameof(values));
        foreach (byte v in values)
        {
            if (v >= 32)
                throw new ArgumentException("values must be 5-bit (0..31)", nameof(values));
        }

        uint check = Checksum(hrp, values, encoding);
        var chars = new char[total];
        hrp.CopyTo(chars);
        chars[hrp.Length] = '1';
        int pos = hrp.Length + 1;
        foreach (byte v in values)
            chars[pos++] = Charset[v];
        for (int i = 0; i < ChecksumLength; i++)
            chars[pos++] = Charset[(int)((check >> (5 * (5 - i))) & 31)];
        return new string(chars);
    }

    /// <summary>
    /// Decodes a bech32 or bech32m string; <paramref name="hrp"/> comes back lowercase and
    /// <paramref name="values"/> without the checksum. False on any rule of BIP-173 broken.
    /// </summary>
    public static bool TryDecode(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out string? hrp,
        [NotNullWhen(true)] out byte[]? values,
        out Bech32Encoding encoding)
    {
        hrp = null;
        values = null;
        encoding = default;
        if (text is null || text.Length > MaxLength)
            return false;

        bool lower = false, upper = false;
        foreach (char c in text)
        {
            if (c < 33 || c > 126)
                return false;
            lower |= char.IsAsciiLetterLower(c);
            upper |= char.IsAsciiLetterUpper(c);
        }
        if (lower && upper)
            return false;

        int separator = text.LastIndexOf('1');
        if (separator < 1 || separator + 1 + ChecksumLength > text.Length)
            return false;

        string prefix = text[..separator].ToLowerInvariant();
        var data = new byte[text.Length - separator - 1];
        for (int i = 0; i < data.Length; i++)
        {
            char c = char.ToLowerInvariant(text[separator + 1 + i]);
            int v = ValueOf[c];
            if (v < 0)
                return false;
            data[i] = (byte)v;
        }

        uint residue = Polymod(prefix, data);
        if (residue == Bech32Constant)
            encoding = Bech32Encoding.Bech32;
        else if (residue == Bech32mConstant)
            encoding = Bech32Encoding.Bech32m;
        else
            return false;

        hrp = prefix;
        values = data[..^ChecksumLength];
        return true;
    }

    /// <summary>Encodes a witness program: bech32 for version 0, bech32m for versions 1–16.</summary>
    /// <exception cref="ArgumentException">for a version over 16, a program outside 2–40 bytes, a version-0 program that is not 20 or 32 bytes, or a bad hrp.</exception>
    public static string EncodeWitness(string hrp, int version, ReadOnlySpan<byte> program)
    {
        if (!IsValidWitness(version, program.Length))
            throw new ArgumentException($"not a valid witness program: version {version}, {program.Length} bytes", nameof(program));
        var values = new byte[1 + (((program.Length * 8) + 4) / 5)];
        values[0] = (byte)version;
        ConvertBits(program, 8, 5, pad: true, values.AsSpan(1));
        return Encode(hrp, values, version == 0 ? Bech32Encoding.Bech32 : Bech32Encoding.Bech32m);
    }

    /// <summary>Decodes a witness program, enforcing BIP-350's checksum variant per version and BIP-141's lengths.</summary>
    public static bool TryDecodeWitness(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out string? hrp,
        out int version,
        [NotNullWhen(true)] out byte[]? program)
    {
        version = 0;
        program = null;
        if (!TryDecode(text, out hrp, out var values, out var encoding) || values.Length == 0)
        {
            hrp = null;
            return false;
        }

        int v = values[0];
        var bytes = new byte[(values.Length - 1) * 5 / 8];
        bool ok = v <= 16
            && encoding == (v == 0 ? Bech32Encoding.Bech32 : Bech32Encoding.Bech32m)
            && ConvertBits(values.AsSpan(1), 5, 8, pad: false, bytes)
            && IsValidWitness(v, bytes.Length);
        if (!ok)
        {
            hrp = null;
            return false;
        }
        version = v;
        program = bytes;
        return true;
    }

    private static bool IsValidWitness(int version, int length) =>
        version is >= 0 and <= 16
        && length is >= 2 and <= 40
        && (version != 0 || length is 20 or 32);

    /// <summary>
    /// Regroups bits (8→5 to encode, 5→8 to decode). Without padding the leftover bits must be
    /// fewer than <paramref name="fromBits"/> and all zero. <paramref name="output"/> must fit exactly.
    /// </summary>
    private static bool ConvertBits(ReadOnlySpan<byte> input, int fromBits, int toBits, bool pad, Span<byte> output)
    {
        int acc = 0, bits = 0, pos = 0;
        int maxValue = (1 << toBits) - 1;
        foreach (byte value in input)
        {
            acc = ((acc << fromBits) | value) & 0xFFFF;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                output[pos++] = (byte)((acc >> bits) & maxValue);
            }
        }
        if (pad)
        {
            if (bits > 0)
                output[pos++] = (byte)((acc << (toBits - bits)) & maxValue);
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxValue) != 0)
        {
            return false;
        }
        return pos == output.Length;
    }

    private static uint Checksum(string hrp, ReadOnlySpan<byte> values, Bech32Encoding encoding)
    {
        Span<byte> withZeros = values.Length + ChecksumLength <= 128
            ? stackalloc byte[values.Length + ChecksumLength]
            : new byte[values.Length + ChecksumLength];
        values.CopyTo(withZeros);
        withZeros[values.Length..].Clear();
        return Polymod(hrp, withZeros) ^ (encoding == Bech32Encoding.Bech32 ? Bech32Constant : Bech32mConstant);
    }

    // BIP-173's checksum polynomial over the expanded hrp (high bits, a zero, low bits) and the data.
    private static uint Polymod(string hrp, ReadOnlySpan<byte> data)
    {
        uint chk = 1;
        foreach (char c in hrp)
            chk = Step(chk) ^ ((uint)c >> 5);
        chk = Step(chk);
        foreach (char c in hrp)
            chk = Step(chk) ^ ((uint)c & 31);
        foreach (byte v in data)
            chk = Step(chk) ^ v;
        return chk;
    }

    private static uint Step(uint chk)
    {
        uint top = chk >> 25;
        chk = (chk & 0x1ffffff) << 5;
        if ((top & 1) != 0) chk ^= 0x3b6a57b2;
        if ((top & 2) != 0) chk ^= 0x26508e6d;
        if ((top & 4) != 0) chk ^= 0x1ea119fa;
        if ((top & 8) != 0) chk ^= 0x3d4233dd;
        if ((top & 16) != 0) chk ^= 0x2a1462b3;
        return chk;
    }
}
