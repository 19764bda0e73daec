using System.Security.Cryptography;
using System.Text;

namespace Cascoin.L2.Rpc.Http;

/// <summary>
/// Checks HTTP basic credentials against -rpcuser/-rpcpassword or the cookie, in constant time.
/// The cookie (<c>__cookie__:&lt;64 hex&gt;</c>) is written at start-up with owner-only permissions
/// and deleted at shutdown, exactly as bitcoind does, so stock clients find it.
/// </summary>
public sealed class RpcAuthenticator
{
    public const string CookieUser = "__cookie__";

    private readonly byte[] _expected;

    private RpcAuthenticator(string user, string password)
    {
        _expected = Encoding.UTF8.GetBytes(user + ":" + password);
        User = user;
    }

    public string User { get; }

    public static RpcAuthenticator FromPassword(string user, string password) => new(user, password);

    /// <summary>Creates a fresh random cookie, writes it to <paramref name="path"/> and returns its authenticator.</summary>
    public static RpcAuthenticator CreateCookie(string path)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        // Write to a temporary name and rename, so a client never reads half a cookie.
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            stream.Write(Encoding.ASCII.GetBytes(CookieUser + ":" + secret));
        }
        File.Move(temporary, path, overwrite: true);
        return new RpcAuthenticator(CookieUser, secret);
    }

    /// <summary>True when the Authorization header carries the right user and password.</summary>
    public bool Check(string? authorizationHeader)
    {
        const string prefix = "Basic ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        byte[] given;
        try
        {
            given = Convert.FromBase64String(authorizationHeader[prefix.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, _expected);
    }
}
