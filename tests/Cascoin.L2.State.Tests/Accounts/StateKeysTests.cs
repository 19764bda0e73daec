using System.Security.Cryptography;
using System.Text;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using FsCheck.Xunit;

namespace Cascoin.L2.State.Tests.Accounts;

/// <summary>Tree keys (doc/state.md, "Keys"): SHA-256 of the address for accounts, SHA-256(tag ‖ 0x00 ‖ id) otherwise.</summary>
[Properties(Arbitrary = new[] { typeof(AccountGenerators) }, MaxTest = 200)]
public class StateKeysTests
{
    [Fact]
    public void Account_key_of_a_known_address()
    {
        // Hash160 of the generator point's compressed key (private key 1).
        var address = new Address(Convert.FromHexString("751e76e8199196d454941c45d1b3a323f1433bd6"));
        Assert.Equal("ffded88409d93ec2a201c95f2a71e7e09e635b3a1aa08012737a10d9503af006", StateKeys.ForAccount(address).ToHex());
    }

    [Property]
    public bool Account_key_is_SHA256_of_the_20_address_bytes(Address address) =>
        StateKeys.ForAccount(address).ToArray().AsSpan().SequenceEqual(SHA256.HashData(address.ToArray()));

    [Fact]
    public void Namespace_key_of_a_known_id()
    {
        var id = Enumerable.Range(0, 52).Select(i => (byte)i).ToArray(); // e.g. address ‖ slot
        Assert.Equal("8ecad5989d79dd604b1c2f40dc9096bf59e25f06f2eddac2379d15b855ff17e7", StateKeys.ForNamespace("storage", id).ToHex());
    }

    [Property]
    public bool Namespace_key_is_SHA256_of_tag_zero_id(byte[] id, bool longTag)
    {
        id ??= [];
        var tag = longTag ? new string('t', StateKeys.MaxTagLength) : "code";
        if (tag.Length + 1 + id.Length == Address.Size)
            id = [.. id, 0xff];
        var expected = SHA256.HashData([.. Encoding.ASCII.GetBytes(tag), 0x00, .. id]);
        return StateKeys.ForNamespace(tag, id).ToArray().AsSpan().SequenceEqual(expected);
    }

    [Fact]
    public void Tag_and_id_boundaries_cannot_be_confused()
    {
        // Without the separator "ab" ‖ "c…" and "abc" ‖ "…" would collide.
        Assert.NotEqual(StateKeys.ForNamespace("ab", "cdefghijklmnopqrstuvwxyz"u8), StateKeys.ForNamespace("abc", "defghijklmnopqrstuvwxyz"u8));
        Assert.NotEqual(StateKeys.ForNamespace("code", []), StateKeys.ForNamespace("storage", []));
    }

    [Theory]
    [InlineData("")]
    [InlineData("t\0g")]
    [InlineData("tag\n")]
    [InlineData("caf\u00e9")]
    [InlineData("\u00ff")]
    public void Bad_tags_are_refused(string tag)
    {
        Assert.Throws<ArgumentException>(() => StateKeys.ForNamespace(tag, [1, 2, 3]));
    }

    [Fact]
    public void Overlong_and_null_tags_are_refused()
    {
        Assert.Throws<ArgumentException>(() => StateKeys.ForNamespace(new string('x', StateKeys.MaxTagLength + 1), [1]));
        Assert.Throws<ArgumentNullException>(() => StateKeys.ForNamespace(null!, [1]));
    }

    [Fact]
    public void A_namespace_preimage_of_address_length_is_refused()
    {
        // "code" ‖ 0x00 ‖ 15 bytes = 20 bytes: could equal an address, so the key could equal an account key.
        Assert.Throws<ArgumentException>(() => StateKeys.ForNamespace("code", new byte[15]));
        _ = StateKeys.ForNamespace("code", new byte[14]);
        _ = StateKeys.ForNamespace("code", new byte[16]);
    }
}
