using System.Net;
using System.Net.Sockets;

namespace Cascoin.L2.Rpc.Http;

/// <summary>
/// Which client addresses may use RPC (-rpcallowip): single addresses, CIDR (<c>10.0.0.0/8</c>) or
/// address/netmask (<c>10.0.0.0/255.0.0.0</c>). Loopback is always allowed, like bitcoind.
/// </summary>
public sealed class RpcAllowList
{
    private readonly List<(IPAddress Network, int PrefixLength)> _subnets = [];

    public RpcAllowList(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
            _subnets.Add(ParseSubnet(entry));
    }

    /// <summary>Parses one -rpcallowip value; throws FormatException naming it when malformed.</summary>
    public static (IPAddress Network, int PrefixLength) ParseSubnet(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
            throw new FormatException($"invalid -rpcallowip subnet '{entry}': '{addressText}' is not an IP address");
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
            return (address, bits);
        var suffix = entry[(slash + 1)..];
        if (int.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            if (prefix > bits)
                throw new FormatException($"invalid -rpcallowip subnet '{entry}': prefix length {prefix} exceeds {bits}");
            return (address, prefix);
        }
        if (IPAddress.TryParse(suffix, out var mask) && mask.AddressFamily == address.AddressFamily && TryMaskToPrefix(mask, out prefix))
            return (address, prefix);
        throw new FormatException($"invalid -rpcallowip subnet '{entry}': '{suffix}' is neither a prefix length nor a netmask");
    }

    private static bool TryMaskToPrefix(IPAddress mask, out int prefix)
    {
        prefix = 0;
        var seenZero = false;
        foreach (var b in mask.GetAddressBytes())
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                var set = (b >> bit & 1) == 1;
                if (set && seenZero)
                    return false;
                if (set)
                    prefix++;
                else
                    seenZero = true;
            }
        }
        return true;
    }

    public bool IsAllowed(IPAddress? remote)
    {
        if (remote is null)
            return false;
        if (remote.IsIPv4MappedToIPv6)
            remote = remote.MapToIPv4();
        if (IPAddress.IsLoopback(remote))
            return true;
        foreach (var (network, prefixLength) in _subnets)
        {
            if (Matches(network, prefixLength, remote))
                return true;
        }
        return false;
    }

    private static bool Matches(IPAddress network, int prefixLength, IPAddress remote)
    {
        if (network.AddressFamily != remote.AddressFamily)
            return false;
        var a = network.GetAddressBytes();
        var b = remote.GetAddressBytes();
        var fullBytes = prefixLength / 8;
        for (var i = 0; i < fullBytes; i++)
        {
            if (a[i] != b[i])
                return false;
        }
        var rest = prefixLength % 8;
        if (rest == 0)
            return true;
        var mask = (byte)(0xff << (8 - rest));
        return (a[fullBytes] & mask) == (b[fullBytes] & mask);
    }
}
