using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

/// <summary>
/// BIP-173 and BIP-350 test vectors, copied from the reference implementation's tests
/// (sipa/bech32 <c>ref/python/tests.py</c>, commit 05b26fc433176802c039ad68c86175803a73ad6a),
/// and the segwit entries of Bitcoin Core's key_io_valid.json / key_io_invalid.json.
/// </summary>
public class Bech32Tests
{
    public static TheoryData<string> ValidBech32 => new()
    {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    };

    public static TheoryData<string> ValidBech32m => new()
    {
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    };

    // "\xNN" in the Python source is written "\u00NN" here: C#'s \x escape takes up to four hex digits.
    public static TheoryData<string> InvalidBech32 => new()
    {
        " 1nwldj5",            // HRP character out of range
        "\u007F" + "1axkwrx",  // HRP character out of range
        "\u0080" + "1eym55h",  // HRP character out of range
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", // overall max length exceeded
        "pzry9x0s0muk",        // No separator character
        "1pzry9x0s0muk",       // Empty HRP
        "x1b4n0q5v",           // Invalid data character
        "li1dgmt3",            // Too short checksum
        "de1lg7wt" + "\u00FF", // Invalid character in checksum
        "A1G7SGD8",            // checksum calculated with uppercase form of HRP
        "10a06t8",             // empty HRP
        "1qzzfhee",            // empty HRP
    };

    public static TheoryData<string> InvalidBech32m => new()
    {
        " 1xj0phk",            // HRP character out of range
        "\u007F" + "1g6xzxy",  // HRP character out of range
        "\u0080" + "1vctc34",  // HRP character out of range
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4", // overall max length exceeded
        "qyrz8wqd2c9m",        // No separator character
        "1qyrz8wqd2c9m",       // Empty HRP
        "y1b0jsk6g",           // Invalid data character
        "lt1igcx5c0",          // Invalid data character
        "in1muywd",            // Too short checksum
        "mm1crxm3i",           // Invalid character in checksum
        "au1s5cgom",           // Invalid character in checksum
        "M1VUXWEZ",            // Checksum calculated with uppercase form of HRP
        "16plkw9",             // Empty HRP
        "1p2gdwpf",            // Empty HRP
    };

    public static TheoryData<string, string> ValidAddress => new()
    {
        { "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6" },
        { "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262" },
        { "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6" },
        { "BC1SW50QGDZ25J", "6002751e" },
        { "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323" },
        { "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433" },
        { "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433" },
        { "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" },
    };

    public static TheoryData<string> InvalidAddress => new()
    {
        "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",   // Invalid HRP
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",   // bech32 instead of bech32m
        "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",   // bech32 instead of bech32m
        "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",   // bech32 instead of bech32m
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",                       // bech32m instead of bech32
        "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",   // bech32m instead of bech32
        "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",   // Invalid character in checksum
        "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",   // Invalid witness version
        "bc1pw5dgrnzv",                                                     // Invalid program length (1 byte)
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", // Invalid program length (41 bytes)
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",                             // Invalid program length for witness version 0
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",   // Mixed case
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", // More than 4 padding bits
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",   // Non-zero padding in 8-to-5 conversion
        "bc1gmk9yu",                                                        // Empty data section
    };

    [Theory]
    [MemberData(nameof(ValidBech32))]
    public void Accepts_valid_bech32(string text) => AssertValidAndSensitive(text, Bech32Encoding.Bech32);

    [Theory]
    [MemberData(nameof(ValidBech32m))]
    public void Accepts_valid_bech32m(string text) => AssertValidAndSensitive(text, Bech32Encoding.Bech32m);

    [Theory]
    [MemberData(nameof(InvalidBech32))]
    public void Rejects_invalid_bech32(string text) => AssertNotValidAs(text, Bech32Encoding.Bech32);

    [Theory]
    [MemberData(nameof(InvalidBech32m))]
    public void Rejects_invalid_bech32m(string text) => AssertNotValidAs(text, Bech32Encoding.Bech32m);

    [Theory]
    [MemberData(nameof(ValidAddress))]
    public void Decodes_and_reencodes_valid_witness_addresses(string address, string script)
    {
        Assert.True(Bech32.TryDecodeWitness(address, out string? hrp, out int version, out var program));
        Assert.Contains(hrp, new[] { "bc", "tb" });
        Assert.Equal(Convert.FromHexString(script), ScriptPubKey(version, program));
        Assert.Equal(address.ToLowerInvariant(), Bech32.EncodeWitness(hrp, version, program));
    }

    [Theory]
    [MemberData(nameof(InvalidAddress))]
    public void Rejects_invalid_witness_addresses(string address)
    {
        bool decoded = Bech32.TryDecodeWitness(address, out string? hrp, out _, out _);
        Assert.False(decoded && hrp is "bc" or "tb", $"{address} decoded under {hrp}");
    }

    // INVALID_ADDRESS_ENC of the reference tests: (hrp, version, program length).
    [Theory]
    [InlineData("BC", 0, 20)]
    [InlineData("bc", 0, 21)]
    [InlineData("bc", 17, 32)]
    [InlineData("bc", 1, 1)]
    [InlineData("bc", 16, 41)]
    public void Refuses_to_encode_invalid_witness_programs(string hrp, int version, int length) =>
        Assert.Throws<ArgumentException>(() => Bech32.EncodeWitness(hrp, version, new byte[length]));

    public static TheoryData<string, string, string> KeyIoSegwit
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var (address, script, chain) in KeyIoVectors.Segwit)
                data.Add(address, script, chain);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(KeyIoSegwit))]
    public void Decodes_bitcoin_core_segwit_vectors_in_either_case(string address, string script, string chain)
    {
        string expectedHrp = TestNetworks.ForChain(chain).Bech32Hrp;
        foreach (string form in new[] { address, address.ToUpperInvariant() })
        {
            Assert.True(Bech32.TryDecodeWitness(form, out string? hrp, out int version, out var program), form);
            Assert.Equal(expectedHrp, hrp);
            Assert.Equal(Convert.FromHexString(script), ScriptPubKey(version, program));
        }
        var (v, p) = ParseScript(script);
        Assert.Equal(address, Bech32.EncodeWitness(expectedHrp, v, p));
    }

    [Fact]
    public void Encodes_the_bip173_examples_from_their_public_key()
    {
        // BIP-173 "Examples": all use public key 0279BE66…F81798 (hash160 751e76e8…433bd6).
        var address = Address.FromPublicKey(Convert.FromHexString("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));
        Assert.Equal("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", address.ToBech32(TestNetworks.BitcoinMain));
        Assert.Equal("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", address.ToBech32(TestNetworks.BitcoinTest));
    }

    [Fact]
    public void Encode_rejects_bad_arguments()
    {
        Assert.Throws<ArgumentException>(() => Bech32.Encode("", [], Bech32Encoding.Bech32));
        Assert.Throws<ArgumentException>(() => Bech32.Encode("a", [32], Bech32Encoding.Bech32));
        Assert.Throws<ArgumentException>(() => Bech32.Encode("a", new byte[83], Bech32Encoding.Bech32));
        Assert.Equal(90, Bech32.Encode("a", new byte[82], Bech32Encoding.Bech32).Length);
    }

    private static void AssertValidAndSensitive(string text, Bech32Encoding expected)
    {
        Assert.True(Bech32.TryDecode(text, out string? hrp, out var values, out var encoding), text);
        Assert.Equal(expected, encoding);
        Assert.Equal(text.ToLowerInvariant(), Bech32.Encode(hrp, values, encoding));

        // As in the reference test: flipping the lowest bit of the first data character breaks it.
        int pos = text.LastIndexOf('1');
        string corrupted = string.Concat(text.AsSpan(0, pos + 1), ((char)(text[pos + 1] ^ 1)).ToString(), text.AsSpan(pos + 2));
        Assert.False(Bech32.TryDecode(corrupted, out _, out _, out _), corrupted);
    }

    private static void AssertNotValidAs(string text, Bech32Encoding encoding)
    {
        bool decoded = Bech32.TryDecode(text, out _, out _, out var actual);
        Assert.False(decoded && actual == encoding, text);
    }

    private static byte[] ScriptPubKey(int version, byte[] program) =>
        [(byte)(version == 0 ? 0 : 0x50 + version), (byte)program.Length, .. program];

    private static (int Version, byte[] Program) ParseScript(string hex)
    {
        var script = Convert.FromHexString(hex);
        return (script[0] == 0 ? 0 : script[0] - 0x50, script[2..]);
    }
}
