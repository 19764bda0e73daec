using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

public class AddressTests
{
    public static TheoryData<string, string, string> PubKeyHash => ToTheory(KeyIoVectors.PubKeyHash);

    public static TheoryData<string, string, string> ScriptHash => ToTheory(KeyIoVectors.ScriptHash);

    public static TheoryData<string, string, string> Segwit => ToTheory(KeyIoVectors.Segwit);

    public static TheoryData<string> Invalid
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string text in KeyIoVectors.Invalid)
                data.Add(text);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PubKeyHash))]
    public void Reads_and_writes_bitcoin_core_pubkey_hash_addresses(string text, string script, string chain)
    {
        var network = TestNetworks.ForChain(chain);
        var expected = Convert.FromHexString(script)[3..23]; // 76 a9 14 <20 bytes> 88 ac
        Assert.True(Address.TryParse(text, network, out var address));
        Assert.Equal(expected, address.ToArray());
        Assert.Equal(text, address.ToBase58(network));
        Assert.Equal(address, Address.Parse(text, network));
    }

    [Theory]
    [MemberData(nameof(PubKeyHash))]
    public void Rejects_a_pubkey_hash_address_of_another_prefix(string text, string script, string chain)
    {
        _ = script;
        var other = chain == "main" ? TestNetworks.BitcoinTest : TestNetworks.BitcoinMain;
        Assert.False(Address.TryParse(text, other, out _));
        var ex = Assert.Throws<FormatException>(() => Address.Parse(text, other));
        Assert.Contains("prefix", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ScriptHash))]
    public void Script_hash_addresses_are_not_accounts(string text, string script, string chain)
    {
        _ = script;
        foreach (var network in TestNetworks.Bitcoin)
            Assert.False(Address.TryParse(text, network, out _), $"{text} on {chain}");
    }

    [Theory]
    [MemberData(nameof(Segwit))]
    public void Reads_version_0_20_byte_segwit_addresses_only(string text, string script, string chain)
    {
        var network = TestNetworks.ForChain(chain);
        var bytes = Convert.FromHexString(script);
        bool isAccount = bytes[0] == 0 && bytes[1] == 20;
        foreach (string form in new[] { text, text.ToUpperInvariant() })
        {
            Assert.Equal(isAccount, Address.TryParse(form, network, out var address));
            if (isAccount)
            {
                Assert.Equal(bytes[2..], address.ToArray());
                Assert.Equal(text, address.ToBech32(network));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_bitcoin_core_invalid_strings(string text)
    {
        foreach (var network in TestNetworks.Bitcoin)
        {
            Assert.False(Address.TryParse(text, network, out _));
            Assert.Throws<FormatException>(() => Address.Parse(text, network));
        }
    }

    [Fact]
    public void Derives_from_a_compressed_public_key()
    {
        // BIP-173 examples: public key 0279BE66…F81798 has hash160 751e76e8199196d454941c45d1b3a323f1433bd6
        // (its P2WPKH program, "0014751e76e8…" in the reference tests).
        var address = Address.FromPublicKey(Convert.FromHexString("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));
        Assert.Equal("0x751e76e8199196d454941c45d1b3a323f1433bd6", address.ToHex());
        Assert.Throws<ArgumentException>(() => Address.FromPublicKey(new byte[33]));
        Assert.Throws<ArgumentException>(() => Address.FromPublicKey(new byte[65]));
    }

    [Fact]
    public void Reads_hex_in_either_case()
    {
        var expected = Address.Parse("0x751e76e8199196d454941c45d1b3a323f1433bd6", NetworkParameters.Main);
        Assert.Equal(expected, Address.Parse("0x751E76E8199196D454941C45D1B3A323F1433BD6", NetworkParameters.Main));
        Assert.Equal(expected, Address.Parse("0X751e76e8199196d454941c45d1b3a323f1433bd6", NetworkParameters.Main));
        Assert.Equal("0x751e76e8199196d454941c45d1b3a323f1433bd6", expected.ToString());
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("0x751e76e8199196d454941c45d1b3a323f1433bd")]
    [InlineData("0x751e76e8199196d454941c45d1b3a323f1433bd6a")]
    [InlineData("0x751e76e8199196d454941c45d1b3a323f1433bdg")]
    [InlineData("751e76e8199196d454941c45d1b3a323f1433bd6")]
    [InlineData("0x 751e76e8199196d454941c45d1b3a323f1433bd6")]
    public void Rejects_bad_hex(string text)
    {
        Assert.False(Address.TryParse(text, NetworkParameters.Main, out _));
        var ex = Assert.Throws<FormatException>(() => Address.Parse(text, NetworkParameters.Main));
        Assert.Contains("invalid address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_cascoin_network_uses_its_own_prefixes()
    {
        var address = Address.FromPublicKey(Convert.FromHexString("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));
        foreach (var network in TestNetworks.Cascoin)
        {
            string base58 = address.ToBase58(network);
            Assert.True(Base58Check.TryDecode(base58, out var payload));
            Assert.Equal(network.PubKeyHashPrefix, payload[0]);
            Assert.StartsWith(network.Bech32Hrp + "1q", address.ToBech32(network), StringComparison.Ordinal);
            Assert.Equal(address, Address.Parse(base58, network));
            Assert.Equal(address, Address.Parse(address.ToBech32(network), network));
        }
        Assert.False(Address.TryParse(address.ToBase58(NetworkParameters.Main), NetworkParameters.Test, out _));
        Assert.False(Address.TryParse(address.ToBech32(NetworkParameters.Test), NetworkParameters.Regtest, out _));
        var ex = Assert.Throws<FormatException>(() => Address.Parse(address.ToBech32(NetworkParameters.Main), NetworkParameters.Test));
        Assert.Contains("\"cas\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_spans_that_are_not_20_bytes()
    {
        Assert.Throws<ArgumentException>(() => new Address(new byte[19]));
        Assert.Throws<ArgumentException>(() => new Address(new byte[21]));
        Assert.True(Address.Zero.IsZero);
        Assert.Equal(new byte[20], Address.Zero.ToArray());
    }

    private static TheoryData<string, string, string> ToTheory((string, string, string)[] rows)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (a, b, c) in rows)
            data.Add(a, b, c);
        return data;
    }
}
