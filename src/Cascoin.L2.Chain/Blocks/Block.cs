using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// An L2 block: header, transactions, and its commit certificate: the sequencers' precommits for
/// the header hash at <see cref="CommitRound"/> (<see cref="SignedVote"/>), which a follower checks
/// by itself against the height's sequencer set. Encoding: header ‖ CompactSize n ‖ n transactions
/// ‖ commit round u32 ‖ CompactSize m ‖ m signatures (65 bytes each). The certificate is not part
/// of the header hash: it signs it.
/// </summary>
public sealed class Block
{
    /// <summary>More than a 30 M gas block can hold (30,000,000 / 21,000 = 1,428 transfers); bounds allocation when decoding.</summary>
    public const int MaxTransactions = 100_000;

    public const int MaxSignatures = 1_000;

    public Block(BlockHeader header, IReadOnlyList<Transaction> transactions, IReadOnlyList<byte[]> signatures, int commitRound = 0)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentOutOfRangeException.ThrowIfNegative(commitRound);
        Header = header;
        Transactions = transactions;
        Signatures = signatures;
        CommitRound = commitRound;
    }

    /// <summary>The round whose precommits <see cref="Signatures"/> are.</summary>
    public int CommitRound { get; }

    public BlockHeader Header { get; }

    public IReadOnlyList<Transaction> Transactions { get; }

    /// <summary>65-byte recoverable precommit signatures over <see cref="SealHash"/> of the commit round.</summary>
    public IReadOnlyList<byte[]> Signatures { get; }

    public Hash256 Hash => Header.Hash;

    public ulong Number => Header.Number;

    /// <summary>What a precommit for a block of chain <paramref name="chainId"/> at <paramref name="round"/> signs (<see cref="SignedVote.SigningHash"/>).</summary>
    public static Hash256 SealHash(ulong chainId, BlockHeader header, int round)
    {
        ArgumentNullException.ThrowIfNull(header);
        return SignedVote.SigningHash(chainId, header.Number, round, VoteStep.Precommit, header.Hash);
    }

    /// <summary>The addresses that precommitted the header at the commit round, or null when any signature does not recover.</summary>
    public IReadOnlyList<Address>? RecoverSigners(ulong chainId)
    {
        Span<byte> hash = stackalloc byte[32];
        SealHash(chainId, Header, CommitRound).WriteTo(hash);
        var signers = new List<Address>(Signatures.Count);
        foreach (var bytes in Signatures)
        {
            if (!RecoverableSignature.TryParse(bytes, out var signature) || !signature.TryRecover(hash, out var key))
                return null;
            signers.Add(Address.FromPublicKey(key.AsSpan()));
        }
        return signers;
    }

    /// <summary>A precommit signature for <paramref name="header"/> at <paramref name="round"/> (a single sequencer's block is its own certificate at round 0).</summary>
    public static byte[] Seal(ulong chainId, BlockHeader header, PrivateKey key, int round = 0)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(key);
        return SignedVote.Sign(chainId, header.Number, round, VoteStep.Precommit, header.Hash, key).Signature;
    }

    /// <summary>This block with <paramref name="signatures"/> of <paramref name="round"/> as its certificate.</summary>
    public Block WithCertificate(int round, IReadOnlyList<byte[]> signatures) => new(Header, Transactions, signatures, round);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(BlockHeader.EncodedSize + 20 + Transactions.Sum(t => t.Size) + Signatures.Count * RecoverableSignature.Size);
        Header.WriteTo(writer);
        writer.WriteCompactSize((ulong)Transactions.Count);
        foreach (var transaction in Transactions)
            transaction.WriteTo(writer);
        writer.WriteUInt32((uint)CommitRound);
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
        var commitRound = reader.ReadUInt32();
        if (commitRound > SignedVote.MaxRound)
            throw new DecodeException($"commit round {commitRound} is beyond any failover");
        var signatureCount = (int)reader.ReadCompactSize(MaxSignatures);
        var signatures = new List<byte[]>(signatureCount);
        for (var i = 0; i < signatureCount; i++)
            signatures.Add(reader.ReadBytes(RecoverableSignature.Size));
        reader.EnsureEnd();
        return new Block(header, transactions, signatures, (int)commitRound);
    }

    public override string ToString() => Header.ToString();
}
