using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.State.Tests.Accounts;

/// <summary>The canonical account record (doc/state.md, "Account records"): its exact bytes and what it refuses.</summary>
public class AccountStateEncodingTests
{
    // version | balance i64 LE | nonce u64 LE | codeHash | storageRoot | hatScore | lastActivity u64 LE
    private const string ExampleHex =
        "01"
        + "a0f9944900000000"                                                     // 1,234,500,000 sat = 12.345 CAS
        + "0700000000000000"                                                     // nonce 7
        + "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"     // codeHash
        + "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"     // storageRoot
        + "2a"                                                                   // hatScore 42
        + "40420f0000000000";                                                    // lastActivity 1,000,000

    private static readonly AccountState Example = new(
        Amount.FromSat(1_234_500_000),
        nonce: 7,
        codeHash: new Hash256(Enumerable.Range(0x01, 32).Select(i => (byte)i).ToArray()),
        storageRoot: new Hash256(Enumerable.Range(0xa0, 32).Select(i => (byte)i).ToArray()),
        hatScore: 42,
        lastActivity: 1_000_000);

    private static byte[] ExampleBytes() => Convert.FromHexString(ExampleHex);

    [Fact]
    public void Example_encodes_to_the_documented_bytes()
    {
        Assert.Equal(AccountState.EncodedSize, ExampleBytes().Length);
        Assert.Equal(ExampleHex, Convert.ToHexStringLower(Example.ToBytes()));
        Assert.Equal(ExampleHex, Convert.ToHexStringLower(AccountStateCodec.Instance.Encode(Example)));
        var writer = new SpanWriter();
        Example.WriteTo(writer);
        Assert.Equal(ExampleHex, Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void Example_decodes_from_the_documented_bytes()
    {
        var decoded = AccountState.FromBytes(ExampleBytes());
        Assert.Equal(Example, decoded);
        Assert.Equal(Amount.Parse("12.345"), decoded.Balance);
        Assert.Equal(7UL, decoded.Nonce);
        Assert.Equal(42, decoded.HatScore);
        Assert.Equal(1_000_000UL, decoded.LastActivity);
        Assert.Equal("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", decoded.CodeHash.ToHex());
        Assert.Equal("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf", decoded.StorageRoot.ToHex());
        Assert.True(AccountState.TryFromBytes(ExampleBytes(), out var viaTry));
        Assert.Equal(Example, viaTry);
        Assert.Equal(Example, AccountStateCodec.Instance.Decode(ExampleBytes()));
        Assert.False(decoded.IsEmpty);
    }

    [Fact]
    public void Empty_is_default_all_zero_and_round_trips()
    {
        Assert.Equal(default, AccountState.Empty);
        Assert.True(AccountState.Empty.IsEmpty);
        Assert.True(default(AccountState).IsEmpty);
        var bytes = AccountState.Empty.ToBytes();
        Assert.Equal("01" + new string('0', 2 * (AccountState.EncodedSize - 1)), Convert.ToHexStringLower(bytes));
        var decoded = AccountState.FromBytes(bytes);
        Assert.Equal(AccountState.Empty, decoded);
        Assert.True(decoded.IsEmpty);
    }

    [Fact]
    public void Any_nonzero_field_makes_an_account_non_empty()
    {
        var one = new Hash256(Enumerable.Repeat((byte)0, 31).Append((byte)1).ToArray());
        Assert.False((AccountState.Empty with { Balance = Amount.FromSat(1) }).IsEmpty);
        Assert.False((AccountState.Empty with { Nonce = 1 }).IsEmpty);
        Assert.False((AccountState.Empty with { CodeHash = one }).IsEmpty);
        Assert.False((AccountState.Empty with { StorageRoot = one }).IsEmpty);
        Assert.False((AccountState.Empty with { HatScore = 1 }).IsEmpty);
        Assert.False((AccountState.Empty with { LastActivity = 1 }).IsEmpty);
    }

    [Fact]
    public void Bounds_are_accepted()
    {
        var max = new AccountState(Amount.MaxMoney, ulong.MaxValue, Example.CodeHash, Example.StorageRoot, AccountState.MaxHatScore, ulong.MaxValue);
        Assert.Equal(max, AccountState.FromBytes(max.ToBytes()));
    }

    [Fact]
    public void Out_of_range_values_cannot_be_constructed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccountState(Amount.FromSat(-1), 0, default, default, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccountState(Amount.MaxMoney + Amount.FromSat(1), 0, default, default, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccountState(Amount.Zero, 0, default, default, 101, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Example with { Balance = Amount.FromSat(-5) });
        Assert.Throws<ArgumentOutOfRangeException>(() => Example with { HatScore = 255 });
    }

    public static TheoryData<string, string> Malformed()
    {
        var data = new TheoryData<string, string>
        {
            { "empty", "" },
            { "version 0", "00" + ExampleHex[2..] },
            { "version 2", "02" + ExampleHex[2..] },
            { "version 255", "ff" + ExampleHex[2..] },
            { "version byte only", "01" },
            { "one byte short", ExampleHex[..^2] },
            { "one trailing byte", ExampleHex + "00" },
            { "a second record after the first", ExampleHex + ExampleHex },
            { "balance -1", WithField(1, "ffffffffffffffff") },
            { "balance long.MinValue", WithField(1, "0000000000000080") },
            { "balance MaxMoney + 1", WithField(1, Le(Amount.MaxMoneySat + 1)) },
            { "balance long.MaxValue", WithField(1, "ffffffffffffff7f") },
            { "hatScore 101", WithField(81, "65") },
            { "hatScore 255", WithField(81, "ff") },
        };
        for (var length = 2; length < AccountState.EncodedSize - 1; length += 7)
            data.Add($"truncated to {length} bytes", ExampleHex[..(2 * length)]);
        return data;
    }

    private static string WithField(int offset, string hex) =>
        ExampleHex[..(2 * offset)] + hex + ExampleHex[(2 * offset + hex.Length)..];

    private static string Le(long value) => Convert.ToHexStringLower(BitConverter.GetBytes(value));

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_record_is_rejected_with_a_DecodeException(string name, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var error = Assert.Throws<DecodeException>(() => AccountState.FromBytes(bytes));
        Assert.False(string.IsNullOrEmpty(error.Message), name);
        Assert.Throws<DecodeException>(() => AccountStateCodec.Instance.Decode(bytes));
        Assert.False(AccountState.TryFromBytes(bytes, out var state), name);
        Assert.Equal(default, state);
    }

    [Fact]
    public void Every_truncation_of_a_valid_record_is_rejected()
    {
        var bytes = ExampleBytes();
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<DecodeException>(() => AccountState.FromBytes(bytes.AsSpan(0, length)));
            Assert.False(AccountState.TryFromBytes(bytes.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void ReadFrom_reads_one_record_and_leaves_the_rest()
    {
        var second = Example with { Nonce = 8, HatScore = 100 };
        var writer = new SpanWriter();
        Example.WriteTo(writer);
        second.WriteTo(writer);
        writer.WriteByte(0xee);
        var reader = new SpanReader(writer.WrittenSpan);
        Assert.Equal(Example, AccountState.ReadFrom(ref reader));
        Assert.Equal(second, AccountState.ReadFrom(ref reader));
        Assert.Equal(1, reader.Remaining);
        Assert.Throws<DecodeException>(() =>
        {
            var tail = new SpanReader(writer.WrittenSpan[^1..]);
            return AccountState.ReadFrom(ref tail);
        });
    }
}
