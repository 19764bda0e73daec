using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

public class SerializationTests
{
    // Bitcoin Core src/test/serialize_tests.cpp, "noncanonical": each must be rejected.
    [Theory]
    [InlineData("fd0000")]             // zero encoded with three bytes
    [InlineData("fdfc00")]             // 0xfc encoded with three bytes
    [InlineData("fe00000000")]         // zero encoded with five bytes
    [InlineData("feffff0000")]         // 0xffff encoded with five bytes
    [InlineData("ff0000000000000000")] // zero encoded with nine bytes
    [InlineData("ffffffff0100000000")] // 0x01ffffff encoded with nine bytes
    public void Rejects_non_canonical_compact_sizes(string hex)
    {
        var ex = Assert.Throws<DecodeException>(() =>
        {
            var reader = new SpanReader(Convert.FromHexString(hex));
            reader.ReadCompactSize(ulong.MaxValue);
        });
        Assert.Contains("non-canonical CompactSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_0xfd_in_three_bytes()
    {
        // serialize_tests.cpp: "0xfd encoded with three bytes is OK".
        var reader = new SpanReader(Convert.FromHexString("fdfd00"));
        Assert.Equal(0xfdUL, reader.ReadCompactSize(ulong.MaxValue));
        reader.EnsureEnd();
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(0xfcUL, "fc")]
    [InlineData(0xfdUL, "fdfd00")]
    [InlineData(0xffffUL, "fdffff")]
    [InlineData(0x10000UL, "fe00000100")]
    [InlineData(0xffffffffUL, "feffffffff")]
    [InlineData(0x100000000UL, "ff0000000001000000")]
    [InlineData(ulong.MaxValue, "ffffffffffffffffff")]
    public void Writes_the_shortest_compact_size(ulong value, string hex)
    {
        var writer = new SpanWriter();
        writer.WriteCompactSize(value);
        Assert.Equal(hex, Convert.ToHexStringLower(writer.WrittenSpan));
        Assert.Equal(hex.Length / 2, CompactSize.GetSize(value));
    }

    [Fact]
    public void Bounds_lengths_before_allocating()
    {
        var writer = new SpanWriter();
        writer.WriteCompactSize(5_000_000);
        var ex = Assert.Throws<DecodeException>(() =>
        {
            var reader = new SpanReader(writer.WrittenSpan);
            reader.ReadVarBytes(4096);
        });
        Assert.Equal("length 5000000 at offset 0 exceeds limit 4096", ex.Message);

        // Within the limit but beyond the data: rejected without allocating 4000 bytes.
        writer.Clear();
        writer.WriteCompactSize(4000);
        writer.WriteBytes([1, 2, 3]);
        ex = Assert.Throws<DecodeException>(() =>
        {
            var reader = new SpanReader(writer.WrittenSpan);
            reader.ReadVarBytes(4096);
        });
        Assert.StartsWith("unexpected end of data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_compact_sizes_above_the_limit()
    {
        var ex = Assert.Throws<DecodeException>(() =>
        {
            var reader = new SpanReader(Convert.FromHexString("fe01000002"));
            reader.ReadCompactSize(CompactSize.MaxSize);
        });
        Assert.Contains("CompactSize 33554433 at offset 0 exceeds limit 33554432", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("02")]
    [InlineData("ff")]
    public void Rejects_bools_other_than_0_and_1(string hex)
    {
        var ex = Assert.Throws<DecodeException>(() =>
        {
            var reader = new SpanReader(Convert.FromHexString(hex));
            reader.ReadBool();
        });
        Assert.Contains("invalid bool", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_trailing_bytes()
    {
        var ex = Assert.Throws<DecodeException>(() =>
        {
            var reader = new SpanReader([1, 0]);
            reader.ReadBool();
            reader.EnsureEnd();
        });
        Assert.StartsWith("trailing bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_truncated_data()
    {
        Assert.Throws<DecodeException>(() => new SpanReader([1, 2, 3]).ReadUInt32());
        Assert.Throws<DecodeException>(() => new SpanReader(new byte[31]).ReadHash256());
        Assert.Throws<DecodeException>(() => new SpanReader(new byte[19]).ReadAddress());
        Assert.Throws<DecodeException>(() => new SpanReader([]).ReadByte());
        Assert.Throws<DecodeException>(() => new SpanReader([0xfd, 0xff]).ReadCompactSize(ulong.MaxValue));
    }

    [Fact]
    public void Reads_bitcoins_genesis_header()
    {
        // Bitcoin's genesis header: version 1, zero parent, merkle root, time 1231006505, bits 0x1d00ffff, nonce 2083236893.
        var header = Convert.FromHexString(
            "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
        var reader = new SpanReader(header);
        Assert.Equal(1, reader.ReadInt32());
        Assert.True(reader.ReadHash256().IsZero);
        Assert.Equal("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b", reader.ReadHash256().ToString());
        Assert.Equal(1231006505u, reader.ReadUInt32());
        Assert.Equal(0x1d00ffffu, reader.ReadUInt32());
        Assert.Equal(2083236893u, reader.ReadUInt32());
        Assert.Equal(80, reader.Position);
        reader.EnsureEnd();
    }

    [Fact]
    public void Writes_little_endian()
    {
        var writer = new SpanWriter(0);
        writer.WriteUInt16(0x0102);
        writer.WriteUInt32(0x03040506);
        writer.WriteInt32(-2);
        writer.WriteUInt64(0x0708090a0b0c0d0e);
        writer.WriteInt64(-1);
        writer.WriteBool(true);
        writer.WriteVarBytes([0xaa, 0xbb]);
        writer.WriteAmount(Amount.FromSat(1));
        Assert.Equal(
            "0201" + "06050403" + "feffffff" + "0e0d0c0b0a090807" + "ffffffffffffffff" + "01" + "02aabb" + "0100000000000000",
            Convert.ToHexStringLower(writer.ToArray()));
        Assert.Equal(writer.ToArray().Length, writer.Length);
    }

    [Fact]
    public void Grows_past_its_initial_capacity()
    {
        var writer = new SpanWriter(1);
        var big = new byte[10_000];
        big[^1] = 7;
        writer.WriteBytes(big);
        writer.WriteByte(9);
        Assert.Equal(10_001, writer.Length);
        Assert.Equal(7, writer.WrittenSpan[^2]);
        Assert.Equal(9, writer.WrittenSpan[^1]);
    }
}
