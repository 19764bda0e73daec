using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

public class Base58Tests
{
    /// <summary>Bitcoin Core <c>src/test/data/base58_encode_decode.json</c> (bitcoin/bitcoin 284c42a3ceb98587895935139984c52e9958005d): (hex, base58).</summary>
    public static TheoryData<string, string> EncodeDecode => new()
    {
        { "", "" },
        { "61", "2g" },
        { "626262", "a3gV" },
        { "636363", "aPEr" },
        { "73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2" },
        { "00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L" },
        { "516b6fcd0f", "ABnLTmg" },
        { "bf4f89001e670274dd", "3SEo3LWLoPntC" },
        { "572e4794", "3EFU7m" },
        { "ecac89cad93923c02321", "EJDM8drfXA6uyA" },
        { "10c8511e", "Rt5zm" },
        { "00000000000000000000", "1111111111" },
        { "00000000000000000000000000000000000000000000000000000000000000000000000000000000", "1111111111111111111111111111111111111111" },
        { "00000000000000000000000000000000000000000000000000000000000000000000000000000001", "1111111111111111111111111111111111111112" },
        {
            "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000ec39d04c37e71e5d591881f6",
            "111111111111111111111111111111111111111111111111111111111111111111111111111111111111115TYzLYH1udmLdzCLM"
        },
        { "000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" },
        {
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
            "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMHr8x9i7aEwP8kZ7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6DGbbi2tuwMWPthr4boWwCxf7ewSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY"
        },
        { "271F359E", "zzzzy" },
        { "271F359F", "zzzzz" },
        { "271F35A0", "211111" },
        { "271F35A1", "211112" },
    };

    [Theory]
    [MemberData(nameof(EncodeDecode))]
    public void Encodes_published_vectors(string hex, string base58) =>
        Assert.Equal(base58, Base58.Encode(Convert.FromHexString(hex)));

    [Theory]
    [MemberData(nameof(EncodeDecode))]
    public void Decodes_published_vectors(string hex, string base58)
    {
        Assert.True(Base58.TryDecode(base58, out var data));
        Assert.Equal(Convert.FromHexString(hex), data);
    }

    // Bitcoin Core src/test/base58_tests.cpp, base58_DecodeBase58.
    [Theory]
    [InlineData("invalid")]
    [InlineData("invalid\0")]
    [InlineData("\0invalid")]
    [InlineData("bad0IOl")]
    [InlineData("goodbad0IOl")]
    [InlineData("good\0bad0IOl")]
    [InlineData(" \t\n\v\f\r skip \r\f\v\n\t a")]
    public void Rejects_characters_outside_the_alphabet_and_inner_whitespace(string text) =>
        Assert.False(Base58.TryDecode(text, 100, out _));

    [Fact]
    public void Skips_leading_and_trailing_whitespace_like_bitcoin_core()
    {
        Assert.True(Base58.TryDecode("good", 100, out _));
        Assert.True(Base58.TryDecode(" \t\n\v\f\r skip \r\f\v\n\t ", 3, out var data));
        Assert.Equal(Convert.FromHexString("971a55"), data);
    }

    [Fact]
    public void Rejects_output_longer_than_the_limit()
    {
        // "skip" decodes to 3 bytes (971a55, above); "1111" to 4 zero bytes.
        Assert.False(Base58.TryDecode("skip", 2, out _));
        Assert.False(Base58.TryDecode("1111", 3, out _));
        Assert.True(Base58.TryDecode("1111", 4, out var zeros));
        Assert.Equal(new byte[4], zeros);
    }

    // Bitcoin Core src/test/base58_tests.cpp, DecodeBase58Check cases.
    [Fact]
    public void Base58Check_verifies_the_checksum()
    {
        Assert.True(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oh", 100, out _));
        Assert.False(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oi", 100, out _));
        Assert.False(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oh0IOl", 100, out _));
        Assert.False(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oh\0" + "0IOl", 100, out _));
    }

    [Fact]
    public void Base58Check_round_trips_what_it_decodes()
    {
        Assert.True(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oh", 100, out var payload));
        Assert.Equal("3vQB7B6MrGQZaxCuFg4oh", Base58Check.Encode(payload));
    }

    [Fact]
    public void Base58Check_rejects_a_payload_over_the_limit()
    {
        Assert.True(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oh", 100, out var payload));
        Assert.False(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oh", payload.Length - 1, out _));
        Assert.True(Base58Check.TryDecode("3vQB7B6MrGQZaxCuFg4oh", payload.Length, out _));
    }

    [Fact]
    public void Decode_throws_FormatException_for_bad_text() =>
        Assert.Throws<FormatException>(() => Base58.Decode("0OIl"));
}
