using Cascoin.L2.Primitives;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>
/// A sequencer that breaks the rules, in its own name only (it cannot forge others' signatures).
/// It does not run the state machine: it watches the honest nodes (it is omniscient, which only
/// makes it stronger) and, every few hundred milliseconds, equivocates on the round they are in
/// (different prevotes and precommits to different nodes, two proposals when it proposes), votes
/// in rounds ahead, sends junk and commit certificates it assembles from whatever was signed. A
/// silent one just crashes at the start and never comes back.
/// </summary>
internal sealed class ByzantineNode(ConsensusSimulation sim, int index, Address address, bool silent)
{
    public int Index => index;

    public Address Address => address;

    public bool Silent => silent;

    public void OnTick()
    {
        if (silent)
            return;
        var random = sim.Random;
        var targets = sim.HonestNodes.Where(n => !n.Crashed && n.Current is not null).ToList();
        if (targets.Count > 0)
        {
            var target = targets[random.Next(targets.Count)].Current!;
            var height = target.Height;
            var round = Math.Max(target.Round, 0) + (random.Next(4) == 0 ? random.Next(1, 3) : 0);
            if (sim.ProposerOf(height, round) == address && random.Next(3) != 0)
                EquivocateProposal(height, round);
            if (random.Next(3) != 0)
                Equivocate(height, round, VoteStep.Prevote);
            if (random.Next(3) != 0)
                Equivocate(height, round, VoteStep.Precommit);
            if (random.Next(4) == 0)
                Equivocate(height, round + random.Next(1, 6), random.Next(2) == 0 ? VoteStep.Prevote : VoteStep.Precommit);
            if (random.Next(5) == 0)
                Junk(height, round);
            if (random.Next(6) == 0)
                ForgeCertificate(height);
        }
        sim.Queue.After(random.Next(100, 400), new ByzantineTick(index));
    }

    /// <summary>Two different values to two random halves: fresh valid, fresh invalid, or a value someone holds, with any proof-of-lock round.</summary>
    private void EquivocateProposal(ulong height, int round)
    {
        var random = sim.Random;
        var first = (Block: ProposalValue(height, round), PolRound: PolRound(round));
        var second = (Block: ProposalValue(height, round), PolRound: PolRound(round));
        for (var to = 0; to < sim.NodeCount; to++)
        {
            if (to == index)
                continue;
            var (block, polRound) = random.Next(2) == 0 ? first : second;
            Send(to, height, new ProposalPayload(round, polRound, block), round, VoteStep.Proposal, block);
        }
    }

    /// <summary>Each recipient gets the vote most likely to split it from the others: some proposal of the round, some node's lock, nil, a fresh value.</summary>
    private void Equivocate(ulong height, int round, VoteStep step)
    {
        var candidates = Candidates(height, round);
        var random = sim.Random;
        for (var to = 0; to < sim.NodeCount; to++)
        {
            if (to == index)
                continue;
            Hash256? block = random.Next(4) == 0 || candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
            Send(to, height, new VotePayload(round, step, block), round, step, block);
        }
    }

    private void Junk(ulong height, int round)
    {
        var random = sim.Random;
        var to = RandomHonest();
        var junk = sim.Values.Invalid();
        switch (random.Next(6))
        {
            case 0:
                Send(to, height, new VotePayload(round, VoteStep.Proposal, junk), round, VoteStep.Proposal, junk);
                break;
            case 1:
                Send(to, height, new ProposalPayload(round, -1, junk), round, VoteStep.Proposal, junk);
                break;
            case 2:
                Send(to, height, new VotePayload(-1 - random.Next(3), VoteStep.Prevote, junk), -1, VoteStep.Prevote, junk);
                break;
            case 3:
                Send(to, height, new ProposalPayload(round, round + random.Next(3), junk), round, VoteStep.Proposal, junk);
                break;
            case 4:
                Send(to, height + 1, new VotePayload(random.Next(3), VoteStep.Precommit, junk), random.Next(3), VoteStep.Precommit, junk);
                break;
            default:
                Send(to, height, new VotePayload(round + random.Next(10, 1000), VoteStep.Prevote, junk), round, VoteStep.Prevote, junk);
                break;
        }
    }

    /// <summary>A certificate for some value: every real precommit for it plus all Byzantine names (it verifies only if it is a real commit), or everyone's name (never verifies).</summary>
    private void ForgeCertificate(ulong height)
    {
        var random = sim.Random;
        var round = random.Next(Math.Max(sim.Log.MaxRound(height), 0) + 1);
        var candidates = Candidates(height, round);
        var block = candidates.Count > 0 ? candidates[random.Next(candidates.Count)] : sim.Values.Invalid();
        IReadOnlyList<Address> voters = random.Next(2) == 0
            ? sim.Log.PrecommittersOf(height, round, block).Union(sim.ByzantineNodes.Select(b => b.Address)).ToList()
            : sim.Addresses;
        sim.Network.Send(index, RandomHonest(), new SimMessage(height, address, new DecidedPayload(round, block, voters)));
    }

    private List<Hash256> Candidates(ulong height, int round)
    {
        var candidates = sim.Log.ProposalsAt(height, round).ToList();
        foreach (var node in sim.HonestNodes)
        {
            if (node.Current is { } consensus && consensus.Height == height)
            {
                if (consensus.LockedBlock is { } locked && !candidates.Contains(locked))
                    candidates.Add(locked);
                if (consensus.ValidBlock is { } valid && !candidates.Contains(valid))
                    candidates.Add(valid);
            }
        }
        if (sim.Random.Next(8) == 0)
            candidates.Add(sim.Values.Build(height));
        return candidates;
    }

    private Hash256 ProposalValue(ulong height, int round)
    {
        var random = sim.Random;
        var candidates = Candidates(height, round);
        return random.Next(4) switch
        {
            0 => sim.Values.Invalid(),
            1 when candidates.Count > 0 => candidates[random.Next(candidates.Count)],
            _ => sim.Values.Build(height),
        };
    }

    private int PolRound(int round) => round == 0 || sim.Random.Next(2) == 0 ? -1 : sim.Random.Next(round);

    private int RandomHonest() => sim.HonestNodes[sim.Random.Next(sim.HonestNodes.Count)].Index;

    private void Send(int to, ulong height, Payload payload, int round, VoteStep step, Hash256? block)
    {
        sim.OnSigned(index, address, honest: false, height, round, step, block);
        sim.Network.Send(index, to, new SimMessage(height, address, payload));
    }
}
