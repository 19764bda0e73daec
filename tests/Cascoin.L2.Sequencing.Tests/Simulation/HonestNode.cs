using Cascoin.L2.Primitives;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>
/// An honest sequencer's host around <see cref="HeightConsensus"/>: one instance per height,
/// heights 1..H one after the other. What survives a crash is the persisted store: the decided
/// heights and every message it signed per height (written before the message leaves). Everything
/// else (the state machine, buffered messages of later heights) is lost and rebuilt on restart.
/// </summary>
internal sealed class HonestNode(ConsensusSimulation sim, int index, Address address)
{
    private const int MaxBuffered = 4096;

    // Persisted store.
    private readonly Dictionary<ulong, List<SignedStep>> _signed = [];
    private readonly Dictionary<ulong, List<Payload>> _sent = [];
    private readonly Dictionary<ulong, List<SimMessage>> _justifications = [];
    private readonly List<Commit> _decided = [];

    // Volatile state.
    private readonly SortedDictionary<ulong, List<SimMessage>> _future = [];
    private readonly Dictionary<(int Peer, ulong Height), long> _lastReply = [];
    private readonly HashSet<(Address Signer, int Round, VoteStep Step)> _firstSeen = [];
    private readonly HashSet<(Address Signer, int Round, VoteStep Step, Hash256? Block)> _received = [];
    private readonly Dictionary<(int Round, VoteStep Step, Hash256? Block), UInt128> _weightFor = [];
    private readonly List<(SimMessage Message, int Round, VoteStep Step, Hash256? Block, bool First)> _relay = [];
    private HeightConsensus? _current;
    private int _ticks;

    public int Index => index;

    public Address Address => address;

    public int Incarnation { get; private set; }

    public bool Crashed { get; private set; }

    public int Restarts { get; private set; }

    public ulong NextHeight => (ulong)_decided.Count + 1;

    public bool Done => _decided.Count >= sim.Scenario.Heights;

    public HeightConsensus? Current => _current;

    public IReadOnlyList<Commit> Decided => _decided;

    /// <summary>The highest round this node signed anything in at <paramref name="height"/> (from its store), else −1.</summary>
    public int MaxSignedRound(ulong height) => _signed.TryGetValue(height, out var steps) && steps.Count > 0 ? steps.Max(s => s.Round) : -1;

    /// <summary>Starts (or restarts) the node from its persisted store.</summary>
    public void Boot()
    {
        if (Incarnation > 0)
            Restarts++;
        Incarnation++;
        Crashed = false;
        StartHeight();
        sim.Queue.After(sim.Random.Next(1, (int)ConsensusSimulation.ResendInterval), new ResendTick(index, Incarnation));
    }

    /// <summary>Loses everything but the persisted store; pending timers and builds of this incarnation die with it.</summary>
    public void Crash()
    {
        Crashed = true;
        Incarnation++;
        _current = null;
        _future.Clear();
        _lastReply.Clear();
        ForgetReceived();
    }

    public void Receive(int from, SimMessage message)
    {
        if (Crashed || message.Height == 0 || message.Height > (ulong)sim.Scenario.Heights)
            return;
        if (message.Height < NextHeight)
        {
            ReplyDecided(from, message);
            return;
        }
        if (message.Height > NextHeight || _current is null)
        {
            if (!_future.TryGetValue(message.Height, out var buffered))
                _future[message.Height] = buffered = [];
            if (buffered.Count < MaxBuffered)
                buffered.Add(message);
            return;
        }
        Feed(_current, message);
    }

    public void OnTimer(TimerFired timer)
    {
        if (!Crashed && timer.Incarnation == Incarnation && _current is { } consensus && consensus.Height == timer.Height)
            Process(consensus, consensus.OnTimeout(timer.Step, timer.Round));
    }

    public void OnBlockReady(BlockReady ready)
    {
        if (!Crashed && ready.Incarnation == Incarnation && _current is { } consensus && consensus.Height == ready.Height)
            Process(consensus, consensus.OnBlockBuilt(ready.Round, ready.Block));
    }

    public void OnResendTick(ResendTick tick)
    {
        if (Crashed || tick.Incarnation != Incarnation || Done)
            return;
        if (_current is { } consensus)
        {
            Process(consensus, consensus.Resend());
            if (sim.Gossip == HostGossip.Relay && ++_ticks % 5 == 0 && _current == consensus)
                Gossip(consensus);
        }
        sim.Queue.After(ConsensusSimulation.ResendInterval, tick);
    }

    /// <summary>
    /// <see cref="HostGossip.Relay"/>, the production engine's repair policy: every signed message
    /// this node holds — its own and what it received — of the rounds the state machine names
    /// (<see cref="HeightConsensus.RoundsToRepair"/>) is sent again.
    /// </summary>
    private void Gossip(HeightConsensus consensus)
    {
        var rounds = consensus.RoundsToRepair();
        if (_sent.TryGetValue(consensus.Height, out var sent))
        {
            foreach (var payload in sent.Where(p => rounds.Contains(RoundOf(p))))
                sim.Network.Broadcast(index, new SimMessage(consensus.Height, address, payload));
        }
        foreach (var (message, round, step, block, first) in _relay)
        {
            // A signer's first message of a round and step, and every message that is part of a 2/3 majority this node saw
            // (a second, conflicting vote of an equivocator may be what completes another node's proof-of-lock-change).
            if (rounds.Contains(round) && (first || IsTwoThirds(_weightFor.GetValueOrDefault((round, step, block)))))
                sim.Network.Broadcast(index, message);
        }
    }

    private static int RoundOf(Payload payload) => payload switch
    {
        ProposalPayload p => p.Round,
        VotePayload v => v.Round,
        _ => -1,
    };

    private bool IsTwoThirds(UInt128 weight) => weight * 3 > sim.TotalWeight * 2;

    private void Remember(SimMessage message, int round, VoteStep step, Hash256? block)
    {
        if (sim.Gossip != HostGossip.Relay || round < 0 || !sim.Weights.TryGetValue(message.Sender, out var weight) || !_received.Add((message.Sender, round, step, block)))
            return;
        _weightFor[(round, step, block)] = _weightFor.GetValueOrDefault((round, step, block)) + weight;
        _relay.Add((message, round, step, block, _firstSeen.Add((message.Sender, round, step))));
    }

    private void ForgetReceived()
    {
        _firstSeen.Clear();
        _received.Clear();
        _weightFor.Clear();
        _relay.Clear();
    }

    private void StartHeight()
    {
        _current = null;
        ForgetReceived();
        if (Done)
            return;
        var height = NextHeight;
        foreach (var stale in _future.Keys.Where(h => h < height).ToList())
            _future.Remove(stale);
        var signedBefore = _signed.TryGetValue(height, out var steps) ? steps.ToList() : null;
        var consensus = new HeightConsensus(height, sim.Weights, address, round => sim.ProposerOf(height, round), ConsensusSimulation.Timeouts, signedBefore);
        _current = consensus;
        Process(consensus, consensus.Start());
        if (_justifications.TryGetValue(height, out var justification))
        {
            foreach (var message in justification.ToList())
            {
                if (_current == consensus)
                    Feed(consensus, message);
            }
        }
        if (_future.Remove(height, out var buffered))
        {
            foreach (var message in buffered)
                Receive(sim.IndexOf(message.Sender), message);
        }
    }

    private void Feed(HeightConsensus consensus, SimMessage message)
    {
        switch (message.Payload)
        {
            case ProposalPayload p:
                Remember(message, p.Round, VoteStep.Proposal, p.Block);
                var valid = sim.Values.IsValid(consensus.Height, p.Block);
                Process(consensus, consensus.OnProposal(new RoundProposal(message.Sender, p.Round, p.PolRound, p.Block, valid)));
                // The host validated the block: it may complete a decision even when the proposal itself was not taken (a second one of an equivocating proposer, a round far ahead).
                if (valid && _current == consensus)
                    Process(consensus, consensus.OnValidBlock(p.Block));
                break;
            case VotePayload v:
                if (v.Step != VoteStep.Proposal)
                    Remember(message, v.Round, v.Step, v.Block);
                Process(consensus, consensus.OnVote(new RoundVote(message.Sender, v.Round, v.Step, v.Block)));
                break;
            case DecidedPayload d:
                if (sim.VerifiesCertificate(consensus.Height, d))
                    Commit(new Commit(consensus.Height, d.Round, d.Block, d.Voters, sim.Queue.Now, ByCertificate: true));
                break;
        }
    }

    /// <summary>Carries out what the state machine asks, in order; a decision starts the next height after the rest is done.</summary>
    private void Process(HeightConsensus consensus, IReadOnlyList<BftAction> actions)
    {
        if (_current != consensus)
            return;
        var height = consensus.Height;
        Commit? commit = null;
        foreach (var action in actions)
        {
            switch (action)
            {
                case BuildBlock build:
                    sim.Queue.After(sim.BuildDelay(), new BlockReady(index, Incarnation, height, build.Round, sim.Values.Build(height)));
                    break;
                case SendProposal proposal:
                    Sign(height, proposal.Round, VoteStep.Proposal, proposal.Block, new ProposalPayload(proposal.Round, proposal.PolRound, proposal.Block));
                    break;
                case SendVote vote:
                    Sign(height, vote.Round, vote.Step, vote.Block, new VotePayload(vote.Round, vote.Step, vote.Block));
                    break;
                case ScheduleTimeout timeout:
                    sim.Queue.After((long)timeout.After.TotalMilliseconds, new TimerFired(index, Incarnation, height, timeout.Step, timeout.Round));
                    break;
                case Decide decide:
                    commit ??= new Commit(height, decide.Round, decide.Block, consensus.PrecommitVoters(decide.Round, decide.Block), sim.Queue.Now, ByCertificate: false);
                    break;
            }
        }
        if (commit is not null)
            Commit(commit);
    }

    /// <summary>Persist, then sign, then send: the store always holds at least what left the node.</summary>
    private void Sign(ulong height, int round, VoteStep step, Hash256? block, Payload payload)
    {
        if (!_signed.TryGetValue(height, out var steps))
            _signed[height] = steps = [];
        if (step == VoteStep.Precommit && block is not null)
        {
            // The prevotes that made this node lock are persisted with the precommit: after a restart it
            // can still show them to nodes that need them to follow its re-proposal (its lock is restored
            // from the precommit; without them the lock may be one nobody else can verify any more).
            if (!_justifications.TryGetValue(height, out var kept))
                _justifications[height] = kept = [];
            kept.AddRange(_relay.Where(r => r.Round == round && r.Step == VoteStep.Prevote && r.Block == block).Select(r => r.Message));
        }
        var signed = new SignedStep(round, step, block);
        if (!steps.Contains(signed))
            steps.Add(signed);
        if (!_sent.TryGetValue(height, out var sent))
            _sent[height] = sent = [];
        if (!sent.Contains(payload))
            sent.Add(payload);
        sim.OnSigned(index, address, honest: true, height, round, step, block);
        sim.Network.Broadcast(index, new SimMessage(height, address, payload));
    }

    private void Commit(Commit commit)
    {
        if (_current is null || commit.Height != NextHeight)
            return;
        _decided.Add(commit);
        sim.OnCommit(index, commit);
        StartHeight();
    }

    /// <summary>A peer is behind: tell it how the height ended (at most every resend interval per peer and height).</summary>
    private void ReplyDecided(int from, SimMessage message)
    {
        if (message.Payload is DecidedPayload || from < 0)
            return;
        var now = sim.Queue.Now;
        if (_lastReply.TryGetValue((from, message.Height), out var last) && now - last < ConsensusSimulation.ResendInterval)
            return;
        _lastReply[(from, message.Height)] = now;
        var commit = _decided[(int)message.Height - 1];
        sim.Network.Send(index, from, new SimMessage(message.Height, address, new DecidedPayload(commit.Round, commit.Block, commit.Voters)));
    }
}
