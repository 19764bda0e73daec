using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// An L2 block header (SPEC §5). Its hash (SHA-256d of the encoding) is what sequencers sign.
/// Encoding: number u64 ‖ parent (32) ‖ stateRoot (32) ‖ transactionsRoot (32) ‖ receiptsRoot (32) ‖
/// l1MessagesRoot (32) ‖ sequencer (20) ‖ timestamp ms u64 ‖ gasLimit u64 ‖ gasUsed u64 ‖ baseFee u64 ‖
/// l1AnchorHeight u64 ‖ l1AnchorHash (32) ‖ l1MessagesProcessed u64 ‖ forcedProcessed u64 ‖
/// parentCommitHash (32), integers little-endian.
/// </summary>
/// <remarks>A class, not a record: the hash is cached, and a <c>with</c> copy must never carry a stale one.</remarks>
public sealed class BlockHeader : IEquatable<BlockHeader>
{
    public BlockHeader(ulong number, Hash256 parentHash, Hash256 stateRoot, Hash256 transactionsRoot, Hash256 receiptsRoot,
        Hash256 l1MessagesRoot, Address sequencer, ulong timestamp, ulong gasLimit, ulong gasUsed, ulong baseFee,
        ulong l1AnchorHeight, Hash256 l1AnchorHash, QueueCursor processed = default, Hash256 parentCommitHash = default)
    {
        Number = number;
        ParentHash = parentHash;
        StateRoot = stateRoot;
        TransactionsRoot = transactionsRoot;
        ReceiptsRoot = receiptsRoot;
        L1MessagesRoot = l1MessagesRoot;
        Sequencer = sequencer;
        Timestamp = timestamp;
        GasLimit = gasLimit;
        GasUsed = gasUsed;
        BaseFee = baseFee;
        L1AnchorHeight = l1AnchorHeight;
        L1AnchorHash = l1AnchorHash;
        Processed = processed;
        ParentCommitHash = parentCommitHash;
    }

    public ulong Number { get; }

    public Hash256 ParentHash { get; }

    public Hash256 StateRoot { get; }

    public Hash256 TransactionsRoot { get; }

    public Hash256 ReceiptsRoot { get; }

    public Hash256 L1MessagesRoot { get; }

    /// <summary>The sequencer that produced the block; its fee share goes to this L2 account.</summary>
    public Address Sequencer { get; }

    /// <summary>Milliseconds since the Unix epoch; strictly increasing along the chain.</summary>
    public ulong Timestamp { get; }

    public ulong GasLimit { get; }

    public ulong GasUsed { get; }

    /// <summary>Base fee of this block, sat per gas.</summary>
    public ulong BaseFee { get; }

    /// <summary>The L1 block this block builds on (0 and zero hash until a settlement layer is followed).</summary>
    public ulong L1AnchorHeight { get; }

    public Hash256 L1AnchorHash { get; }

    /// <summary>
    /// The L1 queues' cursor after this block: L1 messages (deposits and messages) and forced
    /// transactions processed since genesis. In the header so that an anchor's certificate covers
    /// what its range consumed, and the L1 never takes a poster's word for it.
    /// </summary>
    public QueueCursor Processed { get; }

    /// <summary>
    /// The hash of the parent's finality certificate this block carries (<see cref="CommitCertificate.Hash"/>;
    /// zero when it carries none): the signers in it share this block's fees, so a relay cannot swap it.
    /// </summary>
    public Hash256 ParentCommitHash { get; }

    public const int EncodedSize = 8 + 32 * 5 + Address.Size + 8 * 5 + 32 + 8 * 2 + 32;

    private Hash256? _hash;

    public Hash256 Hash => _hash ??= new Hash256(Hashes.Sha256d(ToBytes()));

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt64(Number);
        writer.WriteHash256(ParentHash);
        writer.WriteHash256(StateRoot);
        writer.WriteHash256(TransactionsRoot);
        writer.WriteHash256(ReceiptsRoot);
        writer.WriteHash256(L1MessagesRoot);
        writer.WriteAddress(Sequencer);
        writer.WriteUInt64(Timestamp);
        writer.WriteUInt64(GasLimit);
        writer.WriteUInt64(GasUsed);
        writer.WriteUInt64(BaseFee);
        writer.WriteUInt64(L1AnchorHeight);
        writer.WriteHash256(L1AnchorHash);
        writer.WriteUInt64(Processed.L1Messages);
        writer.WriteUInt64(Processed.Forced);
        writer.WriteHash256(ParentCommitHash);
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(EncodedSize);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">on malformed input.</exception>
    public static BlockHeader Read(ref SpanReader reader) => new(
        reader.ReadUInt64(), reader.ReadHash256(), reader.ReadHash256(), reader.ReadHash256(), reader.ReadHash256(),
        reader.ReadHash256(), reader.ReadAddress(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
        reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadHash256(), new QueueCursor(reader.ReadUInt64(), reader.ReadUInt64()),
        reader.ReadHash256());

    /// <summary>Headers are equal when their encodings are, i.e. when their hashes are.</summary>
    public bool Equals(BlockHeader? other) => other is not null && Hash == other.Hash;

    public override bool Equals(object? obj) => Equals(obj as BlockHeader);

    public override int GetHashCode() => Hash.GetHashCode();

    public static bool operator ==(BlockHeader? left, BlockHeader? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(BlockHeader? left, BlockHeader? right) => !(left == right);

    public override string ToString() => $"L2 block {Number} {Hash}";
}
