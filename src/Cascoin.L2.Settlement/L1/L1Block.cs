using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// An L1 block header: height u64 ‖ parent (32) ‖ stateRoot (32) ‖ transactionsRoot (32) ‖
/// timestamp ms u64 ‖ miner (20) ‖ bits u32 ‖ nonce u64. Its hash is SHA-256d of these bytes and
/// must meet the target of <see cref="Bits"/> (<see cref="L1ProofOfWork"/>); the valid chain with
/// the most work wins.
/// </summary>
public sealed class L1BlockHeader : IEquatable<L1BlockHeader>
{
    public const int EncodedSize = 8 + 32 * 3 + 8 + Address.Size + 4 + 8;

    private Hash256? _hash;

    public L1BlockHeader(ulong height, Hash256 parentHash, Hash256 stateRoot, Hash256 transactionsRoot, ulong timestamp, Address miner, uint bits, ulong nonce)
    {
        Height = height;
        ParentHash = parentHash;
        StateRoot = stateRoot;
        TransactionsRoot = transactionsRoot;
        Timestamp = timestamp;
        Miner = miner;
        Bits = bits;
        Nonce = nonce;
    }

    public ulong Height { get; }
    public Hash256 ParentHash { get; }
    public Hash256 StateRoot { get; }
    public Hash256 TransactionsRoot { get; }

    /// <summary>Milliseconds since the Unix epoch.</summary>
    public ulong Timestamp { get; }

    /// <summary>Receives the fees now and the block reward at maturity.</summary>
    public Address Miner { get; }

    /// <summary>The compact target the hash must meet (the network's; regtest never retargets).</summary>
    public uint Bits { get; }

    public ulong Nonce { get; }

    /// <summary>Whether the hash meets <see cref="Bits"/>.</summary>
    public bool HasProofOfWork => L1ProofOfWork.Meets(Hash, Bits);

    /// <summary>
    /// The header with the first nonce from <paramref name="header"/>'s on whose hash meets its bits
    /// (at regtest's target about every second one does).
    /// </summary>
    /// <exception cref="ArgumentException">its bits encode no valid target (no nonce would ever do).</exception>
    public static L1BlockHeader Solve(L1BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (L1ProofOfWork.Target(header.Bits) is null)
            throw new ArgumentException($"bits {header.Bits:x8} encode no valid target", nameof(header));
        for (var nonce = header.Nonce; ; nonce++)
        {
            var candidate = new L1BlockHeader(header.Height, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.Timestamp, header.Miner, header.Bits, nonce);
            if (candidate.HasProofOfWork)
                return candidate;
        }
    }

    public Hash256 Hash => _hash ??= new Hash256(Hashes.Sha256d(ToBytes()));

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt64(Height);
        writer.WriteHash256(ParentHash);
        writer.WriteHash256(StateRoot);
        writer.WriteHash256(TransactionsRoot);
        writer.WriteUInt64(Timestamp);
        writer.WriteAddress(Miner);
        writer.WriteUInt32(Bits);
        writer.WriteUInt64(Nonce);
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(EncodedSize);
        WriteTo(writer);
        return writer.ToArray();
    }

    public static L1BlockHeader Read(ref SpanReader reader) =>
        new(reader.ReadUInt64(), reader.ReadHash256(), reader.ReadHash256(), reader.ReadHash256(), reader.ReadUInt64(), reader.ReadAddress(), reader.ReadUInt32(), reader.ReadUInt64());

    public bool Equals(L1BlockHeader? other) => other is not null && Hash == other.Hash;

    public override bool Equals(object? obj) => Equals(obj as L1BlockHeader);

    public override int GetHashCode() => Hash.GetHashCode();

    public static bool operator ==(L1BlockHeader? left, L1BlockHeader? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(L1BlockHeader? left, L1BlockHeader? right) => !(left == right);
}

/// <summary>An L1 block: header and transactions. Encoding: header ‖ CompactSize n ‖ n transactions.</summary>
public sealed class L1Block
{
    public const int MaxTransactions = 50_000;

    public L1Block(L1BlockHeader header, IReadOnlyList<L1Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(transactions);
        Header = header;
        Transactions = transactions;
    }

    public L1BlockHeader Header { get; }

    public IReadOnlyList<L1Transaction> Transactions { get; }

    public Hash256 Hash => Header.Hash;

    /// <summary>The encoded size in bytes.</summary>
    public long Size => L1BlockHeader.EncodedSize + 9 + Transactions.Sum(t => (long)t.Size);

    public ulong Height => Header.Height;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(L1BlockHeader.EncodedSize + 9 + Transactions.Sum(t => t.Size));
        Header.WriteTo(writer);
        writer.WriteCompactSize((ulong)Transactions.Count);
        foreach (var transaction in Transactions)
            transaction.WriteTo(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">the bytes are not exactly one block.</exception>
    public static L1Block Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var header = L1BlockHeader.Read(ref reader);
        var count = (int)reader.ReadCompactSize(MaxTransactions);
        var transactions = new List<L1Transaction>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
            transactions.Add(L1Transaction.Read(ref reader));
        reader.EnsureEnd();
        return new L1Block(header, transactions);
    }
}
