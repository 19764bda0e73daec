using System.Globalization;
using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Xunit;

namespace Cascoin.L2.Primitives.Tests;

/// <summary>
/// "Random input never crashes a decoder": it is accepted, or rejected with false, a
/// <see cref="DecodeException"/> or a <see cref="FormatException"/>. Any other exception fails the property.
/// Inputs are both fully random and drawn from each decoder's own alphabet, to get past the first check.
/// </summary>
[Properties(Arbitrary = new[] { typeof(Generators) }, MaxTest = 500)]
public class DecoderFuzzProperties
{
    private const string Base58Chars = Base58.Alphabet + "0OIl \t";
    private const string Bech32Chars = Bech32.Charset + "1cas1tcas1rcasBIO ";
    private const string NumberChars = "0123456789.-+eE";

    [Property]
    public bool SpanReader_never_crashes(byte[] data, byte[] operations)
    {
        data ??= [];
        operations ??= [];
        var reader = new SpanReader(data);
        try
        {
            foreach (byte op in operations)
                ReadOne(ref reader, op);
            reader.EnsureEnd();
        }
        catch (DecodeException)
        {
        }
        return reader.Position <= data.Length;
    }

    [Property]
    public bool SpanReader_never_crashes_on_compact_size_prefixes(byte first, ulong tail, byte length, int max)
    {
        var data = new byte[1 + (length % 9)];
        data[0] = (byte)(0xfb + (first % 5)); // 0xfb..0xff: the interesting first bytes
        BitConverter.TryWriteBytes(data.AsSpan(1), tail);
        var reader = new SpanReader(data);
        try
        {
            int n = reader.ReadLength(Math.Abs(max % 100_000));
            _ = reader.ReadBytes(n);
        }
        catch (DecodeException)
        {
        }
        return true;
    }

    [Property]
    public bool Base58Check_never_crashes(string? text, int[] indexes)
    {
        _ = Base58Check.TryDecode(text, out _);
        _ = Base58Check.TryDecode(Alphabets.Pick(Base58Chars, indexes ?? []), out _);
        return true;
    }

    [Property]
    public bool Base58_decodes_only_what_encodes_back(int[] indexes)
    {
        string text = Alphabets.Pick(Base58.Alphabet, indexes ?? []);
        return !Base58.TryDecode(text, out var data) || Base58.Encode(data) == text;
    }

    [Property]
    public bool Bech32_never_crashes(string? text, int[] indexes)
    {
        string alphabetic = Alphabets.Pick(Bech32Chars, indexes ?? []);
        foreach (string? candidate in new[] { text, alphabetic })
        {
            if (Bech32.TryDecode(candidate, out string? hrp, out var values, out var encoding)
                && Bech32.Encode(hrp, values, encoding) != candidate!.ToLowerInvariant())
            {
                return false;
            }
            _ = Bech32.TryDecodeWitness(candidate, out _, out _, out _);
        }
        return true;
    }

    [Property]
    public bool Wif_never_crashes(string? text, int[] indexes, byte prefix)
    {
        _ = Wif.TryDecode(text, prefix, out _, out _);
        _ = Wif.TryDecode(Alphabets.Pick(Base58Chars, indexes ?? []), prefix, out _, out _);
        return true;
    }

    [Property]
    public bool Wif_decodes_random_payloads_only_when_well_formed(byte[] payload, byte prefix)
    {
        payload ??= [];
        string text = Base58Check.Encode(payload);
        if (!Wif.TryDecode(text, prefix, out var key, out bool compressed))
            return true;
        return payload[0] == prefix && key.Length == 32 && payload.Length == (compressed ? 34 : 33);
    }

    [Property]
    public bool Amount_parse_never_crashes(string? text, int[] indexes)
    {
        foreach (string? candidate in new[] { text, Alphabets.Pick(NumberChars, indexes ?? []) })
        {
            _ = Amount.TryParse(candidate, out _);
            if (candidate is not null)
            {
                try
                {
                    _ = Amount.Parse(candidate);
                }
                catch (FormatException)
                {
                }
            }
        }
        return true;
    }

    [Property]
    public bool Amount_accepts_only_exact_values_a_decimal_agrees_with(int[] indexes)
    {
        string text = Alphabets.Pick(NumberChars, indexes ?? []);
        if (!Amount.TryParse(text, out var amount))
            return true;
        return amount.IsMoneyRange || (-amount).IsMoneyRange
            ? decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) == amount.ToDecimal()
            : false;
    }

    [Property]
    public bool Address_parse_never_crashes(string? text, int[] indexes, NetworkParameters network)
    {
        foreach (string? candidate in new[] { text, Alphabets.Pick(Base58Chars, indexes ?? []), Alphabets.Pick(Bech32Chars, indexes ?? []), "0x" + text })
        {
            _ = Address.TryParse(candidate, network, out _);
            if (candidate is not null)
            {
                try
                {
                    _ = Address.Parse(candidate, network);
                }
                catch (FormatException)
                {
                }
            }
        }
        return true;
    }

    [Property]
    public bool Hash256_parse_never_crashes(string? text)
    {
        _ = Hash256.TryParse(text, out _);
        _ = Hash256.TryFromHex(text, out _);
        return true;
    }

    private static void ReadOne(ref SpanReader reader, byte op)
    {
        switch (op % 16)
        {
            case 0: reader.ReadByte(); break;
            case 1: reader.ReadUInt16(); break;
            case 2: reader.ReadUInt32(); break;
            case 3: reader.ReadUInt64(); break;
            case 4: reader.ReadInt32(); break;
            case 5: reader.ReadInt64(); break;
            case 6: reader.ReadBool(); break;
            case 7: reader.ReadCompactSize(CompactSize.MaxSize); break;
            case 8: reader.ReadCompactSize(ulong.MaxValue); break;
            case 9: reader.ReadLength(1000); break;
            case 10: reader.ReadVarBytes(1000); break;
            case 11: reader.ReadVarBytes(int.MaxValue); break;
            case 12: reader.ReadBytes(op / 16); break;
            case 13: reader.ReadHash256(); break;
            case 14: reader.ReadAddress(); break;
            default: reader.ReadAmount(); break;
        }
    }
}
