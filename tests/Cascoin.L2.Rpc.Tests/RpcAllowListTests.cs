using System.Net;
using Cascoin.L2.Rpc.Http;

namespace Cascoin.L2.Rpc.Tests;

public class RpcAllowListTests
{
    private static bool Allowed(string remote, params string[] entries) => new RpcAllowList(entries).IsAllowed(IPAddress.Parse(remote));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.4.5.6")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Loopback_is_always_allowed_even_with_an_empty_list(string remote)
    {
        Assert.True(Allowed(remote));
        Assert.True(Allowed(remote, "10.0.0.0/8"));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("2001:db8::1")]
    [InlineData("0.0.0.0")]
    public void An_empty_list_allows_nothing_but_loopback(string remote) => Assert.False(Allowed(remote));

    [Fact]
    public void A_missing_remote_address_is_refused() => Assert.False(new RpcAllowList(["0.0.0.0/0", "::/0"]).IsAllowed(null));

    [Theory]
    [InlineData("192.168.1.5", true)]
    [InlineData("192.168.1.6", false)]
    [InlineData("192.168.1.4", false)]
    [InlineData("::ffff:192.168.1.5", true)]
    public void A_single_IPv4_address_allows_only_itself(string remote, bool allowed) =>
        Assert.Equal(allowed, Allowed(remote, "192.168.1.5"));

    [Theory]
    [InlineData("2001:db8::5", true)]
    [InlineData("2001:db8::6", false)]
    public void A_single_IPv6_address_allows_only_itself(string remote, bool allowed) =>
        Assert.Equal(allowed, Allowed(remote, "2001:db8::5"));

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("192.168.1.0/25", "192.168.1.127", true)]
    [InlineData("192.168.1.0/25", "192.168.1.128", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("192.168.1.77/24", "192.168.1.200", true)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("203.0.113.9/32", "203.0.113.9", true)]
    [InlineData("203.0.113.9/32", "203.0.113.8", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    public void IPv4_CIDR_matches_the_first_prefix_bits(string entry, string remote, bool allowed) =>
        Assert.Equal(allowed, Allowed(remote, entry));

    [Theory]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("fe80::/10", "febf:ffff::1", true)]
    [InlineData("fe80::/10", "fec0::", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8::1/128", "2001:db8::2", false)]
    public void IPv6_CIDR_matches_the_first_prefix_bits(string entry, string remote, bool allowed) =>
        Assert.Equal(allowed, Allowed(remote, entry));

    [Theory]
    [InlineData("10.1.0.0/255.255.0.0", "10.1.200.3", true)]
    [InlineData("10.1.0.0/255.255.0.0", "10.2.0.1", false)]
    [InlineData("192.168.1.0/255.255.255.128", "192.168.1.100", true)]
    [InlineData("192.168.1.0/255.255.255.128", "192.168.1.200", false)]
    [InlineData("192.168.1.9/255.255.255.255", "192.168.1.9", true)]
    [InlineData("0.0.0.0/0.0.0.0", "198.51.100.1", true)]
    [InlineData("2001:db8::/ffff:ffff::", "2001:db8:1::1", true)]
    [InlineData("2001:db8::/ffff:ffff::", "2001:db9::1", false)]
    public void A_netmask_works_like_the_equivalent_prefix_length(string entry, string remote, bool allowed) =>
        Assert.Equal(allowed, Allowed(remote, entry));

    [Theory]
    [InlineData("10.1.0.0/255.255.0.0", 16)]
    [InlineData("10.1.0.0/16", 16)]
    [InlineData("10.1.0.0/255.255.255.128", 25)]
    [InlineData("10.1.0.0", 32)]
    [InlineData("2001:db8::", 128)]
    [InlineData("2001:db8::/ffff:ffff:ffff::", 48)]
    public void ParseSubnet_reports_the_prefix_length(string entry, int prefix) =>
        Assert.Equal(prefix, RpcAllowList.ParseSubnet(entry).PrefixLength);

    [Theory]
    [InlineData("0.0.0.0/0", "2001:db8::1")]
    [InlineData("::/0", "10.0.0.1")]
    [InlineData("10.0.0.1", "::ffff:10.0.0.2")]
    public void A_subnet_never_matches_an_address_of_the_other_family(string entry, string remote) =>
        Assert.False(Allowed(remote, entry));

    [Fact]
    public void Any_matching_entry_of_several_allows()
    {
        var list = new RpcAllowList(["10.0.0.0/8", "2001:db8::/32", "192.168.7.7"]);
        Assert.True(list.IsAllowed(IPAddress.Parse("10.9.9.9")));
        Assert.True(list.IsAllowed(IPAddress.Parse("2001:db8::9")));
        Assert.True(list.IsAllowed(IPAddress.Parse("192.168.7.7")));
        Assert.False(list.IsAllowed(IPAddress.Parse("192.168.7.8")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("300.1.1.1")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/abc")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/255.0.255.0")]
    [InlineData("10.0.0.0/255.255.255.1")]
    [InlineData("10.0.0.0/ffff::")]
    [InlineData("2001:db8::/255.255.0.0")]
    [InlineData("/8")]
    public void A_malformed_entry_is_a_FormatException_naming_it(string entry)
    {
        var ex = Assert.Throws<FormatException>(() => new RpcAllowList(["10.0.0.1", entry]));
        Assert.Contains($"'{entry}'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => RpcAllowList.ParseSubnet(entry));
    }
}
