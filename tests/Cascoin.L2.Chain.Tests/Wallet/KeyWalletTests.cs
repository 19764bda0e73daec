using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Wallet;

/// <summary>The node's key file: keys survive a restart, WIF import/export round-trips, and the file is private.</summary>
public sealed class KeyWalletTests
{
    private static readonly NetworkParameters Network = NetworkParameters.Regtest;

    [Fact]
    public void A_new_address_is_saved_before_it_is_returned_and_survives_reopening()
    {
        using var directory = TestDirectory.Create("wallet-new");
        var path = directory.Combine("wallets", "wallet.dat");
        Address first, second;
        using (var wallet = KeyWallet.Open(path, Network))
        {
            Assert.Equal(0, wallet.Count);
            Assert.False(File.Exists(path));
            first = wallet.GetNewAddress();
            Assert.True(File.Exists(path));
            second = wallet.GetNewAddress();
            Assert.NotEqual(first, second);
            Assert.Equal(TestKeys.AddressOf(wallet.GetKey(first)!), first);
        }
        using (var reopened = KeyWallet.Open(path, Network))
        {
            Assert.Equal(new[] { first, second }, reopened.Addresses);
            Assert.Equal(first, TestKeys.AddressOf(reopened.GetKey(first)!));
            Assert.Equal(second, TestKeys.AddressOf(reopened.GetKey(second)!));
        }
        Assert.False(File.Exists(path + ".tmp"));
        directory.Succeeded();
    }

    [Fact]
    public void Import_and_dump_round_trip_and_importing_twice_changes_nothing()
    {
        var key = TestKeys.Key(500);
        var expected = TestKeys.AddressOf(key);
        var wif = Wif.Encode(key.ToArray(), compressed: true, Network);
        using var directory = TestDirectory.Create("wallet-import");
        var path = directory.Combine("wallet.dat");
        using (var wallet = KeyWallet.Open(path, Network))
        {
            Assert.Null(wallet.DumpPrivateKey(expected));
            Assert.True(wallet.TryImport(wif, out var address));
            Assert.Equal(expected, address);
            Assert.Equal(wif, wallet.DumpPrivateKey(expected));
            Assert.True(wallet.TryImport(wif, out var again));
            Assert.Equal(expected, again);
            Assert.Equal(1, wallet.Count);
            // A dumped new key imports into another wallet as the same address.
            var fresh = wallet.GetNewAddress();
            using var other = KeyWallet.Open(directory.Combine("other.dat"), Network);
            Assert.True(other.TryImport(wallet.DumpPrivateKey(fresh)!, out var copied));
            Assert.Equal(fresh, copied);
        }
        using (var reopened = KeyWallet.Open(path, Network))
        {
            Assert.Equal(wif, reopened.DumpPrivateKey(expected));
            Assert.Equal(2, reopened.Count);
        }
        directory.Succeeded();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a key")]
    [InlineData("0c28fca386c7a227600b2fe50b7cae11ec86d3bf1fbe471be89827e19d72aa1d")]
    [InlineData("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dJ1W5ZPZ9Fp7UChAk")]
    public void Text_that_is_not_a_WIF_key_of_this_network_is_refused(string text)
    {
        using var directory = TestDirectory.Create("wallet-bad-wif");
        using (var wallet = KeyWallet.Open(directory.Combine("wallet.dat"), Network))
        {
            Assert.False(wallet.TryImport(text, out _));
            Assert.Equal(0, wallet.Count);
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_key_of_another_network_or_with_a_broken_checksum_is_refused()
    {
        var key = TestKeys.Key(501).ToArray();
        var mainnet = Wif.Encode(key, compressed: true, NetworkParameters.Main);
        var regtest = Wif.Encode(key, compressed: true, Network);
        var broken = regtest[..^1] + (regtest[^1] == 'a' ? 'b' : 'a');
        using var directory = TestDirectory.Create("wallet-other-network");
        using (var wallet = KeyWallet.Open(directory.Combine("wallet.dat"), Network))
        {
            Assert.False(wallet.TryImport(mainnet, out _));
            Assert.False(wallet.TryImport(broken, out _));
            Assert.True(wallet.TryImport(regtest, out _));
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_wallet_file_with_a_bad_line_does_not_open()
    {
        using var directory = TestDirectory.Create("wallet-bad-file");
        var path = directory.Combine("wallet.dat");
        using (var wallet = KeyWallet.Open(path, Network))
            wallet.GetNewAddress();
        File.AppendAllText(path, "garbage\n");
        var error = Assert.Throws<InvalidDataException>(() => KeyWallet.Open(path, Network));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        directory.Succeeded();
    }

    [Fact]
    public void The_file_is_readable_and_writable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var directory = TestDirectory.Create("wallet-mode");
        var path = directory.Combine("wallet.dat");
        using (var wallet = KeyWallet.Open(path, Network))
        {
            wallet.GetNewAddress();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.True(wallet.TryImport(Wif.Encode(TestKeys.Key(502).ToArray(), compressed: true, Network), out _));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        directory.Succeeded();
    }
}
