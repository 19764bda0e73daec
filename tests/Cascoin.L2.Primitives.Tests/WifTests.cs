using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

public class WifTests
{
    public static TheoryData<string, string, bool, string> PrivateKeys
    {
        get
        {
            var data = new TheoryData<string, string, bool, string>();
            foreach (var (wif, key, compressed, chain) in KeyIoVectors.PrivateKeys)
                data.Add(wif, key, compressed, chain);
            return data;
        }
    }

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
    [MemberData(nameof(PrivateKeys))]
    public void Decodes_bitcoin_core_keys_with_the_chain_prefix(string wif, string keyHex, bool compressed, string chain)
    {
        byte prefix = chain == "main" ? (byte)128 : (byte)239;
        Assert.True(Wif.TryDecode(wif, prefix, out var key, out bool isCompressed));
        Assert.Equal(Convert.FromHexString(keyHex), key);
        Assert.Equal(compressed, isCompressed);

        Assert.True(Wif.TryDecode(wif, TestNetworks.ForChain(chain), out var viaNetwork, out _));
        Assert.Equal(key, viaNetwork);
    }

    [Theory]
    [MemberData(nameof(PrivateKeys))]
    public void Encodes_bitcoin_core_keys(string wif, string keyHex, bool compressed, string chain)
    {
        byte prefix = chain == "main" ? (byte)128 : (byte)239;
        Assert.Equal(wif, Wif.Encode(Convert.FromHexString(keyHex), compressed, prefix));
        Assert.Equal(wif, Wif.Encode(Convert.FromHexString(keyHex), compressed, TestNetworks.ForChain(chain)));
    }

    [Theory]
    [MemberData(nameof(PrivateKeys))]
    public void Rejects_keys_of_the_other_prefix(string wif, string keyHex, bool compressed, string chain)
    {
        _ = keyHex;
        _ = compressed;
        byte other = chain == "main" ? (byte)239 : (byte)128;
        Assert.False(Wif.TryDecode(wif, other, out _, out _));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_bitcoin_core_invalid_strings(string text)
    {
        Assert.False(Wif.TryDecode(text, 128, out _, out _));
        Assert.False(Wif.TryDecode(text, 239, out _, out _));
    }

    [Fact]
    public void Addresses_are_not_keys()
    {
        foreach (var (address, _, _) in KeyIoVectors.PubKeyHash)
        {
            Assert.False(Wif.TryDecode(address, 128, out _, out _));
            Assert.False(Wif.TryDecode(address, 239, out _, out _));
        }
    }

    [Fact]
    public void Refuses_keys_outside_the_curve_order()
    {
        var zero = new byte[32];
        var order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        var orderMinusOne = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140");
        Assert.Throws<ArgumentException>(() => Wif.Encode(zero, true, NetworkParameters.Main));
        Assert.Throws<ArgumentException>(() => Wif.Encode(order, true, NetworkParameters.Main));
        Assert.Throws<ArgumentException>(() => Wif.Encode(new byte[31], true, NetworkParameters.Main));

        // The same payloads built by hand do not decode either.
        Assert.False(Wif.TryDecode(Base58Check.Encode([NetworkParameters.Main.SecretKeyPrefix, .. zero, 1]), NetworkParameters.Main, out _, out _));
        Assert.False(Wif.TryDecode(Base58Check.Encode([NetworkParameters.Main.SecretKeyPrefix, .. order, 1]), NetworkParameters.Main, out _, out _));

        string wif = Wif.Encode(orderMinusOne, true, NetworkParameters.Main);
        Assert.True(Wif.TryDecode(wif, NetworkParameters.Main, out var key, out _));
        Assert.Equal(orderMinusOne, key);
    }

    [Fact]
    public void Rejects_a_compression_flag_other_than_one()
    {
        var key = Convert.FromHexString("ff778740f88ddcf102aeb81daee289c044c4a4571c4b6f287400f4b8e0b843f8");
        string wrongFlag = Base58Check.Encode([128, .. key, 2]);
        Assert.False(Wif.TryDecode(wrongFlag, 128, out _, out _));
    }

    [Fact]
    public void Cascoin_main_keys_use_prefix_188()
    {
        var key = Convert.FromHexString("ff778740f88ddcf102aeb81daee289c044c4a4571c4b6f287400f4b8e0b843f8");
        string wif = Wif.Encode(key, true, NetworkParameters.Main);
        Assert.True(Base58Check.TryDecode(wif, out var payload));
        Assert.Equal(188, payload[0]);
        Assert.False(Wif.TryDecode(wif, NetworkParameters.Test, out _, out _));
    }
}
