using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

public class Hash256Tests
{
    // Bitcoin's genesis block header (80 bytes) and its block hash and merkle root as bitcoind displays them.
    private const string GenesisHeader =
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
    private const string GenesisHash = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
    private const string GenesisMerkleRoot = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

    [Fact]
    public void Displays_byte_reversed_like_bitcoind()
    {
        var hash = new Hash256(Hashes.Sha256d(Convert.FromHexString(GenesisHeader)));
        Assert.Equal(GenesisHash, hash.ToString());
        Assert.Equal(hash, Hash256.Parse(GenesisHash));
        Assert.Equal(hash, Hash256.Parse(GenesisHash.ToUpperInvariant()));

        var reversed = Convert.FromHexString(GenesisHash);
        Array.Reverse(reversed);
        Assert.Equal(reversed, hash.ToArray());
        Assert.Equal(Convert.ToHexStringLower(reversed), hash.ToHex());
        Assert.Equal(hash, Hash256.FromHex(hash.ToHex()));
    }

    [Fact]
    public void Reads_the_merkle_root_in_serialization_order()
    {
        var header = Convert.FromHexString(GenesisHeader);
        var root = new Hash256(header.AsSpan(36, 32));
        Assert.Equal(GenesisMerkleRoot, root.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26")]
    [InlineData("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f0")]
    [InlineData("0x0000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")]
    [InlineData("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26g")]
    [InlineData(" 00000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f")]
    public void Rejects_anything_but_64_hex_digits(string text)
    {
        Assert.False(Hash256.TryParse(text, out _));
        Assert.False(Hash256.TryFromHex(text, out _));
        Assert.Throws<FormatException>(() => Hash256.Parse(text));
        Assert.Throws<FormatException>(() => Hash256.FromHex(text));
    }

    [Fact]
    public void Rejects_spans_that_are_not_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => new Hash256(new byte[31]));
        Assert.Throws<ArgumentException>(() => new Hash256(new byte[33]));
        Assert.Throws<ArgumentException>(() => Hash256.Zero.WriteTo(new byte[31]));
        Assert.False(Hash256.TryParse((string?)null, out _));
    }

    [Fact]
    public void Zero_is_all_zero_bytes()
    {
        Assert.True(Hash256.Zero.IsZero);
        Assert.Equal(new string('0', 64), Hash256.Zero.ToString());
        Assert.Equal(Hash256.Zero, new Hash256(new byte[32]));
        var one = new byte[32];
        one[31] = 1;
        Assert.False(new Hash256(one).IsZero);
    }

    [Fact]
    public void Orders_by_stored_bytes_like_memcmp()
    {
        var low = new byte[32];
        var high = new byte[32];
        low[31] = 0xff; // last stored byte large
        high[0] = 0x01; // first stored byte larger
        Assert.True(new Hash256(low) < new Hash256(high));
        Assert.True(new Hash256(high) > new Hash256(low));
        Assert.Equal(0, new Hash256(low).CompareTo(new Hash256(low)));
    }
}
