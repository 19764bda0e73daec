using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;

namespace Cascoin.L2.Sequencing.Election;

/// <summary>
/// The sequencer set and leader schedule of every L2 height of a deployed chain, derived only from
/// data every node shares: the set of a height is the sequencers the L1 calls eligible at the first
/// L1 block of the epoch its parent references (<see cref="SetHeightAfter"/>; headers are bound to
/// L1 by <see cref="L1Binding"/>), and the slot's seed is that epoch block's hash for the block just
/// before the slot began — fixed for the whole slot, and out of the slot leader's hands. Leaders
/// that failed recently rank last (<see cref="LeaderDemotion"/>), and those that missed turns in the last
/// <see cref="MissMemorySlots"/> slots draw with less weight. Also the 2/3 quorum rule for seals.
/// </summary>
public sealed class SequencerSchedules
{
    /// <summary>Blocks one leader produces before rotation (SPEC §7).</summary>
    public const ulong BlocksPerSlot = 10;

    private readonly L2Blockchain _chain;
    private readonly IL1Client _l1;
    private readonly Lock _cacheLock = new();
    private readonly Dictionary<(Hash256 Parent, int Lookback), IReadOnlyList<Address>> _demotions = [];
    private readonly Dictionary<(Hash256 LastBlock, int Lookback), IReadOnlyList<Address>> _failed = [];
    private (ulong Height, Hash256 Hash)? _firstSet;

    public SequencerSchedules(L2Blockchain chain, IL1Client l1)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(l1);
        _chain = chain;
        _l1 = l1;
    }

    public static ulong SlotOf(ulong height) => height == 0 ? 0 : (height - 1) / BlocksPerSlot;

    /// <summary>The eligible set at L1 height <paramref name="l1Height"/>; null when this node's settlement chain is not there yet.</summary>
    public IReadOnlyList<SequencerWeight>? SetAt(ulong l1Height) =>
        _l1.EligibleSequencers(_chain.Parameters.ChainId, l1Height)?.Select(s => new SequencerWeight(s.Address, s.Stake, s.Score)).ToList();

    /// <summary>The eligible set at the settlement chain's tip (what announcements are checked against).</summary>
    public IReadOnlyList<SequencerWeight> CurrentSet() => SetAt(_l1.Tip.Height) ?? [];

    /// <summary>
    /// The L1 height whose sequencer set decides the block after <paramref name="parent"/>: the first
    /// L1 block of the epoch the parent references (never before the chain's deployment). Fixed
    /// before anyone proposes, out of the proposer's hands, and bound to L1 by the parent's own
    /// validation. Genesis references nothing: block 1 is decided by the first set the chain had
    /// (the first L1 height from deployment on with an eligible sequencer); null while there is none.
    /// </summary>
    public ulong? SetHeightAfter(BlockHeader parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var deployed = _l1.GetChain(_chain.Parameters.ChainId)?.DeployHeight ?? 0;
        return parent.Number == 0 ? FirstSetHeight(deployed) : Math.Max(deployed, _chain.Parameters.L1EpochStart(parent.L1AnchorHeight));
    }

    /// <summary>The first L1 height from <paramref name="deployed"/> on with an eligible sequencer, remembered with its hash (an L1 reorganization below it makes it look again).</summary>
    private ulong? FirstSetHeight(ulong deployed)
    {
        lock (_cacheLock)
        {
            if (_firstSet is { } known && _l1.GetHash(known.Height) == known.Hash)
                return known.Height;
        }
        for (var height = deployed; height <= _l1.Tip.Height; height++)
        {
            if (SetAt(height) is { Count: > 0 } && _l1.GetHash(height) is { } hash)
            {
                lock (_cacheLock)
                    _firstSet = (height, hash);
                return height;
            }
        }
        return null;
    }

    /// <summary>The sequencer set of L2 block <paramref name="height"/> (from its parent's L1 epoch); null when the parent or that L1 height is not known here.</summary>
    public IReadOnlyList<SequencerWeight>? SetFor(ulong height) =>
        height > 0 && _chain.GetHeader(height - 1) is { } parent && SetHeightAfter(parent) is { } l1Height ? SetAt(l1Height) : null;

    /// <summary>
    /// The schedule for block <paramref name="height"/>, with the leaders that failed in this slot's
    /// earlier blocks or in the previous slot ranked last (<see cref="LeaderDemotion"/>); null when the
    /// parent or the block that seeds the slot is not stored here, or the L1 view lacks the heights.
    /// </summary>
    public LeaderSchedule? For(ulong height) => For(height, DemotionLookbackSlots);

    /// <summary>
    /// How many slots back the demotion chain is followed: the ranking in force in the previous slot
    /// depends on the one before it, and so on; past this depth a slot's ranking is taken undemoted.
    /// Every node cuts at the same depth, so the result is still a function of the chain alone.
    /// </summary>
    public const int DemotionLookbackSlots = 4;

    /// <summary>The leader seed of <paramref name="slot"/>: the hash of the first L1 block of the epoch referenced by the block before the slot.</summary>
    private Hash256? SeedOf(ulong slot) =>
        _chain.GetHeader(slot * BlocksPerSlot) is { } seedBlock && SetHeightAfter(seedBlock) is { } l1Height ? _l1.GetHash(l1Height) : null;

    /// <summary>
    /// How many slots back missed turns cost election weight: a sequencer passed over as leader in k of
    /// them draws with its weight divided by 1 + k (<see cref="SequencerWeight.Misses"/>), on top of the
    /// demotion that ranks it last for the rest of its slot and the next one.
    /// </summary>
    public const int MissMemorySlots = 4;

    private LeaderSchedule? For(ulong height, int lookback)
    {
        var slot = SlotOf(height);
        if (SeedOf(slot) is not { } seed || SetFor(height) is not { } set)
            return null;
        var election = lookback == 0 ? set : WithMisses(set, slot, lookback);
        var plain = new LeaderSchedule(election, seed, BlocksPerSlot);
        if (lookback == 0 || height <= 1 || _chain.GetHeader(height - 1) is not { } parent)
            return plain;
        var demoted = Demotions(parent, slot, lookback, plain);
        return demoted.Count == 0 ? plain : new LeaderSchedule(election, seed, BlocksPerSlot, demoted);
    }

    /// <summary>
    /// Who ranks last for the block after <paramref name="parent"/>: the previous slot's failed leaders,
    /// then those passed over in this slot so far. Cached per parent (the set and seed follow from it).
    /// </summary>
    private IReadOnlyList<Address> Demotions(BlockHeader parent, ulong slot, int lookback, LeaderSchedule plain)
    {
        lock (_cacheLock)
        {
            if (_demotions.TryGetValue((parent.Hash, lookback), out var cached))
                return cached;
        }
        var demoted = slot == 0 ? [] : FailedDuring(slot - 1, lookback - 1).ToList();
        LeaderDemotion.Judge(plain.Ranking(slot), ProducersOf(slot * BlocksPerSlot + 1, parent.Number), demoted);
        lock (_cacheLock)
        {
            // Heights are decided one after another: old entries are never asked for again.
            if (_demotions.Count >= 512)
                _demotions.Clear();
            _demotions[(parent.Hash, lookback)] = demoted;
        }
        return demoted;
    }

    /// <summary><paramref name="set"/> with each member's missed turns in the <see cref="MissMemorySlots"/> slots before <paramref name="slot"/>.</summary>
    private List<SequencerWeight> WithMisses(IReadOnlyList<SequencerWeight> set, ulong slot, int lookback)
    {
        var misses = new Dictionary<Address, int>();
        for (var back = 1UL; back <= MissMemorySlots && back <= slot; back++)
        {
            foreach (var failed in FailedDuring(slot - back, lookback - 1))
                misses[failed] = misses.GetValueOrDefault(failed) + 1;
        }
        return set.Select(s => s with { Misses = misses.GetValueOrDefault(s.Address) }).ToList();
    }

    /// <summary>
    /// The sequencers passed over during slot <paramref name="slot"/>, judged against the ranking its first
    /// block was produced under. Cached for a complete slot by the hash of its last block (an L1
    /// reorganization that replaces it makes a new entry).
    /// </summary>
    private IReadOnlyList<Address> FailedDuring(ulong slot, int lookback)
    {
        var first = slot * BlocksPerSlot + 1;
        var last = _chain.GetHeader(first + BlocksPerSlot - 1)?.Hash;
        lock (_cacheLock)
        {
            if (last is { } complete && _failed.TryGetValue((complete, lookback), out var cached))
                return cached;
        }
        if (For(first, lookback) is not { } schedule)
            return [];
        var failed = LeaderDemotion.Judge(schedule.Ranking(slot), ProducersOf(first, first + BlocksPerSlot - 1), []);
        if (last is { } done)
        {
            lock (_cacheLock)
            {
                if (_failed.Count >= 512)
                    _failed.Clear();
                _failed[(done, lookback)] = failed;
            }
        }
        return failed;
    }

    private IEnumerable<Address> ProducersOf(ulong from, ulong to)
    {
        for (var number = from; number <= to; number++)
        {
            if (_chain.GetHeader(number) is { } header)
                yield return header.Sequencer;
        }
    }

    /// <summary>The members of L2 block <paramref name="height"/>'s sequencer set with their weights; null when not known here (see <see cref="SetFor"/>).</summary>
    public IReadOnlyDictionary<Address, UInt128>? WeightsFor(ulong height) => SetFor(height)?.ToDictionary(s => s.Address, s => s.Weight);

    /// <summary>Null when <paramref name="signers"/> hold more than 2/3 of the weight of <paramref name="header"/>'s sequencer set; else why not.</summary>
    public string? CheckQuorum(BlockHeader header, IReadOnlyList<Address> signers)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(signers);
        if (SetFor(header.Number) is not { } set)
            return $"the sequencer set of block {header.Number} is not known here yet (its parent, or the L1 height its parent references, is missing)";
        var weights = set.ToDictionary(s => s.Address, s => s.Weight);
        var total = set.Aggregate(UInt128.Zero, (sum, s) => sum + s.Weight);
        var signed = signers.Distinct().Aggregate(UInt128.Zero, (sum, a) => sum + weights.GetValueOrDefault(a));
        return StakeQuorum.IsSupermajority(signed, total)
            ? null
            : $"block {header.Number} is sealed by {signers.Count} of {set.Count} sequencers, not more than 2/3 of their stake × score";
    }

    /// <summary>The addresses of block <paramref name="header"/>'s sequencer set (empty when unknown here).</summary>
    public IReadOnlySet<Address> MembersAt(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return SetFor(header.Number)?.Select(s => s.Address).ToHashSet() ?? [];
    }
}
