using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;

namespace Cascoin.L2.Sequencing.Election;

/// <summary>
/// The sequencer set and leader schedule of every L2 height of a deployed chain, derived only from
/// data every node shares: the set is the sequencers the L1 calls eligible at the L1 height the
/// block references (<c>L1AnchorHeight</c>, which validators bound by their own confirmed tip), and
/// the slot's seed is the L1 block hash referenced by the block just before the slot began — fixed
/// for the whole slot, and out of the slot leader's hands. Also the 2/3 quorum rule for seals.
/// </summary>
public sealed class SequencerSchedules
{
    /// <summary>Blocks one leader produces before rotation (SPEC §7).</summary>
    public const ulong BlocksPerSlot = 10;

    private readonly L2Blockchain _chain;
    private readonly IL1Client _l1;

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
    /// The schedule for block <paramref name="height"/> referencing L1 height <paramref name="l1AnchorHeight"/>;
    /// null when the block that seeds the slot is not stored here or the L1 view lacks the height.
    /// </summary>
    public LeaderSchedule? For(ulong height, ulong l1AnchorHeight)
    {
        var slotParent = SlotOf(height) * BlocksPerSlot;
        if (_chain.GetBlock(slotParent) is not { } seedBlock || SetAt(l1AnchorHeight) is not { } set)
            return null;
        return new LeaderSchedule(set, seedBlock.Header.L1AnchorHash, BlocksPerSlot);
    }

    /// <summary>Null when <paramref name="signers"/> hold more than 2/3 of the weight of <paramref name="header"/>'s sequencer set; else why not.</summary>
    public string? CheckQuorum(BlockHeader header, IReadOnlyList<Address> signers)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(signers);
        if (SetAt(header.L1AnchorHeight) is not { } set)
            return $"the settlement chain here has not reached L1 height {header.L1AnchorHeight}, which block {header.Number} references";
        var weights = set.ToDictionary(s => s.Address, s => s.Weight);
        var total = set.Aggregate(UInt128.Zero, (sum, s) => sum + s.Weight);
        var signed = signers.Distinct().Aggregate(UInt128.Zero, (sum, a) => sum + weights.GetValueOrDefault(a));
        return Consensus.VoteTally.IsSupermajority(signed, total)
            ? null
            : $"block {header.Number} is sealed by {signers.Count} of {set.Count} sequencers, not more than 2/3 of their stake × score";
    }

    /// <summary>The addresses of block <paramref name="header"/>'s sequencer set (empty when unknown here).</summary>
    public IReadOnlySet<Address> MembersAt(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return SetAt(header.L1AnchorHeight)?.Select(s => s.Address).ToHashSet() ?? [];
    }
}
