using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus.Bft;
using Cascoin.L2.Sequencing.Discovery;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>
/// The engine's message side. A peer's handler decodes, drops what is stale or from outside the
/// set, and checks the signature outside the engine's lock; full block validation runs on a worker.
/// Only then does the state machine see the message.
/// </summary>
public sealed partial class SequencerNetwork
{
    private Task OnProposal(Peer peer, byte[] payload)
    {
        if (!_proposalFlood.TryTake(peer))
        {
            Punish(peer, PeerOffence.Flood, "proposals over the flood limit");
            return Task.CompletedTask;
        }
        if (IsKnownProposal(ProposalMessage.PeekProposal(payload)))
            return Task.CompletedTask; // a repeat (relays, repairs): not decoded again
        HandleProposal(peer, ProposalMessage.FromBytes(payload), payload);
        return Task.CompletedTask;
    }

    private bool IsKnownProposal(SignedVote proposal)
    {
        lock (_lock)
        {
            return _state is { } state && proposal.ChainId == ChainId && proposal.Height == state.Height
                && state.Signed.ContainsKey((state.ProposerOf(proposal.Round), proposal.Round, VoteStep.Proposal, proposal.Block));
        }
    }

    private Task OnVote(Peer peer, byte[] payload)
    {
        if (!_voteFlood.TryTake(peer))
        {
            Punish(peer, PeerOffence.Flood, "votes over the flood limit");
            return Task.CompletedTask;
        }
        HandleVote(peer, VoteMessage.FromBytes(payload), payload);
        return Task.CompletedTask;
    }

    private void HandleProposal(Peer? peer, ProposalMessage message, byte[] payload)
    {
        var proposal = message.Proposal;
        if (proposal.ChainId != ChainId)
            return;
        Counters.Proposal();
        HeightState? state;
        Address expected;
        lock (_lock)
        {
            state = StateFor(peer, ConsensusMessages.Propose, payload, proposal.Height);
            if (state is null || message.Block.Header.ParentHash != state.Parent)
                return;
            expected = state.ProposerOf(proposal.Round);
            if (state.Signed.ContainsKey((expected, proposal.Round, VoteStep.Proposal, proposal.Block)))
                return; // seen: no second recovery
        }
        if (proposal.RecoverSigner() != expected)
        {
            Punish(peer, PeerOffence.ForgedProposal, $"a proposal for round {proposal.Round} not signed by that round's proposer");
            return;
        }
        lock (_lock)
        {
            if (_state != state)
                return;
            if (IsFarAhead(state, proposal.Round))
            {
                // Only its round counts (toward skipping ahead); the block is neither kept nor validated.
                Execute(state, state.Consensus.OnProposal(new RoundProposal(expected, proposal.Round, message.PolRound, proposal.Block, false)));
                return;
            }
            if (!RecordSigned(state, expected, proposal))
                return;
            _heardAt[expected] = _time.GetTimestamp();
            state.Proposals.TryAdd(proposal.Round, message);
            _p2p.Broadcast(ConsensusMessages.Propose, payload, peer);
            FeedProposal(state, message);
        }
    }

    private void HandleVote(Peer? peer, VoteMessage message, byte[] payload)
    {
        var vote = message.Vote;
        if (vote.ChainId != ChainId)
            return;
        Counters.Vote();
        HeightState? state;
        lock (_lock)
        {
            state = StateFor(peer, ConsensusMessages.Vote, payload, vote.Height);
            if (state is null)
                return;
            if (!state.Weights.ContainsKey(message.Voter))
            {
                // Judged before any signature recovery: a flood from outside the set costs a lookup, and its sender its score.
                Punish(peer, PeerOffence.VoteFromOutsideTheSet, "a vote from outside the height's sequencer set");
                return;
            }
            if (state.Signed.ContainsKey((message.Voter, vote.Round, vote.Step, vote.Block)))
                return;
        }
        if (vote.RecoverSigner() != message.Voter)
        {
            Punish(peer, PeerOffence.ForgedVote, "a vote whose signature is not its voter's");
            return;
        }
        lock (_lock)
        {
            if (_state != state)
                return;
            var counted = new RoundVote(message.Voter, vote.Round, vote.Step, vote.IsNil ? null : vote.Block);
            if (IsFarAhead(state, vote.Round))
            {
                Execute(state, state.Consensus.OnVote(counted)); // only its round counts (toward skipping ahead): not kept, not relayed
                return;
            }
            if (!RecordSigned(state, message.Voter, vote))
                return;
            _heardAt[message.Voter] = _time.GetTimestamp();
            VoteObserved?.Invoke(new Monitoring.ObservedVote(message.Voter, vote.Height, vote.Round, vote.Step, vote.IsNil ? null : vote.Block,
                (int)Math.Min(int.MaxValue, _time.GetElapsedTime(state.StartedAt).TotalMilliseconds)));
            _p2p.Broadcast(ConsensusMessages.Vote, payload, peer);
            Execute(state, state.Consensus.OnVote(counted));
        }
    }

    private Task OnAnnouncement(Peer peer, byte[] payload)
    {
        if (!_announcementFlood.TryTake(peer))
        {
            Punish(peer, PeerOffence.Flood, "announcements over the flood limit");
            return Task.CompletedTask;
        }
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
            Punish(peer, PeerOffence.ForgedAnnouncement, "a SEQANNOUNCE with a bad signature");
        }
        return Task.CompletedTask;
    }

    /// <summary>The height being decided when the message is for it; null when it is for an earlier height (dropped) or a later one (kept for then).</summary>
    private HeightState? StateFor(Peer? peer, string command, byte[] payload, ulong height)
    {
        EnsureHeight();
        if (_state is not { } state || height > state.Height)
        {
            Keep(peer, command, payload, height);
            return null;
        }
        return height == state.Height ? state : null;
    }

    /// <summary>
    /// A round further ahead than the state machine keeps: its messages count toward skipping ahead,
    /// but are not stored, relayed or validated (a sequencer signing proposals for thousands of future
    /// rounds would otherwise have each one re-executed). The honest nodes there repeat theirs.
    /// </summary>
    private static bool IsFarAhead(HeightState state, int round) => round > Math.Max(state.Consensus.Round, 0) + HeightConsensus.MaxRoundsAhead;

    private void Punish(Peer? peer, PeerOffence offence, string reason)
    {
        Counters.Punishment();
        if (peer is not null && PeerPenalties.Points(offence) > 0)
            _p2p.Misbehaving(peer, PeerPenalties.Points(offence), reason);
    }

    /// <summary>
    /// Keeps a signed message; false when it was held already. A second message of a sequencer for
    /// one (round, step) naming another block is slashable evidence, reported once per sequencer and
    /// height — and still counted, as Algorithm 1 counts it: it may be what completed another node's
    /// proof-of-lock-change, and two values can never both pass 2/3 without an honest double signer.
    /// </summary>
    private bool RecordSigned(HeightState state, Address signer, SignedVote vote)
    {
        if (!state.Signed.TryAdd((signer, vote.Round, vote.Step, vote.Block), vote))
            return false;
        if (!state.First.TryAdd((signer, vote.Round, vote.Step), vote) && state.First[(signer, vote.Round, vote.Step)] is { } first
            && first.ConflictsWith(vote) && _reported.Add((signer, vote.Height)))
        {
            var call = new DoubleSignCall(first, vote);
            _evidence.Add(call);
            _logger.LogError("Double signing: sequencer {Sequencer} signed two {Step}s at L2 height {Height} round {Round} ({First}, {Second})",
                signer, vote.Step, vote.Height, vote.Round, first.Block, vote.Block);
            EvidenceFound?.Invoke(call);
        }
        return true;
    }

    /// <summary>Hands a proposal to the state machine once its block's validity is known; validates the block on a worker first.</summary>
    private void FeedProposal(HeightState state, ProposalMessage message)
    {
        var hash = message.Block.Hash;
        var known = state.Valid.ContainsKey(hash) ? true : state.Invalid.Contains(hash) ? false : (bool?)null;
        if (known is { } valid)
        {
            Execute(state, state.Consensus.OnProposal(new RoundProposal(state.ProposerOf(message.Proposal.Round), message.Proposal.Round, message.PolRound, hash, valid)));
            return;
        }
        if (state.Validating.Add(hash))
            StartValidation(state, message.Block);
    }

    /// <summary>Full validation (re-execution) off the read loop and outside the engine's lock.</summary>
    private void StartValidation(HeightState state, Block block) => _ = Task.Run(() =>
    {
        try
        {
            // The mempool's copies of the transactions already know their senders.
            var local = block.WithTransactions(block.Transactions.Select(t => _pool.Get(t.Id) ?? t).ToList());
            var started = _time.GetTimestamp();
            var (produced, rejection) = _chain.Validate(local, NowMs);
            _logger.LogDebug("Validated L2 block {Height} {Hash} ({Count} transactions) in {Ms:F1} ms: {Outcome}", block.Number, block.Hash,
                block.Transactions.Count, _time.GetElapsedTime(started).TotalMilliseconds, rejection?.ToString() ?? "valid");
            lock (_lock)
            {
                state.Validating.Remove(block.Hash);
                if (_state != state)
                    return;
                if (produced is not null)
                {
                    state.Valid[block.Hash] = produced;
                }
                else if (rejection!.IsNotYetJudgeable)
                {
                    _logger.LogInformation("L2 block {Height} {Hash} not judged yet: {Rejection}", block.Number, block.Hash, rejection);
                    state.NotYetJudged[block.Hash] = block;
                    return;
                }
                else
                {
                    _logger.LogWarning("Rejected L2 block {Height} {Hash} proposed by {Producer}: {Rejection}", block.Number, block.Hash, block.Header.Sequencer, rejection);
                    state.Invalid.Add(block.Hash);
                }
                foreach (var proposal in state.Proposals.Values.Where(p => p.Block.Hash == block.Hash).OrderBy(p => p.Proposal.Round).ToList())
                    FeedProposal(state, proposal);
                if (produced is not null)
                    Execute(state, state.Consensus.OnValidBlock(block.Hash));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Validating L2 block {Height} {Hash} failed", block.Number, block.Hash);
            lock (_lock)
                state.Validating.Remove(block.Hash);
        }
    });

    /// <summary>Blocks that named an L1 block this node had not confirmed are validated again (its settlement view may have caught up).</summary>
    private void RetryNotYetJudged(HeightState state)
    {
        foreach (var (hash, block) in state.NotYetJudged.ToList())
        {
            state.NotYetJudged.Remove(hash);
            if (state.Validating.Add(hash))
                StartValidation(state, block);
        }
    }

    /// <summary>A message for a later height (this node is a block behind, or its settlement view is): kept for when it gets there.</summary>
    private void Keep(Peer? peer, string command, byte[] payload, ulong height)
    {
        var current = _state?.Height ?? (_chain.HasGenesis ? _chain.Head.Number + 1 : 0);
        _future.TryKeep(peer, command, payload, height, current);
    }

    /// <summary>Hands the kept messages of <paramref name="height"/> in again, on a worker (their signatures are checked there); drops older ones.</summary>
    private void ReplayFuture(ulong height)
    {
        var due = _future.TakeDue(height);
        if (due.Count == 0)
            return;
        _ = Task.Run(() =>
        {
            foreach (var (peer, command, payload) in due)
            {
                if (command == ConsensusMessages.Propose)
                    HandleProposal(peer, ProposalMessage.FromBytes(payload), payload);
                else
                    HandleVote(peer, VoteMessage.FromBytes(payload), payload);
            }
        });
    }
}
