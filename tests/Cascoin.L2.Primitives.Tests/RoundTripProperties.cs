using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Xunit;

namespace Cascoin.L2.Primitives.Tests;

[Properties(Arbitrary = new[] { typeof(Generators) }, MaxTest = 200)]
public class RoundTripProperties
{
    [Property]
    public bool Hash256_display_form_round_trips(Hash256 hash) =>
        Hash256.Parse(hash.ToString()) == hash
        && Hash256.Parse(hash.ToString().ToUpperInvariant()) == hash
        && Hash256.FromHex(hash.ToHex()) == hash
        && new Hash256(hash.ToArray()) == hash;

    [Property]
    public bool Hash256_display_form_is_the_reversed_bytes(Hash256 hash)
    {
        var bytes = hash.ToArray();
        Array.Reverse(bytes);
        return hash.ToString() == Convert.ToHexStringLower(bytes);
    }

    [Property]
    public bool Hash256_equality_and_order_follow_the_bytes(Hash256 a, Hash256 b)
    {
        int bytes = Math.Sign(a.ToArray().AsSpan().SequenceCompareTo(b.ToArray()));
        return Math.Sign(a.CompareTo(b)) == bytes
            && (a == b) == (bytes == 0)
            && (!a.Equals(b) || a.GetHashCode() == b.GetHashCode());
    }

    [Property]
    public bool Address_order_follows_the_bytes(Address a, Address b) =>
        Math.Sign(a.CompareTo(b)) == Math.Sign(a.ToArray().AsSpan().SequenceCompareTo(b.ToArray()))
        && (a == b) == a.ToArray().AsSpan().SequenceEqual(b.ToArray());

    [Property]
    public bool Address_base58_round_trips(Address address, NetworkParameters network) =>
        Address.Parse(address.ToBase58(network), network) == address;

    [Property]
    public bool Address_bech32_round_trips_in_either_case(Address address, NetworkParameters network)
    {
        string text = address.ToBech32(network);
        return Address.Parse(text, network) == address && Address.Parse(text.ToUpperInvariant(), network) == address;
    }

    [Property]
    public bool Address_hex_round_trips_in_either_case(Address address, NetworkParameters network)
    {
        string hex = address.ToHex();
        return hex.Length == 42
            && Address.Parse(hex, network) == address
            && Address.Parse("0x" + hex[2..].ToUpperInvariant(), network) == address;
    }

    [Property]
    public bool Address_forms_of_main_are_rejected_on_test(Address address) =>
        !Address.TryParse(address.ToBase58(NetworkParameters.Main), NetworkParameters.Test, out _)
        && !Address.TryParse(address.ToBech32(NetworkParameters.Main), NetworkParameters.Test, out _);

    [Property]
    public bool Address_bech32_detects_a_changed_character(Address address, NetworkParameters network, int position, int replacement)
    {
        string text = address.ToBech32(network);
        int dataStart = network.Bech32Hrp.Length + 1;
        int pos = dataStart + (int)((uint)position % (uint)(text.Length - dataStart));
        char c = Bech32.Charset[(int)((uint)replacement % 32)];
        if (c == text[pos])
            c = Bech32.Charset[(Bech32.Charset.IndexOf(c, StringComparison.Ordinal) + 1) % 32];
        string changed = string.Concat(text.AsSpan(0, pos), c.ToString(), text.AsSpan(pos + 1));
        return !Address.TryParse(changed, network, out _);
    }

    [Property]
    public bool Amount_text_round_trips(Amount amount) =>
        Amount.Parse(amount.ToString()) == amount;

    [Property]
    public bool Amount_sat_exponent_form_parses_exactly(Amount amount) =>
        Amount.Parse($"{amount.Sat}e-8") == amount
        && Amount.Parse($"{amount.Sat * 10}E-9") == amount;

    [Property]
    public bool Amount_decimal_round_trips_over_the_whole_long_range(long sat) =>
        Amount.FromDecimal(Amount.FromSat(sat).ToDecimal()).Sat == sat
        && Amount.FromSat(sat).ToDecimal() == sat / 100_000_000m;

    [Property]
    public bool Amount_text_agrees_with_decimal(Amount amount) =>
        decimal.Parse(amount.ToString(), System.Globalization.CultureInfo.InvariantCulture) == amount.ToDecimal();

    [Property]
    public bool CompactSize_round_trips_with_its_size(ulong raw, byte shift)
    {
        ulong value = raw >> (shift % 64); // reach every encoded size
        var writer = new SpanWriter();
        writer.WriteCompactSize(value);
        var reader = new SpanReader(writer.WrittenSpan);
        bool ok = reader.ReadCompactSize(ulong.MaxValue) == value && writer.Length == CompactSize.GetSize(value);
        reader.EnsureEnd();
        return ok;
    }

    [Property]
    public bool Integers_round_trip(byte b, ushort u16, uint u32, ulong u64, int i32, long i64, bool flag)
    {
        var writer = new SpanWriter(0);
        writer.WriteByte(b);
        writer.WriteUInt16(u16);
        writer.WriteUInt32(u32);
        writer.WriteUInt64(u64);
        writer.WriteInt32(i32);
        writer.WriteInt64(i64);
        writer.WriteBool(flag);
        var reader = new SpanReader(writer.WrittenSpan);
        bool ok = reader.ReadByte() == b
            && reader.ReadUInt16() == u16
            && reader.ReadUInt32() == u32
            && reader.ReadUInt64() == u64
            && reader.ReadInt32() == i32
            && reader.ReadInt64() == i64
            && reader.ReadBool() == flag
            && writer.Length == 1 + 2 + 4 + 8 + 4 + 8 + 1;
        reader.EnsureEnd();
        return ok;
    }

    [Property]
    public bool Values_round_trip(Hash256 hash, Address address, Amount amount, byte[] bytes)
    {
        bytes ??= [];
        var writer = new SpanWriter();
        writer.WriteHash256(hash);
        writer.WriteAddress(address);
        writer.WriteAmount(amount);
        writer.WriteVarBytes(bytes);
        writer.WriteBytes(bytes);
        var reader = new SpanReader(writer.WrittenSpan);
        bool ok = reader.ReadHash256() == hash
            && reader.ReadAddress() == address
            && reader.ReadAmount() == amount
            && reader.ReadVarBytes(bytes.Length).AsSpan().SequenceEqual(bytes)
            && reader.ReadBytes(bytes.Length).AsSpan().SequenceEqual(bytes);
        reader.EnsureEnd();
        return ok;
    }

    [Property]
    public bool Base58_round_trips(byte[] data)
    {
        data ??= [];
        return Base58.TryDecode(Base58.Encode(data), out var decoded) && decoded.AsSpan().SequenceEqual(data);
    }

    [Property]
    public bool Base58Check_round_trips(byte[] data)
    {
        data ??= [];
        return Base58Check.TryDecode(Base58Check.Encode(data), out var decoded) && decoded.AsSpan().SequenceEqual(data);
    }

    [Property]
    public bool Wif_round_trips(Hash256 key, bool compressed, NetworkParameters network)
    {
        var bytes = key.ToArray();
        if (bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0 || bytes[0] == 0xff)
            return true; // zero, or possibly ≥ the curve order: not a key (covered by WifTests)
        return Wif.TryDecode(Wif.Encode(bytes, compressed, network), network, out var decoded, out bool c)
            && decoded.AsSpan().SequenceEqual(bytes)
            && c == compressed;
    }

    [Property]
    public bool Witness_programs_round_trip(byte version, byte[] program)
    {
        program ??= [];
        int v = version % 17;
        int length = v == 0 ? (program.Length % 2 == 0 ? 20 : 32) : 2 + (program.Length % 39);
        var p = new byte[length];
        program.AsSpan(0, Math.Min(length, program.Length)).CopyTo(p);
        string text = Bech32.EncodeWitness("rcas", v, p);
        return Bech32.TryDecodeWitness(text, out string? hrp, out int decodedVersion, out var decoded)
            && hrp == "rcas"
            && decodedVersion == v
            && decoded.AsSpan().SequenceEqual(p);
    }
}
