using Cascoin.L2.Primitives;

namespace Cascoin.L2.Network;

/// <summary>What a node offers (bit flags of the version message).</summary>
[Flags]
public enum NodeServices : ulong
{
    None = 0,

    /// <summary>Relays and serves settlement-chain blocks and transactions.</summary>
    Settlement = 1,

    /// <summary>Relays and serves L2 blocks and transactions.</summary>
    L2 = 2,
}

/// <summary>
/// The first message each side sends: protocol version, services, clock, a random nonce (to detect a
/// connection to oneself), user agent, best L1 and L2 heights, and the port it listens on.
/// </summary>
public sealed record VersionMessage(uint ProtocolVersion, NodeServices Services, long Timestamp, ulong Nonce, string UserAgent,
    ulong BestL1Height, ulong BestL2Height, ushort ListenPort)
{
    public const uint CurrentProtocolVersion = 1;
    public const int MaxUserAgentBytes = 256;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(96);
        writer.WriteUInt32(ProtocolVersion);
        writer.WriteUInt64((ulong)Services);
        writer.WriteInt64(Timestamp);
        writer.WriteUInt64(Nonce);
        writer.WriteVarBytes(System.Text.Encoding.UTF8.GetBytes(UserAgent));
        writer.WriteUInt64(BestL1Height);
        writer.WriteUInt64(BestL2Height);
        writer.WriteUInt16(ListenPort);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a version message.</exception>
    public static VersionMessage FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var message = new VersionMessage(reader.ReadUInt32(), (NodeServices)reader.ReadUInt64(), reader.ReadInt64(), reader.ReadUInt64(),
            DecodeAgent(reader.ReadVarBytes(MaxUserAgentBytes)), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt16());
        reader.EnsureEnd();
        return message;
    }

    private static string DecodeAgent(byte[] bytes)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new DecodeException("the user agent is not UTF-8");
        }
    }
}
