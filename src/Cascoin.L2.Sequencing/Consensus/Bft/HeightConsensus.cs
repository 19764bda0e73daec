using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus.Bft;

/// <summary>
/// The agreement on one L2 height: Tendermint's round-based BFT (Buchman, Kwon and Milosevic, "The
/// latest gossip on BFT consensus", Algorithm 1) with stake-weighted thresholds. Safe under
/// asynchrony while the sequencers that break the rules hold less than 1/3 of the weight: a node
/// precommits a block only after more than 2/3 prevoted it in that round, and then stays locked on
/// it, prevoting another block only when more than 2/3 prevoted that one in a later round (the
/// proof-of-lock-change). Live under partial synchrony: a round that splits or whose proposer is
/// silent times out into the next, with timeouts that grow per round.
/// <para>
/// A pure state machine (convention 15): inputs are proposals, votes and timeouts already checked
/// by the host (signatures, block validity); outputs are <see cref="BftAction"/>s. No clock, no
/// I/O, no randomness, so the same inputs give the same actions in production and in the
/// simulator. What this node signed at the height before a restart is given to the constructor and
/// restores the lock, the round and the step, so a restarted node never contradicts itself.
/// </para>
/// </summary>
public sealed class HeightConsensus
{
    /// <summary>Votes further ahead than this many rounds are not stored (a Byzantine sequencer could otherwise fill memory); they still count toward round skipping.</summary>
    public const int MaxRoundsAhead = 16;

    private readonly IReadOnlyDictionary<Address, UInt128> _weights;
    private readonly Address? _self;
    private readonly Func<int, Address> _proposerOf;
    private readonly BftTimeouts _timeouts;
    private readonly Dictionary<int, RoundProposal> _proposals = [];
    private readonly Dictionary<(int Round, VoteStep Step), StepTally> _tallies = [];
    private readonly Dictionary<Address, int> _highestRound = [];
    private readonly HashSet<Hash256> _valid = [];
    private readonly HashSet<(int Round, RoundStep Step)> _scheduled = [];
    private readonly HashSet<int> _lockChecked = [];
    private readonly List<BftAction> _actions = [];
    private readonly IReadOnlyList<SignedStep> _signedBefore;
    private readonly StepTally _empty = new();
    private readonly int _firstRound;
    private int? _awaitingBlock;

    /// <param name="height">The height decided.</param>
    /// <param name="weights">The sequencer set of the height: address → stake × score.</param>
    /// <param name="self">This node's address when it is a sequencer of the set, else null (it follows without voting).</param>
    /// <param name="proposerOf">Who proposes at a round: the same function on every node.</param>
    /// <param name="signedBefore">What this node signed at this height on the same parent before a restart.</param>
    /// <param name="firstRound">The first round this node may take part in: above every round it signed in on another parent (an L1 reorganization reverted the height).</param>
    public HeightConsensus(ulong height, IReadOnlyDictionary<Address, UInt128> weights, Address? self, Func<int, Address> proposerOf,
        BftTimeouts timeouts, IReadOnlyList<SignedStep>? signedBefore = null, int firstRound = 0)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(proposerOf);
        ArgumentNullException.ThrowIfNull(timeouts);
        Height = height;
        _weights = weights;
        TotalWeight = weights.Values.Aggregate(UInt128.Zero, (sum, w) => sum + w);
        _self = self is { } address && weights.TryGetValue(address, out var weight) && weight > UInt128.Zero ? address : null;
        _proposerOf = proposerOf;
        _timeouts = timeouts;
        _signedBefore = signedBefore ?? [];
        _firstRound = Math.Max(0, firstRound);
    }

    public ulong Height { get; }

    public UInt128 TotalWeight { get; }

    public int Round { get; private set; } = -1;

    public RoundStep Step { get; private set; }

    public Hash256? LockedBlock { get; private set; }

    public int LockedRound { get; private set; } = -1;

    public Hash256? ValidBlock { get; private set; }

    public int ValidRound { get; private set; } = -1;

    /// <summary>The final block, once decided, and the round of its certificate.</summary>
    public (int Round, Hash256 Block)? Decision { get; private set; }

    /// <summary>The proposer of the current round.</summary>
    public Address Proposer => _proposerOf(Math.Max(Round, 0));

    /// <summary>The voters whose precommits for <paramref name="block"/> at <paramref name="round"/> were counted (the commit certificate's signers).</summary>
    public IReadOnlyList<Address> PrecommitVoters(int round, Hash256 block) =>
        _tallies.TryGetValue((round, VoteStep.Precommit), out var tally) ? tally.VotersFor(block).ToList() : [];

    /// <summary>Enters the first round: round 0, or where this node's signed messages left it.</summary>
    public IReadOnlyList<BftAction> Start()
    {
        if (Round >= 0)
            return [];
        var round = _firstRound;
        if (_self is { } self)
        {
            foreach (var signed in _signedBefore)
            {
                round = Math.Max(round, signed.Round);
                if (signed.Step == VoteStep.Proposal)
                {
                    // This node built (or validated) what it proposed.
                    _proposals[signed.Round] = new RoundProposal(self, signed.Round, -1, signed.Block ?? default, true);
                    if (signed.Block is { } proposed)
                        _valid.Add(proposed);
                    continue;
                }
                Tally(signed.Round, signed.Step).Add(self, signed.Block, _weights[self]);
                if (signed.Step == VoteStep.Precommit && signed.Block is { } locked && signed.Round > LockedRound)
                {
                    // What this node precommitted is what it is locked on: never prevote against it without a proof-of-lock-change.
                    (LockedBlock, LockedRound) = (locked, signed.Round);
                    (ValidBlock, ValidRound) = (locked, signed.Round);
                }
            }
        }
        StartRound(round);
        if (_signedBefore.Any(s => s.Round == round && s.Step == VoteStep.Precommit))
            Step = RoundStep.Precommit;
        else if (_signedBefore.Any(s => s.Round == round && s.Step == VoteStep.Prevote))
            Step = RoundStep.Prevote;
        Evaluate();
        return Flush();
    }

    /// <summary>A proposal whose signature and block the host has checked.</summary>
    public IReadOnlyList<BftAction> OnProposal(RoundProposal proposal)
    {
        if (proposal.Round < 0 || proposal.PolRound < -1 || proposal.PolRound >= proposal.Round || proposal.Proposer != _proposerOf(proposal.Round))
            return [];
        NoteRound(proposal.Proposer, proposal.Round);
        if (proposal.Round <= Math.Max(Round, 0) + MaxRoundsAhead && _proposals.TryAdd(proposal.Round, proposal) && proposal.Valid)
            _valid.Add(proposal.Block);
        return Evaluated();
    }

    /// <summary>A prevote or precommit whose signature the host has checked; votes of addresses outside the set are ignored.</summary>
    public IReadOnlyList<BftAction> OnVote(RoundVote vote)
    {
        if (vote.Round < 0 || vote.Step == VoteStep.Proposal || !_weights.TryGetValue(vote.Voter, out var weight) || weight == UInt128.Zero)
            return [];
        NoteRound(vote.Voter, vote.Round);
        if (vote.Round > Math.Max(Round, 0) + MaxRoundsAhead || !Tally(vote.Round, vote.Step).Add(vote.Voter, vote.Block, weight))
            return [];
        return Evaluated();
    }

    /// <summary>The block this node was asked to build (<see cref="BuildBlock"/>); it is valid by construction.</summary>
    public IReadOnlyList<BftAction> OnBlockBuilt(int round, Hash256 block)
    {
        if (_awaitingBlock != round || round != Round || Step != RoundStep.Propose || _self is not { } self)
            return [];
        _awaitingBlock = null;
        _valid.Add(block);
        _proposals.TryAdd(round, new RoundProposal(self, round, -1, block, true));
        _actions.Add(new SendProposal(round, -1, block));
        Evaluate();
        return Flush();
    }

    /// <summary>A block that arrived some other way (sync, a proposal of another round) and that the host validated: it may complete a decision.</summary>
    public IReadOnlyList<BftAction> OnValidBlock(Hash256 block)
    {
        if (!_valid.Add(block))
            return [];
        return Evaluated();
    }

    public IReadOnlyList<BftAction> OnTimeout(RoundStep step, int round)
    {
        if (round != Round || Decision is not null)
            return [];
        switch (step)
        {
            case RoundStep.Propose when Step == RoundStep.Propose:
                Vote(VoteStep.Prevote, null);
                Step = RoundStep.Prevote;
                break;
            case RoundStep.Prevote when Step == RoundStep.Prevote:
                Vote(VoteStep.Precommit, null);
                Step = RoundStep.Precommit;
                break;
            case RoundStep.Precommit:
                StartRound(Round + 1);
                break;
            default:
                return [];
        }
        Evaluate();
        return Flush();
    }

    /// <summary>
    /// The rounds whose messages peers may still need, for a host that repairs lost messages by
    /// sending again what it holds of them (its own and others' signed messages): every round of the
    /// height so far. Any of them may hold the prevotes a re-proposal's proof-of-lock-change points
    /// at or the precommits another node lacks to decide; repairing only the latest rounds leaves
    /// schedules that never finish (the simulator found them).
    /// </summary>
    public IReadOnlyList<int> RoundsToRepair() => Enumerable.Range(0, Math.Max(Round + 1, 0)).ToList();

    /// <summary>What this node signed in the current round, to send again (a lossy network, a peer that joined late).</summary>
    public IReadOnlyList<BftAction> Resend()
    {
        var again = new List<BftAction>();
        if (_self is not { } self || Round < 0)
            return again;
        if (_proposals.TryGetValue(Round, out var proposal) && proposal.Proposer == self)
            again.Add(new SendProposal(Round, proposal.PolRound, proposal.Block));
        foreach (var step in new[] { VoteStep.Prevote, VoteStep.Precommit })
        {
            if (_tallies.TryGetValue((Round, step), out var tally) && tally.HasVoted(self))
                again.Add(new SendVote(Round, step, tally.VoteOf(self)));
        }
        return again;
    }

    private void StartRound(int round)
    {
        Round = round;
        Step = RoundStep.Propose;
        _awaitingBlock = null;
        if (_self is { } self && _proposerOf(round) == self)
        {
            if (_proposals.TryGetValue(round, out var signed) && signed.Proposer == self)
                _actions.Add(new SendProposal(round, signed.PolRound, signed.Block)); // signed before a restart: the same again
            else if (ValidBlock is { } valid)
            {
                _proposals[round] = new RoundProposal(self, round, ValidRound, valid, true);
                _actions.Add(new SendProposal(round, ValidRound, valid));
            }
            else
            {
                _awaitingBlock = round;
                _actions.Add(new BuildBlock(round));
            }
        }
        // Scheduled for the proposer too: a block that cannot be built in time must not stall the round.
        Schedule(RoundStep.Propose, round, _timeouts.ProposeAfter(round));
    }

    /// <summary>Applies every rule that holds until none does (each fires at most once per round and step).</summary>
    private void Evaluate()
    {
        var changed = true;
        while (changed && Decision is null)
        {
            changed = TryDecide() || TrySkipRound() || TryPrevote() || TryLock() || TryPrecommitNil();
            ScheduleVoteTimeouts();
        }
    }

    /// <summary>Line 49: a valid block with more than 2/3 of the precommits of some round is final.</summary>
    private bool TryDecide()
    {
        foreach (var ((round, step), tally) in _tallies)
        {
            if (step != VoteStep.Precommit)
                continue;
            foreach (var (block, weight) in tally.Blocks)
            {
                if (IsTwoThirds(weight) && _valid.Contains(block))
                {
                    Decision = (round, block);
                    _actions.Add(new Decide(round, block));
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>Line 55: more than 1/3 of the weight is in a later round, so at least one honest sequencer is: follow it.</summary>
    private bool TrySkipRound()
    {
        var target = -1;
        foreach (var candidate in _highestRound.Values.Where(r => r > Round).Distinct())
        {
            var ahead = _highestRound.Where(h => h.Value >= candidate).Aggregate(UInt128.Zero, (sum, h) => sum + _weights[h.Key]);
            if (candidate > target && IsOneThird(ahead))
                target = candidate;
        }
        if (target <= Round)
            return false;
        StartRound(target);
        return true;
    }

    /// <summary>Lines 22 and 28: prevote the round's proposal if it is valid and this node's lock allows it, else nil.</summary>
    private bool TryPrevote()
    {
        if (Step != RoundStep.Propose || !_proposals.TryGetValue(Round, out var proposal) || proposal.Proposer != _proposerOf(Round))
            return false;
        bool allowed;
        if (proposal.PolRound == -1)
        {
            allowed = LockedRound == -1 || LockedBlock == proposal.Block;
        }
        else
        {
            if (!IsTwoThirds(TallyOrEmpty(proposal.PolRound, VoteStep.Prevote).For(proposal.Block)))
                return false; // the proof-of-lock-change has not arrived (yet): wait, or time out
            allowed = LockedRound <= proposal.PolRound || LockedBlock == proposal.Block;
        }
        Vote(VoteStep.Prevote, _valid.Contains(proposal.Block) && allowed ? proposal.Block : null);
        Step = RoundStep.Prevote;
        return true;
    }

    /// <summary>Line 36: more than 2/3 prevoted a valid block in this round: lock on it and precommit it (once per round).</summary>
    private bool TryLock()
    {
        if (Step == RoundStep.Propose || _lockChecked.Contains(Round) || !_tallies.TryGetValue((Round, VoteStep.Prevote), out var tally))
            return false;
        foreach (var (block, weight) in tally.Blocks)
        {
            if (!IsTwoThirds(weight) || !_valid.Contains(block))
                continue;
            _lockChecked.Add(Round);
            if (Step == RoundStep.Prevote)
            {
                (LockedBlock, LockedRound) = (block, Round);
                Vote(VoteStep.Precommit, block);
                Step = RoundStep.Precommit;
            }
            (ValidBlock, ValidRound) = (block, Round);
            return true;
        }
        return false;
    }

    /// <summary>Line 44: more than 2/3 prevoted nil.</summary>
    private bool TryPrecommitNil()
    {
        if (Step != RoundStep.Prevote || !IsTwoThirds(TallyOrEmpty(Round, VoteStep.Prevote).Nil))
            return false;
        Vote(VoteStep.Precommit, null);
        Step = RoundStep.Precommit;
        return true;
    }

    /// <summary>Lines 34 and 47: with more than 2/3 of any prevotes (precommits) and no decision in sight, wait a little, then move on.</summary>
    private void ScheduleVoteTimeouts()
    {
        if (Step == RoundStep.Prevote && IsTwoThirds(TallyOrEmpty(Round, VoteStep.Prevote).Any))
            Schedule(RoundStep.Prevote, Round, _timeouts.VoteAfter(Round));
        if (IsTwoThirds(TallyOrEmpty(Round, VoteStep.Precommit).Any))
            Schedule(RoundStep.Precommit, Round, _timeouts.VoteAfter(Round));
    }

    private void Schedule(RoundStep step, int round, TimeSpan after)
    {
        if (_scheduled.Add((round, step)))
            _actions.Add(new ScheduleTimeout(step, round, after));
    }

    /// <summary>Counts this node's own vote at once and asks the host to sign and send it; a follower (not in the set) never votes.</summary>
    private void Vote(VoteStep step, Hash256? block)
    {
        if (_self is not { } self)
            return;
        if (Tally(Round, step).Add(self, block, _weights[self]))
            _actions.Add(new SendVote(Round, step, block));
    }

    private void NoteRound(Address sender, int round)
    {
        if (_weights.ContainsKey(sender) && round > _highestRound.GetValueOrDefault(sender, -1))
            _highestRound[sender] = round;
    }

    private StepTally Tally(int round, VoteStep step)
    {
        if (!_tallies.TryGetValue((round, step), out var tally))
            _tallies[(round, step)] = tally = new StepTally();
        return tally;
    }

    private StepTally TallyOrEmpty(int round, VoteStep step) => _tallies.GetValueOrDefault((round, step)) ?? _empty;

    private bool IsTwoThirds(UInt128 weight) => StakeQuorum.IsSupermajority(weight, TotalWeight);

    private bool IsOneThird(UInt128 weight) => StakeQuorum.IsMoreThanOneThird(weight, TotalWeight);

    /// <summary>Applies the rules, except before <see cref="Start"/>: until then inputs are only recorded (what this node signed before a restart must be restored first).</summary>
    private List<BftAction> Evaluated()
    {
        if (Round < 0)
            return [];
        Evaluate();
        return Flush();
    }

    private List<BftAction> Flush()
    {
        var actions = _actions.ToList();
        _actions.Clear();
        return actions;
    }
}
