using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Transactions;

/// <summary>How a <see cref="Decryption"/> opens its envelope.</summary>
public enum DecryptionMode : byte
{
    /// <summary>The combined secret S (33 bytes): the envelope's key commitment proves it is the key.</summary>
    Secret = 0,

    /// <summary>
    /// t decryption shares, each with its proof against its member's verification key: the secret they
    /// give does not match the envelope's key commitment (its sender wrote a false one), so it opens to nothing.
    /// </summary>
    Shares = 1,
}

/// <summary>
/// The system transaction that opens an ordered envelope (doc/encrypted-mempool.md): block N + 1
/// begins with one per envelope of the blocks before it, in the order they were ordered, and each
/// executes its envelope's contents. Made by the leader from the sequencers' shares; every validator
/// checks it without shares (the key commitment), and so does the one-step proof of a fraud game.
/// Data: envelope sequence u64 ‖ mode u8 ‖ secret 33 | CompactSize k ‖ k × share (<see cref="ThresholdEncryption.ShareSize"/>),
/// little-endian. Nonce, to, value, fees and gas are zero; it carries no signature.
/// </summary>
public static class Decryption
{
    public static Transaction WithSecret(ulong chainId, ulong sequence, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var writer = new SpanWriter(9 + secret.Length);
        writer.WriteUInt64(sequence);
        writer.WriteByte((byte)DecryptionMode.Secret);
        writer.WriteBytes(secret);
        return Create(chainId, writer.ToArray());
    }

    public static Transaction WithShares(ulong chainId, ulong sequence, IReadOnlyList<byte[]> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var writer = new SpanWriter(18 + shares.Count * ThresholdEncryption.ShareSize);
        writer.WriteUInt64(sequence);
        writer.WriteByte((byte)DecryptionMode.Shares);
        writer.WriteCompactSize((ulong)shares.Count);
        foreach (var share in shares)
            writer.WriteBytes(share);
        return Create(chainId, writer.ToArray());
    }

    /// <exception cref="DecodeException">the data is not a decryption's.</exception>
    public static (ulong Sequence, DecryptionMode Mode, byte[] Secret, IReadOnlyList<byte[]> Shares) Parse(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var reader = new SpanReader(transaction.Data);
        var sequence = reader.ReadUInt64();
        var mode = reader.ReadByte();
        (ulong, DecryptionMode, byte[], IReadOnlyList<byte[]>) parsed = mode switch
        {
            (byte)DecryptionMode.Secret => (sequence, DecryptionMode.Secret, reader.ReadBytes(33), []),
            (byte)DecryptionMode.Shares => (sequence, DecryptionMode.Shares, [], ReadShares(ref reader)),
            _ => throw new DecodeException($"unknown decryption mode {mode}"),
        };
        reader.EnsureEnd();
        return parsed;
    }

    private static List<byte[]> ReadShares(ref SpanReader reader)
    {
        var count = (int)reader.ReadCompactSize(ThresholdKey.MaxMembers);
        var shares = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
            shares.Add(reader.ReadBytes(ThresholdEncryption.ShareSize));
        return shares;
    }

    private static Transaction Create(ulong chainId, byte[] data) =>
        Transaction.CreateUnsigned(TransactionType.Decryption, chainId, 0, Address.Zero, Amount.Zero, 0, 0, 0, data);
}
