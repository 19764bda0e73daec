using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus.Bft;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>The engine's hands: what the state machine asks for — build, sign and send, wait, commit.</summary>
public sealed partial class SequencerNetwork
{
    private void Execute(HeightState state, IReadOnlyList<BftAction> actions)
    {
        foreach (var action in actions)
        {
            if (_state != state)
                return; // a decision moved the head: the rest belongs to a finished height
            switch (action)
            {
                case BuildBlock build:
                    state.BuildRound = build.Round;
                    TryBuild(state);
                    break;
                case SendProposal send:
                    SendProposal(state, send);
                    break;
                case SendVote send:
                    SendVote(state, send);
                    break;
                case ScheduleTimeout timeout:
                    state.AddTimer(_time.CreateTimer(_ => OnTimeout(state, timeout), null, timeout.After, Timeout.InfiniteTimeSpan));
                    break;
                case Decide decide:
                    Commit(state, decide);
                    break;
            }
        }
    }

    private void OnTimeout(HeightState state, ScheduleTimeout timeout)
    {
        lock (_lock)
        {
            if (_state == state)
                Execute(state, state.Consensus.OnTimeout(timeout.Step, timeout.Round));
        }
    }

    /// <summary>
    /// Builds this node's block for the round it proposes in. In round 0 an idle proposer waits for
    /// work or half a leader timeout (the others' patience is a whole one); a later round's proposer
    /// builds at once. Not on the minority side of a partition, nor while the L1 binding cannot hold.
    /// </summary>
    private void TryBuild(HeightState state)
    {
        if (state.BuildRound is not { } round || state.Building || state.Consensus.Round != round || state.Consensus.Step != RoundStep.Propose)
            return;
        if (BlockedReason() is not null || _chain.ProductionBlockedReason(NowMs) is not null)
            return;
        var solo = state.Weights.Count == 1;
        // Waiting envelopes are work once their openings can be made: a block without them would be empty.
        var hasWork = _pool.Count > 0 || _chain.HasQueuedEntries()
            || _chain.Parameters.Encryption != Chain.Transactions.EncryptionPolicy.Off && _chain.Envelopes.Waiting > 0 && !_chain.OpeningsPending();
        var idleFor = _time.GetElapsedTime(state.StartedAt);
        if (!hasWork && (solo ? idleFor < _options.SoloHeartbeat : round == 0 && idleFor < _options.LeaderTimeout / 2))
            return;
        if (!solo && !ReachesMajority(state))
            return; // partition rule (logged by the tick)
        state.BuildRound = null;
        state.Building = true;
        // Building executes the block (tens of milliseconds for hundreds of transactions): on a
        // worker, so votes and proposals are not held up behind the engine's lock meanwhile.
        _ = Task.Run(() => Build(state, round));
    }

    private void Build(HeightState state, int round)
    {
        try
        {
            var started = _time.GetTimestamp();
            var candidates = _pool.SelectForBlock(_chain.NextBaseFee, _chain.GetAccount);
            var selected = _time.GetElapsedTime(started);
            if (AwaitOpenings(state, round, candidates))
                return;
            var produced = _chain.Produce(candidates, NowMs, _key);
            _logger.LogDebug("Built L2 block {Height} {Hash} ({Count} of {Candidates} candidates) in {Ms:F1} ms ({Selection:F1} ms selecting), {Into:F1} ms into the height",
                state.Height, produced.Block.Hash, produced.Block.Transactions.Count, candidates.Count, _time.GetElapsedTime(started).TotalMilliseconds,
                selected.TotalMilliseconds, _time.GetElapsedTime(state.StartedAt).TotalMilliseconds);
            lock (_lock)
            {
                state.Building = false;
                if (_state != state || produced.Block.Header.ParentHash != state.Parent)
                    return;
                DropLastingRefusals(produced);
                state.Valid[produced.Block.Hash] = produced;
                Execute(state, state.Consensus.OnBlockBuilt(round, produced.Block.Hash));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Building L2 block {Height} failed", state.Height);
            lock (_lock)
                state.Building = false;
        }
    }

    /// <summary>
    /// Plain transactions wait while envelopes of earlier blocks are not opened (front-running), and the
    /// openings wait for the shares that each sequencer sends once the parent is final: with plain
    /// candidates, a round-0 leader gives the shares up to half a leader timeout before it builds
    /// without them (it builds again at the next tick). Envelopes alone never wait: they open in order.
    /// </summary>
    private bool AwaitOpenings(HeightState state, int round, IReadOnlyList<Chain.Transactions.Transaction> candidates)
    {
        if (round != 0 || _time.GetElapsedTime(state.StartedAt) >= _options.LeaderTimeout / 2
            || !candidates.Any(t => t.Type != Chain.Transactions.TransactionType.Envelope) || !_chain.OpeningsPending())
            return false;
        lock (_lock)
        {
            state.Building = false;
            state.BuildRound = round;
        }
        return true;
    }

    /// <summary>Transactions the block refused for a lasting reason leave the mempool (they would be offered forever).</summary>
    private void DropLastingRefusals(ProducedBlock produced)
    {
        var dropped = produced.Skipped.Where(s => s.Rejection.IsLasting).ToList();
        if (dropped.Count > 0)
            _pool.Remove(dropped.Select(s => s.Transaction.Id));
    }

    private void SendProposal(HeightState state, SendProposal send)
    {
        if (!state.Valid.TryGetValue(send.Block, out var produced))
        {
            _logger.LogDebug("Cannot propose L2 block {Height} {Hash} at round {Round}: the block is not here (signed before a restart)", state.Height, send.Block, send.Round);
            return;
        }
        if (Sign(state, send.Round, VoteStep.Proposal, send.Block) is not { } signed)
            return;
        var message = new ProposalMessage(signed, send.PolRound, produced.Block);
        state.Proposals.TryAdd(send.Round, message);
        _logger.LogDebug("Proposing L2 block {Height} {Hash} (round {Round}, proof-of-lock round {PolRound}) with {Count} transactions",
            state.Height, send.Block, send.Round, send.PolRound, produced.Block.Transactions.Count);
        _p2p.Broadcast(ConsensusMessages.Propose, message.ToBytes());
        if (_options.Equivocate && send.PolRound == -1)
            Equivocate(state, send.Round, produced);
    }

    /// <summary>
    /// -l2equivocate (regtest fault injection): a Byzantine proposer also signs and sends a second
    /// block for the same round, past its own journal. Honest nodes must report it and get it slashed.
    /// </summary>
    private void Equivocate(HeightState state, int round, ProducedBlock produced)
    {
        var conflicting = _chain.Produce([], produced.Block.Header.Timestamp + 1, _key).Block;
        var second = SignedVote.Sign(ChainId, state.Height, round, VoteStep.Proposal, conflicting.Hash, _key);
        _logger.LogWarning("-l2equivocate: also proposing conflicting L2 block {Height} {Hash} at round {Round}", state.Height, conflicting.Hash, round);
        _p2p.Broadcast(ConsensusMessages.Propose, new ProposalMessage(second, -1, conflicting).ToBytes());
    }

    private void SendVote(HeightState state, SendVote send)
    {
        if (Sign(state, send.Round, send.Step, send.Block ?? default) is not { } vote)
            return;
        _p2p.Broadcast(ConsensusMessages.Vote, new VoteMessage(_self, vote).ToBytes());
        _logger.LogDebug("{Step} for L2 block {Height} round {Round}: {Block} ({Ms:F1} ms into the height)", send.Step, state.Height, send.Round,
            send.Block?.ToString() ?? "nil", _time.GetElapsedTime(state.StartedAt).TotalMilliseconds);
    }

    /// <summary>Writes the message to the journal, then signs it; null (nothing signed) when this node signed another block there before, or it may not take part now.</summary>
    private SignedVote? Sign(HeightState state, int round, VoteStep step, Hash256 block)
    {
        if (BlockedReason() is not null)
            return null;
        if (step == VoteStep.Precommit && block != default)
        {
            // The prevotes this node locks on are kept with its precommit: after a restart its lock is
            // restored, and so must be what lets the others follow it.
            _journal.KeepJustification(state.Height, state.Signed.Where(s => s.Key.Round == round && s.Key.Step == VoteStep.Prevote && s.Key.Block == block)
                .Select(s => new VoteMessage(s.Key.Signer, s.Value)));
        }
        if (!_journal.TryRecord(state.Height, round, step, state.Parent, block))
        {
            _logger.LogError("Refused to sign a second {Step} at L2 height {Height} round {Round}: the signing journal holds another one", step, state.Height, round);
            return null;
        }
        var vote = SignedVote.Sign(ChainId, state.Height, round, step, block, _key);
        RecordSigned(state, _self, vote);
        return vote;
    }

    /// <summary>Commits a decided block with its certificate: the precommits of the deciding round.</summary>
    private void Commit(HeightState state, Decide decide)
    {
        if (!state.Valid.TryGetValue(decide.Block, out var produced))
            return; // the state machine decides only blocks it was told are valid
        var signatures = state.Consensus.PrecommitVoters(decide.Round, decide.Block)
            .Select(voter => state.Signed[(voter, decide.Round, VoteStep.Precommit, decide.Block)].Signature)
            .OrderBy(Convert.ToHexString, StringComparer.Ordinal).ToList();
        var block = produced.Block.WithCertificate(decide.Round, signatures);
        var started = _time.GetTimestamp();
        _journal.MarkDecided(state.Height);
        if (!_chain.TryCommit(produced with { Block = block }))
            return; // the head moved (a finalized block came by sync, or an L1 reorganization reverted the chain)
        var committed = _time.GetElapsedTime(started);
        _pool.RemoveCommitted(block.Transactions, _chain.GetAccount);
        _logger.LogDebug("Committed L2 block {Number} in {Commit:F1} ms, mempool updated in {Pool:F1} ms", block.Number, committed.TotalMilliseconds,
            (_time.GetElapsedTime(started) - committed).TotalMilliseconds);
        _logger.LogInformation("Finalized L2 block {Number} {Hash} at round {Round} ({Count} transactions, {Signatures} precommits, producer {Producer}) {Ms:F0} ms into the height",
            block.Number, block.Hash, decide.Round, block.Transactions.Count, signatures.Count, block.Header.Sequencer, _time.GetElapsedTime(state.StartedAt).TotalMilliseconds);
        EnsureHeight();
    }
}
