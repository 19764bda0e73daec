using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Reputation;

/// <summary>What moved an address's reputation (the "recent changes" of <c>l2_getreputation</c>).</summary>
public enum ReputationEvent : byte
{
    /// <summary>Its L1 HAT score arrived through the L1→L2 queue.</summary>
    L1Import = 0,

    /// <summary>An epoch closed: valid activity raised the behaviour score, or idle epochs moved it back toward neutral.</summary>
    EpochClosed = 1,

    /// <summary>It filled its per-block transaction allowance (spam).</summary>
    RateLimitHit = 2,

    /// <summary>A transaction of its failed in the block (a forced transaction or an opened envelope that did not apply).</summary>
    Failure = 3,
}

/// <summary>One change of an address's aggregate score, at an L2 block.</summary>
public readonly record struct ReputationChange(ulong Block, ReputationEvent Event, byte Before, byte After);

/// <summary>
/// An address's reputation inputs in the L2 state (doc/reputation.md), under
/// <see cref="ReputationKeys.Of"/>: its imported L1 HAT score, its behaviour score on this chain, and
/// the counters of the epoch in progress. The aggregate that every benefit reads is
/// <see cref="ReputationRules.Aggregate"/> of it, kept in the account's <c>HatScore</c>.
/// </summary>
/// <param name="L1Score">The HAT v2 score last imported from L1 (or given at genesis).</param>
/// <param name="L1Height">The L1 block of that import; 0: given at genesis or never imported.</param>
/// <param name="Behaviour">The behaviour score on this chain, 0..100, <see cref="ReputationRules.Neutral"/> without history.</param>
/// <param name="FirstEpoch">The epoch this address was first rated in (new addresses ramp up).</param>
/// <param name="Epoch">The epoch the counters below are of.</param>
/// <param name="EpochStartNonce">The address's nonce when that epoch's first transaction of it began.</param>
public sealed record ReputationRecord(byte L1Score, ulong L1Height, byte Behaviour, ulong FirstEpoch, ulong Epoch, ulong EpochStartNonce,
    uint SelfTransfers, uint Failures, uint LimitHits, IReadOnlyList<ReputationChange> Recent)
{
    private const byte Version = 1;

    /// <summary>How many recent changes a record keeps.</summary>
    public const int MaxRecent = 4;

    /// <summary>
    /// The record of an address that has none yet: its L1 score is what its account holds (genesis
    /// allocations carry one), its behaviour neutral, its epoch the current one.
    /// </summary>
    public static ReputationRecord Fresh(byte accountScore, ulong epoch, ulong nonce) =>
        new(accountScore, 0, ReputationRules.Neutral, epoch, epoch, nonce, 0, 0, 0, []);

    public byte Aggregate => ReputationRules.Aggregate(L1Score, Behaviour);

    /// <summary>This record with <paramref name="change"/> as the newest of its recent changes.</summary>
    public ReputationRecord WithChange(ReputationChange change) =>
        this with { Recent = [.. Recent.Skip(Math.Max(0, Recent.Count - (MaxRecent - 1))), change] };

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(64 + Recent.Count * 11);
        writer.WriteByte(Version);
        writer.WriteByte(L1Score);
        writer.WriteUInt64(L1Height);
        writer.WriteByte(Behaviour);
        writer.WriteUInt64(FirstEpoch);
        writer.WriteUInt64(Epoch);
        writer.WriteUInt64(EpochStartNonce);
        writer.WriteUInt32(SelfTransfers);
        writer.WriteUInt32(Failures);
        writer.WriteUInt32(LimitHits);
        writer.WriteByte((byte)Recent.Count);
        foreach (var change in Recent)
        {
            writer.WriteUInt64(change.Block);
            writer.WriteByte((byte)change.Event);
            writer.WriteByte(change.Before);
            writer.WriteByte(change.After);
        }
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not a reputation record of this version, or a score above 100.</exception>
    public static ReputationRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        if (reader.ReadByte() is var version and not Version)
            throw new DecodeException($"unknown reputation record version {version}");
        var l1 = Score(reader.ReadByte());
        var l1Height = reader.ReadUInt64();
        var behaviour = Score(reader.ReadByte());
        var (first, epoch, nonce) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        var (self, failures, hits) = (reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
        var count = reader.ReadByte();
        if (count > MaxRecent)
            throw new DecodeException($"{count} recent changes, at most {MaxRecent}");
        var recent = new ReputationChange[count];
        for (var i = 0; i < count; i++)
        {
            var block = reader.ReadUInt64();
            var kind = reader.ReadByte();
            if (kind > (byte)ReputationEvent.Failure)
                throw new DecodeException($"unknown reputation event {kind}");
            recent[i] = new ReputationChange(block, (ReputationEvent)kind, Score(reader.ReadByte()), Score(reader.ReadByte()));
        }
        reader.EnsureEnd();
        return new ReputationRecord(l1, l1Height, behaviour, first, epoch, nonce, self, failures, hits, recent);
    }

    private static byte Score(byte value) =>
        value <= AccountState.MaxHatScore ? value : throw new DecodeException($"score {value} is above {AccountState.MaxHatScore}");

    public bool Equals(ReputationRecord? other) => other is not null && ToBytes().AsSpan().SequenceEqual(other.ToBytes());

    public override int GetHashCode() => (L1Score, L1Height, Behaviour, Epoch, EpochStartNonce).GetHashCode();
}

/// <summary>Where reputation records live in the L2 state tree.</summary>
public static class ReputationKeys
{
    public static Hash256 Of(Address address) => StateKeys.ForNamespace("l2/reputation", address.ToArray());
}
