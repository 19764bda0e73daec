using System.Net;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Network;

/// <summary>A node's P2P address as gossiped: where it listens, what it serves, and when it was last heard of (Unix seconds).</summary>
public sealed record NetworkAddress(IPEndPoint EndPoint, NodeServices Services, long LastSeen);

/// <summary>
/// The <c>addr</c> payload (SPEC §8): CompactSize n (at most <see cref="MaxEntries"/>) ‖ n × (last seen
/// i64 ‖ services u64 ‖ IPv6 address, IPv4 mapped (16) ‖ port u16), integers little-endian. The reply
/// to <c>getaddr</c>, and how a node that just connected is made known to others.
/// </summary>
public static class AddressMessage
{
    public const int MaxEntries = 1000;
    private const int EntrySize = 8 + 8 + 16 + 2;

    public static byte[] Encode(IReadOnlyCollection<NetworkAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(addresses.Count, MaxEntries);
        var writer = new SpanWriter(9 + addresses.Count * EntrySize);
        writer.WriteCompactSize((ulong)addresses.Count);
        foreach (var address in addresses)
        {
            writer.WriteInt64(address.LastSeen);
            writer.WriteUInt64((ulong)address.Services);
            writer.WriteBytes(address.EndPoint.Address.MapToIPv6().GetAddressBytes());
            writer.WriteUInt16((ushort)address.EndPoint.Port);
        }
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">more than <see cref="MaxEntries"/> entries, port 0, or a malformed payload.</exception>
    public static IReadOnlyList<NetworkAddress> Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var count = (int)reader.ReadCompactSize(MaxEntries);
        var addresses = new List<NetworkAddress>(count);
        for (var i = 0; i < count; i++)
        {
            var lastSeen = reader.ReadInt64();
            var services = (NodeServices)reader.ReadUInt64();
            var ip = new IPAddress(reader.ReadBytes(16));
            var port = reader.ReadUInt16();
            if (port == 0)
                throw new DecodeException($"address {i} has port 0");
            addresses.Add(new NetworkAddress(new IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, port), services, lastSeen));
        }
        reader.EnsureEnd();
        return addresses;
    }
}
