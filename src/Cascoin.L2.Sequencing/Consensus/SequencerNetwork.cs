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
public sealed class SequencerNetwork
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

    /// <summary>The leader of the next height as this node sees it now: height, slot, round, leader and the slot's ranking (null before the schedule is known).</summary>
    public (ulong Height, ulong Slot, int Round, Address Leader, IReadOnlyList<Address> Ranking)? CurrentLeader()
    {
        lock (_lock)
        {
            ResetIfHeadMoved();
            if (ScheduleForNext() is not { } schedule || schedule.Sequencers.Count == 0)
                return null;
            var slot = SequencerSchedules.SlotOf(_height);
            var round = CurrentRound();
            var ranking = schedule.Ranking(slot);
            return (_height, slot, round, ranking[LeaderPosition(ranking, round)], ranking);
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
        var blocked = BlockedReason();
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
    /// is this node or was heard from within 1.5 timeouts. A leader that still announces itself is slow
    /// (validating a large block on a busy machine), not dead; claiming the height over it would split
    /// the votes. Once the round passes the last position, the last one leads.
    /// </summary>
    private int LeaderPosition(IReadOnlyList<Address> ranking, int round)
    {
        var reached = Math.Min(round, ranking.Count - 1);
        for (var position = 0; position < reached; position++)
        {
            if (ranking[position] == _self || HeardWithin(ranking[position], _options.LeaderTimeout * 1.5))
                return position;
        }
        return reached;
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
        _proposedRounds.Add(round);
        // A failover leader re-proposes what the height already has (votes may be on it) rather than competing with it.
        var known = _proposals.Values.OrderByDescending(p => _tally?.AcceptedWeight(p.Block.Hash) ?? UInt128.Zero).FirstOrDefault();
        ProducedBlock produced;
        if (known is not null)
        {
            produced = known;
        }
        else
        {
            produced = _chain.Produce(_pool.SelectForBlock(_chain.NextBaseFee, _chain.GetAccount), NowMs, _key);
            // The L1 tip may have moved between the schedule and the block: the block's own anchor decides.
            if (_schedules.For(_height, produced.Block.Header.L1AnchorHeight)?.Ranking(slot) is not { } ranking || ranking[LeaderPosition(ranking, round)] != _self)
                return;
            DropLastingRefusals(produced);
            _proposals[produced.Block.Hash] = produced;
            // The producer's seal is its ACCEPT.
            _myAccept ??= produced.Block.Hash;
        }
        _logger.LogDebug("Proposing L2 block {Height} {Hash} (slot {Slot}, round {Round}) with {Count} transactions",
            _height, produced.Block.Hash, slot, round, produced.Block.Transactions.Count);
        _p2p.Broadcast(ConsensusMessages.Propose, ConsensusMessages.EncodeProposal(ChainId, round, produced.Block));
        CountSeals(produced.Block);
        VoteAccept(produced.Block);
    }

    /// <summary>Transactions the block refused for a lasting reason leave the mempool (they would be offered forever).</summary>
    private void DropLastingRefusals(ProducedBlock produced)
    {
        var dropped = produced.Skipped.Where(s => s.Rejection.IsLasting).ToList();
        if (dropped.Count > 0)
            _pool.Remove(dropped.Select(s => s.Transaction.Id));
    }

    private Task OnProposal(Peer peer, byte[] payload)
    {
        var (chainId, _, decoded) = ConsensusMessages.DecodeProposal(payload);
        // The mempool's copies of the transactions already know their senders: recovering them again
        // would double the signature work of every sequencer.
        var block = new Block(decoded.Header, decoded.Transactions.Select(t => _pool.Get(t.Id) ?? t).ToList(), decoded.Signatures);
        if (chainId != ChainId)
            return Task.CompletedTask;
        lock (_lock)
        {
            if (!_chain.HasGenesis)
                return Task.CompletedTask;
            ResetIfHeadMoved();
            if (block.Number != _height || block.Header.ParentHash != _parentHash || _proposals.ContainsKey(block.Hash))
                return Task.CompletedTask;
            if (_schedules.For(_height, block.Header.L1AnchorHeight) is not { } schedule)
                return Task.CompletedTask; // this node's settlement view is behind: the finalized block will come by sync
            var slot = SequencerSchedules.SlotOf(_height);
            // The producer must lead one of the rounds this node has reached (one ahead for clock skew).
            // Any leader of the rounds up to one after this node's own: a slow round-0 leader whose block
            // arrives late is still welcome (failover waits for silence, so late blocks are the common case).
            var current = CurrentRound();
            var ranking = schedule.Ranking(slot);
            var allowed = ranking.Take(Math.Min(ranking.Count, current + 2)).Contains(block.Header.Sequencer);
            if (!allowed)
            {
                _logger.LogInformation("Ignored L2 block {Height} proposal from {Peer}: {Producer} does not lead slot {Slot} by round {Round}",
                    _height, peer, block.Header.Sequencer, slot, CurrentRound() + 1);
                return Task.CompletedTask;
            }
            if (block.RecoverSigners(ChainId) is not { } signers || !signers.Contains(block.Header.Sequencer))
            {
                _p2p.Misbehaving(peer, 20, "a proposal without its producer's seal");
                return Task.CompletedTask;
            }
            var (produced, rejection) = _chain.Validate(block, NowMs);
            if (produced is null)
            {
                _logger.LogWarning("Rejected L2 block {Height} {Hash} proposed by {Producer}: {Rejection}", _height, block.Hash, block.Header.Sequencer, rejection);
                if (Participates(schedule))
                    Gossip(ConsensusMessages.Vote, L2Vote.Sign(ChainId, _height, block.Hash, VoteKind.Reject, _key).ToBytes(), null);
                return Task.CompletedTask;
            }
            _proposals[block.Hash] = produced;
            _heardAt[block.Header.Sequencer] = _time.GetTimestamp();
            Gossip(ConsensusMessages.Propose, payload, peer);
            CountSeals(block);
            if (Participates(schedule))
                VoteAccept(block);
            foreach (var vote in _bufferedVotes.Where(v => v.BlockHash == block.Hash).ToList())
            {
                _bufferedVotes.Remove(vote);
                Count(vote, null);
            }
            TryFinalize();
        }
        return Task.CompletedTask;
    }

    private Task OnVote(Peer peer, byte[] payload)
    {
        var vote = L2Vote.FromBytes(payload);
        if (vote.ChainId != ChainId)
            return Task.CompletedTask;
        lock (_lock)
        {
            if (!_chain.HasGenesis)
                return Task.CompletedTask;
            ResetIfHeadMoved();
            if (vote.Height != _height)
                return Task.CompletedTask;
            if (!_proposals.ContainsKey(vote.BlockHash))
            {
                // The proposal may still be on its way: keep (and pass on) votes that at least recover a signer.
                if (_bufferedVotes.Count < MaxBufferedVotes && _bufferedVotes.All(v => !v.Signature.AsSpan().SequenceEqual(vote.Signature))
                    && vote.RecoverVoter() is not null)
                {
                    _bufferedVotes.Add(vote);
                    Gossip(ConsensusMessages.Vote, payload, peer);
                }
                return Task.CompletedTask;
            }
            if (Count(vote, peer) && vote.Kind == VoteKind.Reject)
                _logger.LogInformation("Sequencer {Voter} rejects L2 block {Height} {Hash}", vote.RecoverVoter(), _height, vote.BlockHash);
            TryFinalize();
        }
        return Task.CompletedTask;
    }

    private Task OnAnnouncement(Peer peer, byte[] payload)
    {
        var announcement = SequencerAnnouncement.FromBytes(payload);
        var outcome = _registry.Offer(announcement);
        if (outcome is AnnouncementOutcome.Added or AnnouncementOutcome.Refreshed)
        {
            lock (_lock)
                _heardAt[announcement.Address] = _time.GetTimestamp();
            _p2p.Broadcast(ConsensusMessages.Announce, payload, peer);
        }
        else if (outcome == AnnouncementOutcome.BadSignature)
        {
            _p2p.Misbehaving(peer, 20, "a SEQANNOUNCE with a bad signature");
        }
        return Task.CompletedTask;
    }

    /// <summary>Counts a vote for a known proposal; relays it when it was new. Returns whether it was counted.</summary>
    private bool Count(L2Vote vote, Peer? from)
    {
        if (_tally is null || vote.RecoverVoter() is not { } voter)
            return false;
        var evidence = _tally.Evidence.Count;
        if (_tally.Add(vote, voter) is not null)
            return false;
        _heardAt[voter] = _time.GetTimestamp();
        if (_tally.Evidence.Count > evidence)
        {
            var proof = _tally.Evidence[^1];
            _evidence.Add(proof);
            _logger.LogError("Double signing: sequencer {Sequencer} accepted two L2 blocks at height {Height} ({First}, {Second})",
                voter, vote.Height, proof.First.BlockHash, proof.Second.BlockHash);
            if (_proposals.TryGetValue(proof.First.BlockHash, out var first) && _proposals.TryGetValue(proof.Second.BlockHash, out var second))
                EvidenceFound?.Invoke(new DoubleSignCall(ChainId, first.Block.Header, proof.First.Signature, second.Block.Header, proof.Second.Signature));
        }
        Gossip(ConsensusMessages.Vote, vote.ToBytes(), from);
        return true;
    }

    /// <summary>The seals a proposal carries are its signers' ACCEPTs.</summary>
    private void CountSeals(Block block)
    {
        EnsureTally(block);
        foreach (var signature in block.Signatures)
            Count(new L2Vote(ChainId, block.Number, block.Hash, VoteKind.Accept, signature), null);
    }

    /// <summary>This node's ACCEPT, once per height: a second block at the same height gets no vote from an honest sequencer.</summary>
    private void VoteAccept(Block block)
    {
        if (_myAccept is not null)
            return;
        _myAccept = block.Hash;
        Count(new L2Vote(ChainId, block.Number, block.Hash, VoteKind.Accept, Block.Seal(ChainId, block.Header, _key)), null);
    }

    /// <summary>
    /// One tally per height, weighted by the set of the first proposal validated here; a later
    /// proposal whose L1 anchor gives a different set cannot finalize at this height.
    /// </summary>
    private void EnsureTally(Block block)
    {
        if (_tally is null && _schedules.SetAt(block.Header.L1AnchorHeight) is { } set)
            _tally = new VoteTally(ChainId, block.Number, set);
    }

    private bool Participates(LeaderSchedule schedule) => BlockedReason() is null && schedule.Sequencers.Any(s => s.Address == _self);

    private void TryFinalize()
    {
        if (_tally?.Finalized is not { } hash || !_proposals.TryGetValue(hash, out var produced))
            return;
        var signatures = _tally.AcceptsFor(hash).Select(v => v.Signature).OrderBy(s => Convert.ToHexString(s), StringComparer.Ordinal).ToList();
        var block = new Block(produced.Block.Header, produced.Block.Transactions, signatures);
        if (!_chain.TryCommit(produced with { Block = block }))
            return; // the head moved (a finalized block came by sync, or an L1 reorganization reverted the chain)
        _pool.RemoveCommitted(block.Transactions, _chain.GetAccount);
        _logger.LogInformation("Finalized L2 block {Number} {Hash} ({Count} transactions, {Signatures} signatures, producer {Producer})",
            block.Number, block.Hash, block.Transactions.Count, signatures.Count, block.Header.Sequencer);
        ResetIfHeadMoved();
    }

    private void Gossip(string command, byte[] payload, Peer? except) => _p2p.Broadcast(command, payload, except);

    private LeaderSchedule? ScheduleForNext()
    {
        var anchor = _chain.Settlement?.ConfirmedTip.Height ?? 0;
        return _schedules.For(_height, Math.Max(anchor, _chain.Head.L1AnchorHeight));
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
    }
}
