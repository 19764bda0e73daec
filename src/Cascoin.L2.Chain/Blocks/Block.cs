using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// An L2 block: header, transactions, and its commit certificate: the sequencers' precommits for
/// the header hash at <see cref="CommitRound"/> (<see cref="SignedVote"/>), which a follower checks
/// by itself against the height's sequencer set; and the parent's certificate
/// (<see cref="ParentCommit"/>), whose signers share this block's fees. Encoding: header ‖ CompactSize n
/// ‖ n transactions ‖ certificate ‖ parent's certificate (each <see cref="CommitCertificate"/>). The
/// block's own certificate is not part of the header hash: it signs it; the parent's is, by
/// <see cref="BlockHeader.ParentCommitHash"/>.
/// </summary>
public sealed class Block
{
    /// <summary>More than a 30 M gas block can hold (30,000,000 / 21,000 = 1,428 transfers); bounds allocation when decoding.</summary>
    public const int MaxTransactions = 100_000;

    public const int MaxSignatures = 1_000;

    public Block(BlockHeader header, IReadOnlyList<Transaction> transactions, IReadOnlyList<byte[]> signatures, int commitRound = 0,
        CommitCertificate? parentCommit = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentOutOfRangeException.ThrowIfNegative(commitRound);
        Header = header;
        Transactions = transactions;
        Signatures = signatures;
        CommitRound = commitRound;
        ParentCommit = parentCommit ?? CommitCertificate.Empty;
    }

    /// <summary>The parent's finality certificate as this block carries it (empty for block 1 and on chains without a sequencer set).</summary>
    public CommitCertificate ParentCommit { get; }

    /// <summary>This block's own finality certificate.</summary>
    public CommitCertificate Certificate => new(CommitRound, Signatures);

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
    public IReadOnlyList<Address>? RecoverSigners(ulong chainId) => Certificate.RecoverSigners(chainId, Header);

    /// <summary>A precommit signature for <paramref name="header"/> at <paramref name="round"/> (a single sequencer's block is its own certificate at round 0).</summary>
    public static byte[] Seal(ulong chainId, BlockHeader header, PrivateKey key, int round = 0)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(key);
        return SignedVote.Sign(chainId, header.Number, round, VoteStep.Precommit, header.Hash, key).Signature;
    }

    /// <summary>This block with <paramref name="signatures"/> of <paramref name="round"/> as its certificate.</summary>
    public Block WithCertificate(int round, IReadOnlyList<byte[]> signatures) => new(Header, Transactions, signatures, round, ParentCommit);

    /// <summary>This block with other transaction objects (the same transactions, e.g. the mempool's copies that know their senders).</summary>
    public Block WithTransactions(IReadOnlyList<Transaction> transactions) => new(Header, transactions, Signatures, CommitRound, ParentCommit);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(BlockHeader.EncodedSize + 30 + Transactions.Sum(t => t.Size) + (Signatures.Count + ParentCommit.Signatures.Count) * RecoverableSignature.Size);
        Header.WriteTo(writer);
        writer.WriteCompactSize((ulong)Transactions.Count);
        foreach (var transaction in Transactions)
            transaction.WriteTo(writer);
        Certificate.WriteTo(writer);
        ParentCommit.WriteTo(writer);
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
        var certificate = CommitCertificate.Read(ref reader);
        var parentCommit = CommitCertificate.Read(ref reader);
        reader.EnsureEnd();
        return new Block(header, transactions, certificate.Signatures, certificate.Round, parentCommit);
    }

    public override string ToString() => Header.ToString();
}
