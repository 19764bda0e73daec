using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.TestKit;

/// <summary>
/// Keys derived from a domain and a number, so a generated case names keys by number and replays
/// exactly. Created once per process and never disposed (tests share them).
/// </summary>
public sealed class DeterministicKeys(string domain)
{
    private readonly ConcurrentDictionary<int, PrivateKey> _keys = new();

    public PrivateKey Key(int index) =>
        _keys.GetOrAdd(index, i => PrivateKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes($"{domain}-{i}")))
            ?? throw new InvalidOperationException($"test key {domain}-{i} is not a valid secp256k1 key"));

    public static Address AddressOf(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Address.FromPublicKey(key.PublicKey.AsSpan());
    }
}
