using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// An L2 block: header, transactions, and the sequencer signatures over the header (the seal).
/// Encoding: header ‖ CompactSize n ‖ n transactions ‖ CompactSize m ‖ m signatures (65 bytes each).
/// The signatures are not part of the header hash: they sign it.
/// </summary>
public sealed class Block
{
    /// <summary>More than a 30 M gas block can hold (30,000,000 / 21,000 = 1,428 transfers); bounds allocation when decoding.</summary>
    public const int MaxTransactions = 100_000;

    public const int MaxSignatures = 1_000;

    private static readonly byte[] SealDomain = "CascoinL2/block/v1"u8.ToArray();

    public Block(BlockHeader header, IReadOnlyList<Transaction> transactions, IReadOnlyList<byte[]> signatures)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(signatures);
        Header = header;
        Transactions = transactions;
        Signatures = signatures;
    }

    public BlockHeader Header { get; }

    public IReadOnlyList<Transaction> Transactions { get; }

    /// <summary>65-byte recoverable signatures over <see cref="SealHash"/>.</summary>
    public IReadOnlyList<byte[]> Signatures { get; }

    public Hash256 Hash => Header.Hash;

    public ulong Number => Header.Number;

    /// <summary>What sequencers sign for a block of chain <paramref name="chainId"/>: SHA-256d(domain ‖ chain id ‖ header hash).</summary>
    public static Hash256 SealHash(ulong chainId, Hash256 headerHash)
    {
        var writer = new SpanWriter(SealDomain.Length + 8 + 32);
        writer.WriteBytes(SealDomain);
        writer.WriteUInt64(chainId);
        writer.WriteHash256(headerHash);
        return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
    }

    /// <summary>The addresses that signed the header, or null when any signature does not recover.</summary>
    public IReadOnlyList<Address>? RecoverSigners(ulong chainId)
    {
        Span<byte> hash = stackalloc byte[32];
        SealHash(chainId, Header.Hash).WriteTo(hash);
        var signers = new List<Address>(Signatures.Count);
        foreach (var bytes in Signatures)
        {
            if (!RecoverableSignature.TryParse(bytes, out var signature) || !signature.TryRecover(hash, out var key))
                return null;
            signers.Add(Address.FromPublicKey(key.AsSpan()));
        }
        return signers;
    }

    public static byte[] Seal(ulong chainId, BlockHeader header, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        SealHash(chainId, header.Hash).WriteTo(hash);
        return key.SignRecoverable(hash).ToArray();
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(BlockHeader.EncodedSize + 16 + Transactions.Sum(t => t.Size) + Signatures.Count * RecoverableSignature.Size);
        Header.WriteTo(writer);
        writer.WriteCompactSize((ulong)Transactions.Count);
        foreach (var transaction in Transactions)
            transaction.WriteTo(writer);
        writer.WriteCompactSize((ulong)Signatures.Count);
        foreach (var signature in Signatures)
            writer.WriteBytes(signature);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">the bytes are not exactly one block.</exception>
    public static Block Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var header = BlockHeader.Read(ref reader);
        var count = (int)reader.ReadCompactSize(MaxTransactions);
        var transactions = new List<Transaction>(Math.Min(count, 4096));
        for (var i = 0; i < count; i++)
            transactions.Add(Transaction.Read(ref reader));
        var signatureCount = (int)reader.ReadCompactSize(MaxSignatures);
        var signatures = new List<byte[]>(signatureCount);
        for (var i = 0; i < signatureCount; i++)
            signatures.Add(reader.ReadBytes(RecoverableSignature.Size));
        reader.EnsureEnd();
        return new Block(header, transactions, signatures);
    }

    public override string ToString() => Header.ToString();
}
