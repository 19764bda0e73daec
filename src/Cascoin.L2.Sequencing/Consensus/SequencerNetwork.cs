using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Crypto;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus.Bft;
using Cascoin.L2.Sequencing.Discovery;
using Cascoin.L2.Sequencing.Election;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>Who leads <paramref name="Height"/>: its slot, the round reached, the slot's ranking (round r's proposer is position r mod n), and the failed leaders ranked last.</summary>
public sealed record LeaderView(ulong Height, ulong Slot, int Round, Address Leader, IReadOnlyList<Address> Ranking, IReadOnlyList<Address> Demoted)
{
    /// <summary>The set as the slot's election drew it: each sequencer's missed turns and the weight it drew with.</summary>
    public IReadOnlyList<Election.SequencerWeight> Election { get; init; } = [];
}

/// <summary>
/// Block production of a deployed chain by its sequencers (SPEC §7): each height is decided by
/// round-based BFT (<see cref="HeightConsensus"/>, Tendermint's propose / prevote / precommit with
/// locks). Round r's proposer is position r (mod n) of the slot's ranking
/// (<see cref="SequencerSchedules"/>); it builds a block and sends it as <c>l2propose</c>; every
/// sequencer validates it fully (off the P2P read loop and outside this engine's lock) and prevotes
/// it or nil; more than 2/3 of the stake × score prevoting it makes each sequencer lock on it and
/// precommit it; more than 2/3 precommits make it final, and those precommits are the certificate
/// the block carries. A silent proposer or a split vote times the round out into the next.
/// Every message this node signs is written to the <see cref="SigningJournal"/> first, so no crash,
/// restart or L1 reorganization can make it sign two different messages for one (height, round,
/// step). Two such messages of another sequencer are slashable evidence, handed to the settlement
/// monitor. A sequencer that has not heard from more than half of the set's weight recently does
/// not build blocks (partition rule): a minority side cannot finalize anything anyway.
/// </summary>
public sealed partial class SequencerNetwork
{
    /// <summary>Messages kept for heights after the current one (a peer a block ahead): in all, and from one peer; more are dropped.</summary>
    private const int MaxFutureMessages = 1024;
    private const int MaxFutureMessagesPerPeer = 256;

    private readonly P2PNode _p2p;
    private readonly L2Blockchain _chain;
    private readonly TxPool _pool;
    private readonly SequencerSchedules _schedules;
    private readonly SequencerRegistry _registry;
    private readonly SigningJournal _journal;
    private readonly PrivateKey _key;
    private readonly Address _self;
    private readonly ConsensusOptions _options;
    private readonly BftTimeouts _timeouts;
    private readonly TimeProvider _time;
    private readonly ILogger<SequencerNetwork> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<Address, long> _heardAt = [];
    private readonly List<DoubleSignCall> _evidence = [];
    private readonly HashSet<(Address, ulong)> _reported = [];
    private readonly FutureMessages<Peer> _future = new(MaxFutureMessages, MaxFutureMessagesPerPeer, heightsAhead: 2);
    private long _lastAnnouncement;
    private long _lastResend;
    private string? _lastBlockedReason;
    private bool _partitioned;

    private HeightState? _state;

    // Per-peer flood limits: generous for honest gossip (every vote of every sequencer relayed by
    // every peer, and repaired each half timeout), small against a flood.
    private readonly FloodLimit _voteFlood;
    private readonly FloodLimit _proposalFlood;
    private readonly FloodLimit _announcementFlood;

    public SequencerNetwork(P2PNode p2p, L2Blockchain chain, TxPool pool, SequencerSchedules schedules, SigningJournal journal, PrivateKey key,
        ConsensusOptions options, TimeProvider time, ILogger<SequencerNetwork> logger)
    {
        ArgumentNullException.ThrowIfNull(p2p);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        _p2p = p2p;
        _chain = chain;
        _pool = pool;
        _schedules = schedules;
        _journal = journal;
        _key = key;
        _self = Address.FromPublicKey(key.PublicKey.AsSpan());
        _options = options;
        _timeouts = BftTimeouts.FromLeaderTimeout(options.LeaderTimeout);
        _time = time;
        _logger = logger;
        _registry = new SequencerRegistry(chain.Parameters.ChainId, Eligibility, time, TimeSpan.FromMinutes(10));
        _voteFlood = new FloodLimit(options.VoteFloodBurst, options.VoteFloodBurst / 4, time);
        _proposalFlood = new FloodLimit(200, 50, time);
        _announcementFlood = new FloodLimit(400, 100, time);
    }

    /// <summary>Asked before this node proposes or votes: null to take part, else why not (emergency, not an eligible sequencer, …).</summary>
    public Func<string?> BlockedReason { get; set; } = () => null;

    public SequencerRegistry Registry => _registry;

    /// <summary>Proposals, votes and punished messages since start (the metrics endpoint reads them).</summary>
    public ConsensusCounters Counters { get; } = new();

    /// <summary>Every vote of a peer this node records, with its arrival after the height began here (the collusion watch); raised under the consensus lock: only queue.</summary>
    public event Action<Monitoring.ObservedVote>? VoteObserved;

    public Address Sequencer => _self;

    private ulong ChainId => _chain.Parameters.ChainId;

    private ulong NowMs => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Called (under the engine's lock: queue, do not block) with slashing evidence for the staking
    /// contract: two signed messages of one sequencer for one (height, round, step) naming different blocks.
    /// </summary>
    public Action<DoubleSignCall>? EvidenceFound { get; set; }

    /// <summary>Double-sign evidence seen so far (one per sequencer and height).</summary>
    public IReadOnlyList<DoubleSignCall> Evidence
    {
        get
        {
            lock (_lock)
                return _evidence.ToList();
        }
    }

    /// <summary>The leader of the current round of the next height as this node sees it (null before the schedule is known).</summary>
    public LeaderView? CurrentLeader()
    {
        lock (_lock)
        {
            EnsureHeight();
            if (_state is not { } state)
                return null;
            var round = Math.Max(0, state.Consensus.Round);
            return new LeaderView(state.Height, SequencerSchedules.SlotOf(state.Height), round, state.ProposerOf(round), state.Ranking, state.Schedule.Demoted)
            {
                Election = state.Schedule.Sequencers,
            };
        }
    }

    /// <summary>Registers the P2P handlers; call before the P2P node starts.</summary>
    public void Start()
    {
        _p2p.Register(ConsensusMessages.Propose, OnProposal);
        _p2p.Register(ConsensusMessages.Vote, OnVote);
        _p2p.Register(ConsensusMessages.Announce, OnAnnouncement);
    }

    /// <summary>Runs the engine every block time until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.BlockTime, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (_lock)
                    Tick();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a block is committed whole or not at all.
        }
        finally
        {
            lock (_lock)
                _state?.Dispose();
        }
    }

    /// <summary>Signs and gossips this sequencer's SEQANNOUNCE now; returns it.</summary>
    public SequencerAnnouncement Announce()
    {
        lock (_lock)
            return AnnounceLocked();
    }

    private SequencerAnnouncement AnnounceLocked()
    {
        var own = _schedules.CurrentSet().FirstOrDefault(s => s.Address == _self);
        var expires = (ulong)_time.GetUtcNow().ToUnixTimeSeconds() + 60;
        var announcement = SequencerAnnouncement.Sign(ChainId, _key, _options.Endpoint, own.Stake, own.Score, _chain.Head.L1AnchorHeight, expires);
        _registry.Offer(announcement);
        _p2p.Broadcast(ConsensusMessages.Announce, announcement.ToBytes());
        _lastAnnouncement = _time.GetTimestamp();
        return announcement;
    }

    private SequencerWeight? Eligibility(Address address)
    {
        foreach (var sequencer in _schedules.CurrentSet())
        {
            if (sequencer.Address == address)
                return sequencer;
        }
        return null;
    }

    private void Tick()
    {
        if (!_chain.HasGenesis)
            return;
        var blocked = BlockedReason();
        if (blocked != _lastBlockedReason)
        {
            if (blocked is null)
                _logger.LogInformation("Block production resumes: this node proposes and votes as sequencer {Sequencer}", _self);
            else
                _logger.LogWarning("Block production stopped: {Reason}", blocked);
            _lastBlockedReason = blocked;
        }
        EnsureHeight();
        if (blocked is not null || _state is not { } state)
            return;
        if (_time.GetElapsedTime(_lastAnnouncement) >= _options.AnnouncementInterval)
            AnnounceLocked();
        var partitioned = state.Weights.Count > 1 && state.Weights.ContainsKey(_self) && !ReachesMajority(state);
        if (partitioned != _partitioned)
        {
            if (partitioned)
                _logger.LogWarning("This node reaches no more than half of the sequencers' stake (partition rule): it builds no L2 block until it does, and cannot finalize one");
            else
                _logger.LogInformation("This node reaches more than half of the sequencers' stake again");
            _partitioned = partitioned;
        }
        RetryNotYetJudged(state);
        TryBuild(state);
        if (_time.GetElapsedTime(_lastResend) >= _options.LeaderTimeout / 2)
        {
            // Lost messages are repaired by sending again what this node holds of the height (the same signatures).
            _lastResend = _time.GetTimestamp();
            foreach (var (command, payload) in state.HeldMessages(state.Consensus.RoundsToRepair()))
                _p2p.Broadcast(command, payload);
        }
    }

    /// <summary>Starts deciding the height after the head when the head moved (a decision here, a block by sync, an L1 reorganization).</summary>
    private void EnsureHeight()
    {
        if (!_chain.HasGenesis)
            return;
        var head = _chain.Head;
        if (_state is { } current && current.Parent == head.Hash)
            return;
        _state?.Dispose();
        _state = null;
        var height = head.Number + 1;
        if (_schedules.For(height) is not { } schedule || _schedules.SetFor(height) is not { } set || schedule.Sequencers.Count == 0)
            return; // this node's settlement view is behind: retried every tick
        var weights = set.Where(s => s.Weight > UInt128.Zero).DistinctBy(s => s.Address).ToDictionary(s => s.Address, s => s.Weight);
        var ranking = schedule.Ranking(SequencerSchedules.SlotOf(height));
        var participates = BlockedReason() is null && weights.ContainsKey(_self);
        if (head.Number > 0)
            _journal.MarkDecided(head.Number);
        // Rounds this node signed in for a decision that no longer stands (the height was reverted) are closed to it.
        var (sameParent, firstRound, reopened) = _journal.ResumeAt(height, head.Hash);
        var consensus = new HeightConsensus(height, weights, participates ? _self : null, round => ranking[round % ranking.Count], _timeouts, sameParent, firstRound);
        var state = new HeightState(height, head.Hash, schedule, ranking, weights, consensus, _time.GetTimestamp());
        _state = state;
        if (height > SigningJournal.RetainedHeights && height % 1000 == 0)
            _journal.PruneBelow(height - SigningJournal.RetainedHeights);
        Execute(state, consensus.Start());
        // The prevotes behind a lock this node held before a restart: others may need them to follow its re-proposal.
        foreach (var kept in reopened ? [] : _journal.JustificationsAt(height))
        {
            if (_state == state && kept.Vote.RecoverSigner() == kept.Voter && state.Weights.ContainsKey(kept.Voter) && RecordSigned(state, kept.Voter, kept.Vote))
                Execute(state, consensus.OnVote(new RoundVote(kept.Voter, kept.Vote.Round, kept.Vote.Step, kept.Vote.IsNil ? null : kept.Vote.Block)));
        }
        ReplayFuture(height);
    }

    private bool HeardWithin(Address sequencer, TimeSpan window) => _heardAt.TryGetValue(sequencer, out var at) && _time.GetElapsedTime(at) <= window;

    /// <summary>This node plus the sequencers heard from recently hold more than half of the weight.</summary>
    private bool ReachesMajority(HeightState state)
    {
        var reached = UInt128.Zero;
        foreach (var (sequencer, weight) in state.Weights)
        {
            if (sequencer == _self || HeardWithin(sequencer, _options.ReachabilityWindow))
                reached += weight;
        }
        return reached * 2 > state.Consensus.TotalWeight;
    }
}
