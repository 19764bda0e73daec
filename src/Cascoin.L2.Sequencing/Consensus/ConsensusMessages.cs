using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>
/// The sequencer network's P2P commands: <c>l2propose</c> (chain id u64 ‖ round u32 ‖ block with its
/// producer's seal), <c>l2vote</c> (an <see cref="L2Vote"/>) and <c>seqannounce</c> (a
/// <see cref="Discovery.SequencerAnnouncement"/>).
/// </summary>
public static class ConsensusMessages
{
    public const string Propose = "l2propose";
    public const string Vote = "l2vote";
    public const string Announce = "seqannounce";

    public static byte[] EncodeProposal(ulong chainId, int round, Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var writer = new SpanWriter(1024);
        writer.WriteUInt64(chainId);
        writer.WriteUInt32((uint)round);
        writer.WriteBytes(block.ToBytes());
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a proposal.</exception>
    public static (ulong ChainId, int Round, Block Block) DecodeProposal(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 12)
            throw new DecodeException("a proposal is at least 12 bytes");
        var round = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        if (round > 1_000_000)
            throw new DecodeException($"round {round} is beyond any failover");
        return (BinaryPrimitives.ReadUInt64LittleEndian(payload), (int)round, Block.Decode(payload[12..]));
    }
}
