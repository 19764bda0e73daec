using System.Security.Cryptography;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Node.Hosting;

/// <summary>
/// The key this node signs blocks with, in <c>&lt;datadir&gt;/&lt;network&gt;/sequencer.key</c> (one WIF line,
/// owner-only). Created on first start, written through a temporary file and a rename.
/// </summary>
public static class SequencerKeyFile
{
    public static PrivateKey LoadOrCreate(string path, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(network);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (!Wif.TryDecode(text, network, out var bytes, out _) || PrivateKey.FromBytes(bytes) is not { } existing)
                throw new NodeStartupException($"{path} does not hold a {network.Name} WIF private key; restore it from a backup or delete it to make a new sequencer identity");
            CryptographicOperations.ZeroMemory(bytes);
            return existing;
        }
        var key = PrivateKey.Generate();
        var secret = key.ToArray();
        try
        {
            var temporary = path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.WriteLine(Wif.Encode(secret, compressed: true, network));
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
        return key;
    }
}
