using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Discovery;
using Cascoin.L2.Sequencing.Election;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>Who leads <paramref name="Height"/>: its slot, the failover round reached, the slot's ranking, and the failed leaders ranked last.</summary>
public sealed record LeaderView(ulong Height, ulong Slot, int Round, Address Leader, IReadOnlyList<Address> Ranking, IReadOnlyList<Address> Demoted);

/// <summary>
/// Block production of a deployed chain by its sequencers (SPEC §7). For the next height the slot's
/// leader (<see cref="SequencerSchedules"/>) builds a block and sends it as <c>l2propose</c> with its
/// seal, which is its ACCEPT; every sequencer validates it fully and answers with a signed
/// <c>l2vote</c>; once ACCEPTs hold more than 2/3 of the set's stake × score, each node commits the
/// block carrying those signatures. A leader silent for <see cref="ConsensusOptions.LeaderTimeout"/>
/// is replaced by the next in the ranking (round 1, then 2, …), which re-proposes the best block it
/// already holds for the height, if any; rounds count from the parent block's timestamp, so every
/// node with a sane clock agrees on them, and proposals of any leader up to one round after this
/// node's own are accepted. A later round's leader claims the height only once the earlier
/// leaders are silent (no announcement, proposal or vote for 1.5 timeouts). A sequencer that has
/// not heard from more than half of the set's weight recently (SEQANNOUNCE and votes are its signals) does not propose: in a partition
/// only the side with the majority goes on, and the other side catches up by sync when it heals.
/// With a single sequencer this is plain block production: its own seal is the quorum.
/// </summary>
public sealed partial class SequencerNetwork
{
    private const int MaxBufferedVotes = 1024;

    private readonly P2PNode _p2p;
    private readonly L2Blockchain _chain;
    private readonly TxPool _pool;
    private readonly SequencerSchedules _schedules;
    private readonly SequencerRegistry _registry;
    private readonly PrivateKey _key;
    private readonly Address _self;
    private readonly ConsensusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SequencerNetwork> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<Address, long> _heardAt = [];
    private readonly List<DoubleSignEvidence> _evidence = [];

    // The height being decided: everything below is reset when the head moves.
    private Hash256 _parentHash;
    private ulong _height;
    private readonly Dictionary<Hash256, ProducedBlock> _proposals = [];
    private readonly HashSet<int> _proposedRounds = [];
    private readonly List<L2Vote> _bufferedVotes = [];
    private VoteTally? _tally;
    private Hash256? _myAccept;
    private int _lockRound;
    private int? _waitForLockedSince;
    private readonly HashSet<Address> _invalidProducers = [];
    private readonly HashSet<Hash256> _rejectedProposals = [];
    private long _lastAnnouncement;
    private string? _lastBlockedReason;

    public SequencerNetwork(P2PNode p2p, L2Blockchain chain, TxPool pool, SequencerSchedules schedules, PrivateKey key,
        ConsensusOptions options, TimeProvider time, ILogger<SequencerNetwork> logger)
    {
        ArgumentNullException.ThrowIfNull(p2p);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        _p2p = p2p;
        _chain = chain;
        _pool = pool;
        _schedules = schedules;
        _key = key;
        _self = Address.FromPublicKey(key.PublicKey.AsSpan());
        _options = options;
        _time = time;
        _logger = logger;
        _registry = new SequencerRegistry(chain.Parameters.ChainId, Eligibility, time, TimeSpan.FromMinutes(10));
    }

    /// <summary>Asked before this node proposes or votes: null to take part, else why not (emergency, not an eligible sequencer, …).</summary>
    public Func<string?> BlockedReason { get; set; } = () => null;

    public SequencerRegistry Registry => _registry;

    public Address Sequencer => _self;

    private ulong ChainId => _chain.Parameters.ChainId;

    private ulong NowMs => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Called (under the engine's lock: queue, do not block) with slashing evidence for the staking
    /// contract whenever a sequencer's second ACCEPT at a height is seen; both headers are known then,
    /// since only votes for validated proposals are counted.
    /// </summary>
    public Action<DoubleSignCall>? EvidenceFound { get; set; }

    /// <summary>Double-sign evidence seen so far.</summary>
    public IReadOnlyList<DoubleSignEvidence> Evidence
    {
        get
        {
            lock (_lock)
                return _evidence.ToList();
        }
    }

    /// <summary>The leader of the next height as this node sees it now (null before the schedule is known).</summary>
    public LeaderView? CurrentLeader()
    {
        lock (_lock)
        {
            ResetIfHeadMoved();
            if (ScheduleForNext() is not { } schedule || schedule.Sequencers.Count == 0)
                return null;
            var slot = SequencerSchedules.SlotOf(_height);
            var round = CurrentRound();
            var ranking = schedule.Ranking(slot);
            return new LeaderView(_height, slot, round, ranking[LeaderPosition(ranking, round)], ranking, schedule.Demoted);
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
        ResetIfHeadMoved();
        var blocked = BlockedReason() ?? _chain.ProductionBlockedReason(NowMs);
        if (blocked != _lastBlockedReason)
        {
            if (blocked is null)
                _logger.LogInformation("Block production resumes: this node proposes and votes as sequencer {Sequencer}", _self);
            else
                _logger.LogWarning("Block production stopped: {Reason}", blocked);
            _lastBlockedReason = blocked;
        }
        if (blocked is not null)
            return;
        if (_time.GetElapsedTime(_lastAnnouncement) >= _options.AnnouncementInterval)
            AnnounceLocked();
        if (ScheduleForNext() is not { } schedule || !schedule.Sequencers.Any(s => s.Address == _self))
            return;
        var slot = SequencerSchedules.SlotOf(_height);
        var round = CurrentRound();
        var ranking = schedule.Ranking(slot);
        RegossipLock(round);
        var position = LeaderPosition(ranking, round);
        if (ranking[position] != _self || _proposedRounds.Contains(round))
        {
            TryFinalize();
            return;
        }
        var solo = schedule.Sequencers.Count == 1;
        var elapsed = SinceParent();
        var hasWork = _pool.Count > 0 || _chain.HasQueuedEntries();
        // The first in the ranking waits for work or the heartbeat; one claiming the height after a
        // silent leader proposes at once.
        if (position == 0 && !hasWork && elapsed < (solo ? _options.SoloHeartbeat : _options.LeaderTimeout / 2))
            return;
        if (!solo && !ReachesMajority(schedule))
        {
            _logger.LogWarning("Not proposing L2 block {Height}: this node reaches no more than half of the sequencers' stake (partition rule)", _height);
            _proposedRounds.Add(round);
            return;
        }
        Propose(slot, round);
        TryFinalize();
    }

    /// <summary>
    /// Who leads now: the first in the slot's ranking, among the positions the round has reached, that
    /// is this node or was heard from within 1.5 timeouts, and has not proposed an invalid block at this
    /// height. A leader that still announces itself is slow (validating a large block on a busy
    /// machine), not dead; claiming the height over it would split the votes. One whose proposal this
    /// node rejected cannot finalize (every honest sequencer rejects it too), so the next claims the
    /// height at the next round. Once the round passes the last position, the last one leads.
    /// </summary>
    private int LeaderPosition(IReadOnlyList<Address> ranking, int round)
    {
        var reached = Math.Min(round, ranking.Count - 1);
        for (var position = 0; position < reached; position++)
        {
            if (_invalidProducers.Contains(ranking[position]))
                continue;
            if (ranking[position] == _self || HeardWithin(ranking[position], _options.LeaderTimeout * 1.5))
                return position;
        }
        return reached;
    }

    /// <summary>
    /// A sequencer that accepted a block at this height is locked on it: a second ACCEPT would be
    /// double signing. Each round the height stays open it sends the block and its ACCEPTs again, so a
    /// failover leader that never received them (its predecessor died mid-broadcast) re-proposes that
    /// block instead of splitting the votes with a new one.
    /// </summary>
    private void RegossipLock(int round)
    {
        if (_myAccept is not { } locked || round <= _lockRound || _tally is null || !_proposals.TryGetValue(locked, out var produced))
            return;
        _lockRound = round;
        _p2p.Broadcast(ConsensusMessages.Propose, ConsensusMessages.EncodeProposal(ChainId, round, produced.Block));
        foreach (var vote in _tally.AcceptsFor(locked))
            _p2p.Broadcast(ConsensusMessages.Vote, vote.ToBytes());
    }

    private bool HeardWithin(Address sequencer, TimeSpan window) => _heardAt.TryGetValue(sequencer, out var at) && _time.GetElapsedTime(at) <= window;

    /// <summary>This node plus the sequencers heard from recently hold more than half of the weight.</summary>
    private bool ReachesMajority(LeaderSchedule schedule)
    {
        var reached = UInt128.Zero;
        foreach (var sequencer in schedule.Sequencers)
        {
            if (sequencer.Address == _self || HeardWithin(sequencer.Address, _options.ReachabilityWindow))
                reached += sequencer.Weight;
        }
        return reached * 2 > schedule.TotalWeight;
    }

    private void Propose(ulong slot, int round)
    {
        // A failover leader re-proposes what the height already has (votes may be on it) rather than
        // competing with it. Every block in _proposals passed full validation, whoever produced it.
        var known = _proposals.Values.OrderByDescending(p => _tally?.AcceptedWeight(p.Block.Hash) ?? UInt128.Zero).FirstOrDefault();
        if (known is null && _bufferedVotes.Any(v => v.Kind == VoteKind.Accept))
        {
            // Sequencers accepted a block this node has not seen: they are locked on it and send it again
            // each round. Wait one round for it; after that (its voters may be gone too) build a new one.
            _waitForLockedSince ??= round;
            if (round == _waitForLockedSince)
                return;
        }
        _proposedRounds.Add(round);
        ProducedBlock produced;
        if (known is not null)
        {
            produced = known;
        }
        else if (_myAccept is not null)
        {
            return; // a new block would carry this node's second seal at the height: double signing
        }
        else
        {
            produced = _chain.Produce(_pool.SelectForBlock(_chain.NextBaseFee, _chain.GetAccount), NowMs, _key);
            DropLastingRefusals(produced);
            _proposals[produced.Block.Hash] = produced;
            // The producer's seal is its ACCEPT.
            if (_myAccept is null)
            {
                _myAccept = produced.Block.Hash;
                _lockRound = round;
            }
        }
        _logger.LogDebug("Proposing L2 block {Height} {Hash} (slot {Slot}, round {Round}) with {Count} transactions",
            _height, produced.Block.Hash, slot, round, produced.Block.Transactions.Count);
        _p2p.Broadcast(ConsensusMessages.Propose, ConsensusMessages.EncodeProposal(ChainId, round, produced.Block));
        CountSeals(produced.Block);
        VoteAccept(produced.Block);
        if (_options.Equivocate && produced.Block.Header.Sequencer == _self)
        {
            // Byzantine on purpose (regtest): the same height, another timestamp, so another hash and a second seal.
            var conflicting = _chain.Produce(_pool.SelectForBlock(_chain.NextBaseFee, _chain.GetAccount), produced.Block.Header.Timestamp + 1, _key).Block;
            _logger.LogWarning("-l2equivocate: also proposing conflicting L2 block {Height} {Hash}", _height, conflicting.Hash);
            _p2p.Broadcast(ConsensusMessages.Propose, ConsensusMessages.EncodeProposal(ChainId, round, conflicting));
        }
    }

    /// <summary>Transactions the block refused for a lasting reason leave the mempool (they would be offered forever).</summary>
    private void DropLastingRefusals(ProducedBlock produced)
    {
        var dropped = produced.Skipped.Where(s => s.Rejection.IsLasting).ToList();
        if (dropped.Count > 0)
            _pool.Remove(dropped.Select(s => s.Transaction.Id));
    }

    private LeaderSchedule? ScheduleForNext()
    {
        return _schedules.For(_height);
    }

    /// <summary>
    /// Time since the parent block's timestamp. Rounds count from the timestamp every node shares, not
    /// from when each node happened to see the parent (nodes started seconds apart would disagree on
    /// the round, and so on the leader).
    /// </summary>
    private TimeSpan SinceParent() => TimeSpan.FromMilliseconds(Math.Max(0, (double)NowMs - _chain.Head.Timestamp));

    /// <summary>Failover round: how many leader timeouts have passed since the parent block.</summary>
    private int CurrentRound() => (int)Math.Min(1_000_000, SinceParent() / _options.LeaderTimeout);

    private void ResetIfHeadMoved()
    {
        var head = _chain.Head;
        if (head.Hash == _parentHash)
            return;
        _parentHash = head.Hash;
        _height = head.Number + 1;
        _proposals.Clear();
        _proposedRounds.Clear();
        _bufferedVotes.Clear();
        _tally = null;
        _myAccept = null;
        _waitForLockedSince = null;
        _invalidProducers.Clear();
        _rejectedProposals.Clear();
    }
}
