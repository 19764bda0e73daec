using System.Buffers.Binary;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Storage;

namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>
/// This sequencer's shares of epoch keys, in the node database (<see cref="DbColumn.EpochKeyShares"/>),
/// by chain, epoch and set height (two runs of one epoch make two different keys; the record on L1
/// names the one that counts). A share is written before the member signs its key, so a restart
/// never leaves a committed key without this member's share.
/// </summary>
public sealed class EpochShareStore(NodeDatabase database)
{
    private const int ValueSize = 2 + 32;

    public void Put(ulong chainId, ulong epoch, ulong setHeight, KeyShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        var value = new byte[ValueSize];
        BinaryPrimitives.WriteUInt16BigEndian(value, checked((ushort)share.Index));
        share.Secret.CopyTo(value, 2);
        database.Put(DbColumn.EpochKeyShares, Key(chainId, epoch, setHeight), value);
    }

    /// <summary>The share of the run (chain, epoch, set height), or null when this node computed none.</summary>
    public KeyShare? Get(ulong chainId, ulong epoch, ulong setHeight) =>
        database.Get(DbColumn.EpochKeyShares, Key(chainId, epoch, setHeight)) is { Length: ValueSize } value
            ? new KeyShare(BinaryPrimitives.ReadUInt16BigEndian(value), value[2..])
            : null;

    private static byte[] Key(ulong chainId, ulong epoch, ulong setHeight)
    {
        var key = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(key, chainId);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(8), epoch);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(16), setHeight);
        return key;
    }
}
