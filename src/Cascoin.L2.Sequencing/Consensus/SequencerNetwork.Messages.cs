using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Network;
using Cascoin.L2.Sequencing.Discovery;
using Cascoin.L2.Sequencing.Election;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>The engine's message side: proposals, votes, announcements, the tally and finalization.</summary>
public sealed partial class SequencerNetwork
{
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
            if (block.Number != _height || block.Header.ParentHash != _parentHash || _proposals.ContainsKey(block.Hash) || _rejectedProposals.Contains(block.Hash))
                return Task.CompletedTask;
            if (_schedules.For(_height) is not { } schedule)
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
                _invalidProducers.Add(block.Header.Sequencer);
                _rejectedProposals.Add(block.Hash);
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
        _lockRound = CurrentRound();
        Count(new L2Vote(ChainId, block.Number, block.Hash, VoteKind.Accept, Block.Seal(ChainId, block.Header, _key)), null);
    }

    /// <summary>
    /// One tally per height, weighted by the height's set (fixed by the parent's L1 epoch).
    /// </summary>
    private void EnsureTally(Block block)
    {
        if (_tally is null && _schedules.SetFor(block.Number) is { } set)
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
}
