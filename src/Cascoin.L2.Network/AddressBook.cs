using System.Net;

namespace Cascoin.L2.Network;

/// <summary>
/// The P2P addresses this node has heard of (from <c>version</c> and <c>addr</c>), bounded: when full,
/// the address heard of longest ago makes room. Outbound slots not taken by -connect/-addnode peers
/// are filled from here, and <c>getaddr</c> is answered from here. Thread-safe.
/// </summary>
public sealed class AddressBook
{
    private readonly Dictionary<IPEndPoint, NetworkAddress> _addresses = [];
    private readonly Lock _lock = new();
    private readonly int _capacity;

    public AddressBook(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _addresses.Count;
        }
    }

    /// <summary>Records <paramref name="address"/>; true when it was not known before (worth passing on), false for a refresh.</summary>
    public bool Add(NetworkAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_lock)
        {
            if (_addresses.TryGetValue(address.EndPoint, out var known))
            {
                if (address.LastSeen > known.LastSeen)
                    _addresses[address.EndPoint] = address;
                return false;
            }
            if (_addresses.Count >= _capacity)
                _addresses.Remove(_addresses.Values.MinBy(a => a.LastSeen)!.EndPoint);
            _addresses[address.EndPoint] = address;
            return true;
        }
    }

    public void Remove(IPEndPoint endPoint)
    {
        lock (_lock)
            _addresses.Remove(endPoint);
    }

    /// <summary>Up to <paramref name="max"/> addresses, the most recently heard of first.</summary>
    public IReadOnlyList<NetworkAddress> Recent(int max)
    {
        lock (_lock)
            return _addresses.Values.OrderByDescending(a => a.LastSeen).Take(max).ToList();
    }
}
