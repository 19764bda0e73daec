using System.Text;
using Cascoin.L2.Primitives;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>The checks of a run: agreement, validity, the signing-state rule as things happen; liveness and the round bound at the end.</summary>
internal sealed partial class ConsensusSimulation
{
    private readonly Dictionary<ulong, (int Node, Commit Commit)> _firstCommit = [];
    private readonly Dictionary<ulong, int> _roundAtGst = [];
    private readonly List<string> _violations = [];
    private readonly List<string> _liveness = [];
    private (long Time, SimEvent Event)[]? _traceAtFailure;
    private int _finished;

    public void OnSigned(int node, Address signer, bool honest, ulong height, int round, VoteStep step, Hash256? block)
    {
        Trace.Add(Queue.Now, new SignedNote(node, height, round, step, block, honest));
        if (Log.Record(height, node, signer, honest, round, step, block) is { } violation)
            Fail(violation);
    }

    public void OnCommit(int node, Commit commit)
    {
        Trace.Add(Queue.Now, new DecidedNote(node, commit));
        if (!Values.IsValid(commit.Height, commit.Block))
            Fail($"validity: n{node} decided {SignatureLog.Short(commit.Block)} at height {commit.Height} round {commit.Round}, a value no proposer built for that height (invalid)");
        if (_firstCommit.TryGetValue(commit.Height, out var first))
        {
            if (first.Commit.Block != commit.Block)
                Fail($"agreement: at height {commit.Height} n{first.Node} decided {SignatureLog.Short(first.Commit.Block)} (round {first.Commit.Round}) and n{node} decided {SignatureLog.Short(commit.Block)} (round {commit.Round}{(commit.ByCertificate ? ", by certificate" : "")})");
        }
        else
        {
            _firstCommit[commit.Height] = (node, commit);
        }
        if (commit.Height == (ulong)Scenario.Heights)
            _finished++;
    }

    /// <summary>A commit certificate holds when its distinct voters have more than 2/3 of the weight and each really signed that precommit (the global log stands in for signature checks).</summary>
    public bool VerifiesCertificate(ulong height, DecidedPayload decided)
    {
        var weight = UInt128.Zero;
        var seen = new HashSet<Address>();
        var signers = Log.PrecommittersOf(height, decided.Round, decided.Block);
        foreach (var voter in decided.Voters)
        {
            if (!seen.Add(voter) || !Weights.TryGetValue(voter, out var w) || !signers.Contains(voter))
                return false;
            weight += w;
        }
        return weight * 3 > TotalWeight * 2;
    }

    private void Fail(string violation)
    {
        _violations.Add($"t={Queue.Now}ms {violation}");
        _traceAtFailure ??= Trace.Snapshot();
        Stopped = true;
    }

    /// <summary>Where each honest node stood at GST: the base of the round bound for heights decided after it.</summary>
    private void SnapshotRoundsAtGst()
    {
        foreach (var node in HonestNodes)
        {
            var height = node.NextHeight;
            var round = !node.Crashed && node.Current is { } consensus ? consensus.Round : node.MaxSignedRound(height);
            _roundAtGst[height] = Math.Max(_roundAtGst.GetValueOrDefault(height, 0), round);
        }
    }

    private SimulationResult Conclude()
    {
        var worstRoundsAfterGst = 0;
        long lastDecision = 0;
        foreach (var node in HonestNodes)
        {
            if (node.Decided.Count < Scenario.Heights)
                _liveness.Add($"liveness: n{node.Index} decided {node.Decided.Count} of {Scenario.Heights} heights by GST + {LivenessWindow / 1000} s (t={Queue.Now}ms)");
            foreach (var commit in node.Decided)
            {
                lastDecision = Math.Max(lastDecision, commit.Time);
                if (commit.Time <= Gst)
                    continue;
                var atGst = _roundAtGst.GetValueOrDefault(commit.Height, 0);
                worstRoundsAfterGst = Math.Max(worstRoundsAfterGst, commit.Round - atGst);
                if (commit.Round - atGst > MaxRoundsAfterGst)
                    _liveness.Add($"liveness: n{node.Index} decided height {commit.Height} at round {commit.Round} at t={commit.Time}ms, more than {MaxRoundsAfterGst} rounds after the highest round at GST ({atGst})");
            }
        }
        if (_violations.Count > 0)
            _liveness.Clear(); // the run stopped at the safety violation
        _traceAtFailure ??= _liveness.Count > 0 ? Trace.Snapshot() : null;
        return new SimulationResult(Seed, _violations.ToList(), _liveness.ToList(), _violations.Count + _liveness.Count > 0 ? Report() : null,
            Queue.Now, Queue.Processed, Network.Sent, Log.Count, worstRoundsAfterGst, Math.Max(0, lastDecision - Gst),
            HonestNodes.Sum(n => n.Restarts), ByzantineNodes.Count);
    }

    private string Report()
    {
        var text = new StringBuilder();
        text.AppendLine($"seed {Seed} failed, host gossip {Gossip} (replay: ConsensusSimulationProperties.Replays_a_seed({Seed}), with the relaying host)");
        foreach (var violation in _violations.Concat(_liveness))
            text.AppendLine("  " + violation);
        text.AppendLine($"scenario: {Scenario}");
        text.AppendLine("honest nodes at the end:");
        foreach (var node in HonestNodes)
        {
            var c = node.Current;
            var decided = string.Join(" ", node.Decided.Select(d => $"h{d.Height}:{SignatureLog.Short(d.Block)}@r{d.Round}{(d.ByCertificate ? "(cert)" : "")}"));
            var state = c is null ? (node.Crashed ? "crashed" : "idle") : $"h{c.Height} r{c.Round} {c.Step} locked={SignatureLog.Short(c.LockedBlock)}@{c.LockedRound} valid={SignatureLog.Short(c.ValidBlock)}@{c.ValidRound}";
            text.AppendLine($"  n{node.Index} weight={Scenario.Stakes[node.Index]} restarts={node.Restarts} {state} decided [{decided}]");
        }
        text.AppendLine($"last {_traceAtFailure?.Length ?? 0} events before the failure:");
        foreach (var (time, simEvent) in _traceAtFailure ?? [])
            text.AppendLine($"  t={time,6} {Describe(simEvent)}");
        return text.ToString();
    }

    /// <summary>Every event the trace still holds, one a line (for debugging a seed with a large trace).</summary>
    public IEnumerable<string> DescribeTrace() => Trace.Snapshot().Select(e => $"t={e.Time,6} {Describe(e.Event)}");

    private string Describe(SimEvent simEvent) => simEvent switch
    {
        Delivery d => $"n{d.To} <- n{d.From} {Describe(d.Message)}",
        TimerFired t => $"n{t.Node} timeout {t.Step} h{t.Height} r{t.Round}{(t.Incarnation == _honest[t.Node]!.Incarnation ? "" : " (stale)")}",
        BlockReady b => $"n{b.Node} built {SignatureLog.Short(b.Block)} for h{b.Height} r{b.Round}",
        ResendTick r => $"n{r.Node} resend",
        ByzantineTick b => $"n{b.Node} (byzantine) acts",
        CrashNode c => $"n{c.Node} crash",
        RestartNode r => $"n{r.Node} restart",
        PartitionNote p => $"partition {p.Sides}",
        PartitionChange => "partition change",
        GlobalStabilization => "GST: partition healed, no more drops",
        SignedNote s => $"n{s.Node}{(s.Honest ? "" : " (byzantine)")} signs h{s.Height} r{s.Round} {s.Step} {SignatureLog.Short(s.Block)}",
        DecidedNote d => $"n{d.Node} DECIDES h{d.Commit.Height} {SignatureLog.Short(d.Commit.Block)} round {d.Commit.Round}{(d.Commit.ByCertificate ? " by certificate" : "")}",
        _ => simEvent.ToString(),
    };

    private string Describe(SimMessage message) => message.Payload switch
    {
        ProposalPayload p => $"h{message.Height} proposal r{p.Round} pol{p.PolRound} {SignatureLog.Short(p.Block)}",
        VotePayload v => $"h{message.Height} {v.Step} r{v.Round} {SignatureLog.Short(v.Block)}",
        DecidedPayload d => $"h{message.Height} decided r{d.Round} {SignatureLog.Short(d.Block)} by [{string.Join(",", d.Voters.Select(a => $"n{IndexOf(a)}"))}]",
        _ => message.ToString(),
    };
}

/// <summary>The outcome of one seed: violations (none when every property held), a report with the seed and the last events, and a few figures.</summary>
internal sealed record SimulationResult(
    int Seed,
    IReadOnlyList<string> SafetyViolations,
    IReadOnlyList<string> LivenessViolations,
    string? Report,
    long VirtualEnd,
    long Events,
    long Messages,
    long Signatures,
    int WorstRoundsAfterGst,
    long LastDecisionAfterGst,
    int Restarts,
    int Byzantine)
{
    /// <summary>Agreement, validity and the signing-state rule held (and nothing threw).</summary>
    public bool IsSafe => SafetyViolations.Count == 0;

    /// <summary>Safe, and every honest node decided every height in time.</summary>
    public bool Holds => IsSafe && LivenessViolations.Count == 0;
}
