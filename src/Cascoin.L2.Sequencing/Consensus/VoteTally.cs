using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Election;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>Why a vote was not counted.</summary>
public enum VoteRejection
{
    WrongChain,
    WrongHeight,
    BadSignature,
    NotASequencer,
    Duplicate,
}

/// <summary>
/// The votes for one height of one chain, weighted by the sequencer set's weights (SPEC §7): a
/// block is final when the ACCEPT weight for it is more than 2/3 of the set's total weight. Two
/// ACCEPTs by one sequencer for different blocks are kept as slashable evidence (and both still
/// count: honest nodes cannot tell which is "real", and the 2/3 threshold is what keeps two
/// conflicting blocks from both finalizing while the equivocators hold less than 1/3).
/// </summary>
public sealed class VoteTally
{
    private readonly Dictionary<Address, UInt128> _weights;
    private readonly Dictionary<Hash256, UInt128> _accepted = [];
    private readonly Dictionary<Hash256, List<L2Vote>> _acceptVotes = [];
    private readonly Dictionary<(Address, Hash256), VoteKind> _cast = [];
    private readonly Dictionary<Address, L2Vote> _firstAccept = [];
    private readonly List<DoubleSignEvidence> _evidence = [];

    public VoteTally(ulong chainId, ulong height, IEnumerable<SequencerWeight> sequencers)
    {
        ArgumentNullException.ThrowIfNull(sequencers);
        ChainId = chainId;
        Height = height;
        _weights = sequencers.Where(s => s.Weight > UInt128.Zero).DistinctBy(s => s.Address).ToDictionary(s => s.Address, s => s.Weight);
        TotalWeight = _weights.Values.Aggregate(UInt128.Zero, (sum, w) => sum + w);
    }

    public ulong ChainId { get; }

    public ulong Height { get; }

    public UInt128 TotalWeight { get; }

    public IReadOnlyList<DoubleSignEvidence> Evidence => _evidence;

    /// <summary>The block that reached more than 2/3 of the weight, if any.</summary>
    public Hash256? Finalized { get; private set; }

    /// <summary>The ACCEPT votes for <paramref name="blockHash"/> (the signatures a finalized block carries).</summary>
    public IReadOnlyList<L2Vote> AcceptsFor(Hash256 blockHash) => _acceptVotes.TryGetValue(blockHash, out var votes) ? votes : [];

    public UInt128 AcceptedWeight(Hash256 blockHash) => _accepted.GetValueOrDefault(blockHash);

    /// <summary>Counts <paramref name="vote"/>; null when counted, else why not. A recovered voter may be passed to skip recovery.</summary>
    public VoteRejection? Add(L2Vote vote, Address? voter = null)
    {
        ArgumentNullException.ThrowIfNull(vote);
        if (vote.ChainId != ChainId)
            return VoteRejection.WrongChain;
        if (vote.Height != Height)
            return VoteRejection.WrongHeight;
        if ((voter ?? vote.RecoverVoter()) is not { } address)
            return VoteRejection.BadSignature;
        if (!_weights.TryGetValue(address, out var weight))
            return VoteRejection.NotASequencer;
        if (!_cast.TryAdd((address, vote.BlockHash), vote.Kind))
            return VoteRejection.Duplicate;
        if (vote.Kind != VoteKind.Accept)
            return null;
        if (_firstAccept.TryGetValue(address, out var earlier))
            _evidence.Add(new DoubleSignEvidence(address, earlier, vote));
        else
            _firstAccept[address] = vote;
        var total = _accepted.GetValueOrDefault(vote.BlockHash) + weight;
        _accepted[vote.BlockHash] = total;
        if (!_acceptVotes.TryGetValue(vote.BlockHash, out var list))
            _acceptVotes[vote.BlockHash] = list = [];
        list.Add(vote);
        if (Finalized is null && IsSupermajority(total, TotalWeight))
            Finalized = vote.BlockHash;
        return null;
    }

    /// <summary>More than 2/3: 3 × part > 2 × total (exact, no rounding).</summary>
    public static bool IsSupermajority(UInt128 part, UInt128 total) => total > UInt128.Zero && part * 3 > total * 2;
}
