using System.Security.Cryptography;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Wallet;

/// <summary>
/// The node's keys (getnewaddress, importprivkey, dumpprivkey, l2_sendtransaction). Kept in one
/// file of WIF lines, readable by the node's user only; every change rewrites it through a
/// temporary file and a rename, so a crash leaves the old or the new file, never half of one.
/// Keys are not encrypted: like an unencrypted bitcoind wallet, protect the data directory.
/// </summary>
public sealed class KeyWallet : IDisposable
{
    private readonly string _path;
    private readonly NetworkParameters _network;
    private readonly Lock _lock = new();
    private readonly Dictionary<Address, PrivateKey> _keys = [];
    private readonly List<Address> _order = [];
    private readonly HashSet<Address> _unsaved = [];

    private KeyWallet(string path, NetworkParameters network)
    {
        _path = path;
        _network = network;
    }

    /// <summary>Opens the wallet at <paramref name="path"/>, creating it empty when absent.</summary>
    /// <exception cref="InvalidDataException">a line is not a WIF key of this network.</exception>
    public static KeyWallet Open(string path, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(network);
        var wallet = new KeyWallet(path, network);
        if (File.Exists(path))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                var text = line.Trim();
                if (text.Length == 0 || text.StartsWith('#'))
                    continue;
                if (!Wif.TryDecode(text, network, out var bytes, out _) || PrivateKey.FromBytes(bytes) is not { } key)
                    throw new InvalidDataException($"wallet file {path}, line {lineNumber}: not a {network.Name} WIF private key");
                CryptographicOperations.ZeroMemory(bytes);
                wallet.AddLocked(key);
            }
        }
        return wallet;
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _keys.Count;
        }
    }

    public IReadOnlyList<Address> Addresses
    {
        get
        {
            lock (_lock)
                return _order.ToList();
        }
    }

    /// <summary>A new random key, saved before its address is returned.</summary>
    public Address GetNewAddress()
    {
        lock (_lock)
        {
            var address = AddLocked(PrivateKey.Generate());
            SaveLocked();
            return address;
        }
    }

    /// <summary>Adds a WIF key; false when the text is not a WIF key of this network. Importing a known key changes nothing.</summary>
    public bool TryImport(string wif, out Address address)
    {
        address = default;
        if (!Wif.TryDecode(wif, _network, out var bytes, out _))
            return false;
        var key = PrivateKey.FromBytes(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        if (key is null)
            return false;
        lock (_lock)
        {
            address = Address.FromPublicKey(key.PublicKey.AsSpan());
            if (_keys.ContainsKey(address))
            {
                key.Dispose();
                return true;
            }
            AddLocked(key);
            SaveLocked();
            return true;
        }
    }

    /// <summary>Makes a key usable by wallet calls without writing it to the wallet file (the node's sequencer key, kept in its own file).</summary>
    public void AddUnsaved(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            var address = Address.FromPublicKey(key.PublicKey.AsSpan());
            if (_keys.ContainsKey(address))
                return;
            AddLocked(key);
            _unsaved.Add(address);
        }
    }

    public PrivateKey? GetKey(Address address)
    {
        lock (_lock)
            return _keys.GetValueOrDefault(address);
    }

    /// <summary>The WIF of the key for <paramref name="address"/>, or null when the wallet does not hold it.</summary>
    public string? DumpPrivateKey(Address address)
    {
        lock (_lock)
        {
            if (!_keys.TryGetValue(address, out var key))
                return null;
            var bytes = key.ToArray();
            try
            {
                return Wif.Encode(bytes, compressed: true, _network);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
    }

    private Address AddLocked(PrivateKey key)
    {
        var address = Address.FromPublicKey(key.PublicKey.AsSpan());
        if (_keys.TryAdd(address, key))
            _order.Add(address);
        return address;
    }

    private void SaveLocked()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_path))!;
        Directory.CreateDirectory(directory);
        var temporary = _path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine("# cascoind wallet: one WIF private key per line. Anyone who reads this file can spend these funds.");
            foreach (var address in _order.Where(a => !_unsaved.Contains(a)))
                writer.WriteLine(DumpLocked(address));
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
    }

    private string DumpLocked(Address address)
    {
        var bytes = _keys[address].ToArray();
        try
        {
            return Wif.Encode(bytes, compressed: true, _network);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            // Unsaved keys belong to their owner (the node's sequencer key service), which disposes them.
            foreach (var (address, key) in _keys)
            {
                if (!_unsaved.Contains(address))
                    key.Dispose();
            }
            _keys.Clear();
            _order.Clear();
        }
    }
}
