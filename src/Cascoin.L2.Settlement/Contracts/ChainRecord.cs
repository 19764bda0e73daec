using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The registry's and bridge's record of one L2 chain in the L1 state: parameters, status, the
/// bonded sequencers, the anchor and queue counters, and the locked total (which always equals
/// the chain's L2 supply once every queued deposit is processed).
/// </summary>
public sealed record ChainRecord
{
    public required ulong ChainId { get; init; }
    public required string Name { get; init; }
    public required Address Deployer { get; init; }
    public required ulong BlockTimeMs { get; init; }
    public required ulong GasLimit { get; init; }

    /// <summary>In L1 blocks.</summary>
    public required ulong ChallengePeriod { get; init; }

    public required ulong DeployHeight { get; init; }
    public ChainStatus Status { get; init; }

    /// <summary>Every address with stake on the chain (bonded or unbonding), in bonding order.</summary>
    public IReadOnlyList<Address> Stakers { get; init; } = [];

    public ulong AnchorCount { get; init; }

    /// <summary>L1 height of the newest accepted anchor (the deploy height before the first).</summary>
    public ulong LastAnchorHeight { get; init; }

    /// <summary>The last L2 block the newest anchor covers (0: none yet).</summary>
    public ulong LastAnchoredBlock { get; init; }

    /// <summary>L1→L2 messages queued (deposits and messages), numbered from 0.</summary>
    public ulong L1MessageCount { get; init; }

    public ulong ForcedCount { get; init; }

    /// <summary>Forced transactions below this number are settled: included by an anchor, or their miss was slashed.</summary>
    public ulong ForcedSettled { get; init; }

    /// <summary>Forced transactions the newest anchor says the L2 has processed.</summary>
    public ulong ForcedProcessed { get; init; }

    /// <summary>CAS held by the bridge for this chain.</summary>
    public Amount Locked { get; init; }

    /// <summary>Start (L1 height) of the current day for the withdrawal total.</summary>
    public ulong DayStart { get; init; }

    public Amount WithdrawnToday { get; init; }

    /// <summary>
    /// Set when the chain enters emergency mode: the anchors below this index were final then, and
    /// the newest of them is the root every exit proves against. Fixing it at entry matters: an
    /// anchor that turns final later would otherwise move the exit root while exits are paid.
    /// </summary>
    public ulong EmergencyAnchorCount { get; init; }

    /// <summary>Whether the chain keeps an encrypted mempool (fixed at deployment).</summary>
    public EncryptionPolicy Encryption { get; init; }

    private const byte CurrentVersion = 3;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(256);
        writer.WriteByte(CurrentVersion);
        writer.WriteUInt64(ChainId);
        writer.WriteVarBytes(System.Text.Encoding.UTF8.GetBytes(Name));
        writer.WriteAddress(Deployer);
        writer.WriteUInt64(BlockTimeMs);
        writer.WriteUInt64(GasLimit);
        writer.WriteUInt64(ChallengePeriod);
        writer.WriteUInt64(DeployHeight);
        writer.WriteByte((byte)Status);
        writer.WriteCompactSize((ulong)Stakers.Count);
        foreach (var staker in Stakers)
            writer.WriteAddress(staker);
        writer.WriteUInt64(AnchorCount);
        writer.WriteUInt64(LastAnchorHeight);
        writer.WriteUInt64(LastAnchoredBlock);
        writer.WriteUInt64(L1MessageCount);
        writer.WriteUInt64(ForcedCount);
        writer.WriteUInt64(ForcedSettled);
        writer.WriteUInt64(ForcedProcessed);
        writer.WriteAmount(Locked);
        writer.WriteUInt64(DayStart);
        writer.WriteAmount(WithdrawnToday);
        writer.WriteUInt64(EmergencyAnchorCount);
        writer.WriteByte((byte)Encryption);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a chain record.</exception>
    public static ChainRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        // Versions 1 (before the emergency anchor) and 2 (before the encryption policy) are still
        // read, so older regtest data directories open.
        var version = reader.ReadByte();
        if (version is not (1 or 2 or CurrentVersion))
            throw new DecodeException($"unknown chain record version {version}");
        var chainId = reader.ReadUInt64();
        var name = System.Text.Encoding.UTF8.GetString(reader.ReadVarBytes(L1.L1Call.MaxNameBytes));
        var deployer = reader.ReadAddress();
        var blockTime = reader.ReadUInt64();
        var gasLimit = reader.ReadUInt64();
        var challenge = reader.ReadUInt64();
        var deployHeight = reader.ReadUInt64();
        var status = reader.ReadByte();
        if (status > (byte)ChainStatus.Deprecated)
            throw new DecodeException($"unknown chain status {status}");
        var count = (int)reader.ReadCompactSize(100_000);
        var sequencers = new List<Address>(count);
        for (var i = 0; i < count; i++)
            sequencers.Add(reader.ReadAddress());
        var record = new ChainRecord
        {
            ChainId = chainId,
            Name = name,
            Deployer = deployer,
            BlockTimeMs = blockTime,
            GasLimit = gasLimit,
            ChallengePeriod = challenge,
            DeployHeight = deployHeight,
            Status = (ChainStatus)status,
            Stakers = sequencers,
            AnchorCount = reader.ReadUInt64(),
            LastAnchorHeight = reader.ReadUInt64(),
            LastAnchoredBlock = reader.ReadUInt64(),
            L1MessageCount = reader.ReadUInt64(),
            ForcedCount = reader.ReadUInt64(),
            ForcedSettled = reader.ReadUInt64(),
            ForcedProcessed = reader.ReadUInt64(),
            Locked = reader.ReadAmount(),
            DayStart = reader.ReadUInt64(),
            WithdrawnToday = reader.ReadAmount(),
            EmergencyAnchorCount = version == 1 ? 0 : reader.ReadUInt64(),
        };
        if (version == CurrentVersion)
        {
            var encryption = reader.ReadByte();
            if (!Enum.IsDefined((EncryptionPolicy)encryption))
                throw new DecodeException($"unknown encryption policy {encryption}");
            record = record with { Encryption = (EncryptionPolicy)encryption };
        }
        reader.EnsureEnd();
        return record;
    }
}
