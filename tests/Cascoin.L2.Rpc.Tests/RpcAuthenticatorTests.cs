using System.Text;
using System.Text.RegularExpressions;
using Cascoin.L2.Rpc.Http;

namespace Cascoin.L2.Rpc.Tests;

public partial class RpcAuthenticatorTests
{
    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    [GeneratedRegex("^__cookie__:[0-9a-f]{64}$")]
    private static partial Regex CookiePattern();

    [Fact]
    public void The_right_user_and_password_are_accepted()
    {
        var auth = RpcAuthenticator.FromPassword("alice", "s3cret");
        Assert.Equal("alice", auth.User);
        Assert.True(auth.Check(Basic("alice:s3cret")));
        Assert.True(auth.Check("basic " + Convert.ToBase64String("alice:s3cret"u8)));
        Assert.True(auth.Check(Basic("alice:s3cret") + "  "));
    }

    [Fact]
    public void A_password_may_contain_colons_and_non_ASCII_characters()
    {
        var auth = RpcAuthenticator.FromPassword("bob", "pa:ss:wörd");
        Assert.True(auth.Check(Basic("bob:pa:ss:wörd")));
        Assert.False(auth.Check(Basic("bob:pa:ss")));
    }

    [Theory]
    [InlineData("alice:wrong")]
    [InlineData("alice:s3cret ")]
    [InlineData("alice:S3cret")]
    [InlineData("Alice:s3cret")]
    [InlineData("mallory:s3cret")]
    [InlineData("alice:")]
    [InlineData(":s3cret")]
    [InlineData("alice")]
    [InlineData("")]
    [InlineData("alice:s3cretX")]
    public void Wrong_credentials_are_refused(string userAndPassword) =>
        Assert.False(RpcAuthenticator.FromPassword("alice", "s3cret").Check(Basic(userAndPassword)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic ")]
    [InlineData("Basic !!!not-base64!!!")]
    [InlineData("Basic YWxpY2U6czNjcmV0=")]
    [InlineData("Basic YWxpY2U6czNjcmV")]
    [InlineData("Bearer YWxpY2U6czNjcmV0")]
    [InlineData("Digest username=\"alice\"")]
    [InlineData("YWxpY2U6czNjcmV0")]
    [InlineData("BasicYWxpY2U6czNjcmV0")]
    public void Missing_garbled_or_non_Basic_headers_are_refused(string? header)
    {
        var auth = RpcAuthenticator.FromPassword("alice", "s3cret");
        Assert.True(auth.Check("Basic YWxpY2U6czNjcmV0"), "the valid encoding of alice:s3cret, for contrast");
        Assert.False(auth.Check(header));
    }

    [Fact]
    public void CreateCookie_writes_a_private_random_cookie_that_the_authenticator_accepts()
    {
        var dir = Directory.CreateTempSubdirectory("cascoin-rpc-cookie-");
        try
        {
            var path = Path.Combine(dir.FullName, "regtest", ".cookie");
            var auth = RpcAuthenticator.CreateCookie(path);

            var content = File.ReadAllText(path);
            Assert.Matches(CookiePattern(), content);
            Assert.Equal(RpcAuthenticator.CookieUser, auth.User);
            Assert.True(auth.Check(Basic(content)));
            Assert.False(auth.Check(Basic(content[..^1] + (content[^1] == '0' ? '1' : '0'))));
            Assert.False(File.Exists(path + ".tmp"));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

            // A restart writes a new secret over the old file; the old cookie stops working.
            var again = RpcAuthenticator.CreateCookie(path);
            var newContent = File.ReadAllText(path);
            Assert.Matches(CookiePattern(), newContent);
            Assert.NotEqual(content, newContent);
            Assert.True(again.Check(Basic(newContent)));
            Assert.False(again.Check(Basic(content)));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
