using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Election;

/// <summary>
/// Who leads each slot (SPEC §7): a deterministic stake-and-score-weighted ranking of the
/// sequencer set, drawn without replacement from a seed that commits to the epoch's L1 block hash
/// and the slot. The first of the ranking leads; on failover the next one claims the slot, so
/// every node that knows the set and the seed computes the same leader and the same successors.
/// Integer arithmetic only: the same inputs give the same ranking on every platform. Leaders that
/// failed their turn recently (<see cref="Demoted"/>, worked out by <see cref="LeaderDemotion"/>)
/// rank after all others: they keep their vote, but lose their claim to lead.
/// </summary>
public sealed class LeaderSchedule
{
    private static readonly byte[] Domain = "CascoinL2/leader/v1"u8.ToArray();

    private readonly SequencerWeight[] _set;

    /// <param name="sequencers">The eligible set, in any order (it is sorted by address here).</param>
    /// <param name="epochSeed">The L1 block hash at the epoch's start.</param>
    /// <param name="blocksPerSlot">Blocks one leader produces before rotation (SPEC: 10).</param>
    /// <param name="demoted">Sequencers that failed their turn, in the order they failed: they rank last, in this order.</param>
    public LeaderSchedule(IEnumerable<SequencerWeight> sequencers, Hash256 epochSeed, ulong blocksPerSlot = 10, IReadOnlyList<Address>? demoted = null)
    {
        ArgumentNullException.ThrowIfNull(sequencers);
        ArgumentOutOfRangeException.ThrowIfZero(blocksPerSlot);
        _set = sequencers.Where(s => s.Weight > UInt128.Zero).DistinctBy(s => s.Address).OrderBy(s => s.Address).ToArray();
        EpochSeed = epochSeed;
        BlocksPerSlot = blocksPerSlot;
        Demoted = demoted ?? [];
    }

    /// <summary>Sequencers that rank last (recently failed leaders), in order.</summary>
    public IReadOnlyList<Address> Demoted { get; }

    public Hash256 EpochSeed { get; }

    public ulong BlocksPerSlot { get; }

    public IReadOnlyList<SequencerWeight> Sequencers => _set;

    public UInt128 TotalWeight => _set.Aggregate(UInt128.Zero, (sum, s) => sum + s.Weight);

    public ulong SlotOf(ulong blockNumber) => blockNumber / BlocksPerSlot;

    /// <summary>The failover order of <paramref name="slot"/>: the leader first, then who claims the slot after each failure.</summary>
    public IReadOnlyList<Address> Ranking(ulong slot) => LeaderDemotion.Apply(DrawRanking(slot), Demoted);

    /// <summary>The weighted draw without replacement, before demotion.</summary>
    private List<Address> DrawRanking(ulong slot)
    {
        var remaining = _set.ToList();
        var remainingWeight = TotalWeight;
        var ranking = new List<Address>(remaining.Count);
        for (var draw = 0; remaining.Count > 0; draw++)
        {
            var target = Draw(slot, draw) % remainingWeight;
            var index = 0;
            while (target >= remaining[index].Weight)
            {
                target -= remaining[index].Weight;
                index++;
            }
            ranking.Add(remaining[index].Address);
            remainingWeight -= remaining[index].Weight;
            remaining.RemoveAt(index);
        }
        return ranking;
    }

    /// <summary>The sequencer that may produce in <paramref name="slot"/> after <paramref name="failures"/> leaders of it failed; null for an empty set.</summary>
    public Address? Leader(ulong slot, int failures = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);
        var ranking = Ranking(slot);
        return ranking.Count == 0 ? null : ranking[failures % ranking.Count];
    }

    /// <summary>128 bits of SHA-256d(domain ‖ epoch seed ‖ slot ‖ draw): far wider than any weight sum, so the modulo bias is nil.</summary>
    private UInt128 Draw(ulong slot, int draw)
    {
        var writer = new SpanWriter(Domain.Length + Hash256.Size + 12);
        writer.WriteBytes(Domain);
        writer.WriteHash256(EpochSeed);
        writer.WriteUInt64(slot);
        writer.WriteInt32(draw);
        var hash = Hashes.Sha256d(writer.WrittenSpan);
        return new UInt128(BitConverter.ToUInt64(hash, 0), BitConverter.ToUInt64(hash, 8));
    }
}
