using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Sequencing.Relay;

/// <summary>
/// Payloads of the settlement-chain relay: <c>l1block</c> (one block), <c>l1tx</c> (one transaction),
/// <c>l1getblocks</c> (a locator: CompactSize count ≤ 101 ‖ hashes) and <c>l1blocks</c> (CompactSize
/// count ≤ <see cref="MaxBlocksPerMessage"/> ‖ CompactSize-length-prefixed blocks).
/// </summary>
public static class L1RelayMessages
{
    public const string Block = "l1block";
    public const string Transaction = "l1tx";
    public const string GetBlocks = "l1getblocks";
    public const string Blocks = "l1blocks";

    public const int MaxLocatorHashes = 101;
    public const int MaxBlocksPerMessage = 200;

    public static byte[] EncodeLocator(IReadOnlyList<Hash256> locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        var writer = new SpanWriter(9 + locator.Count * Hash256.Size);
        writer.WriteCompactSize((ulong)locator.Count);
        foreach (var hash in locator)
            writer.WriteHash256(hash);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a locator.</exception>
    public static IReadOnlyList<Hash256> DecodeLocator(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var count = (int)reader.ReadCompactSize(MaxLocatorHashes);
        var hashes = new List<Hash256>(count);
        for (var i = 0; i < count; i++)
            hashes.Add(reader.ReadHash256());
        reader.EnsureEnd();
        return hashes;
    }

    public static byte[] EncodeBlocks(IReadOnlyList<L1Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var writer = new SpanWriter(1024);
        writer.WriteCompactSize((ulong)blocks.Count);
        foreach (var block in blocks)
            writer.WriteVarBytes(block.ToBytes());
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a list of blocks.</exception>
    public static IReadOnlyList<L1Block> DecodeBlocks(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var count = (int)reader.ReadCompactSize(MaxBlocksPerMessage);
        var blocks = new List<L1Block>(count);
        for (var i = 0; i < count; i++)
            blocks.Add(L1Block.Decode(reader.ReadVarBytes(payload.Length)));
        reader.EnsureEnd();
        return blocks;
    }
}
