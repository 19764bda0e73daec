using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus.Bft;
using Cascoin.L2.Sequencing.Election;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>What the engine knows about the height being decided; dropped whole when the head moves.</summary>
internal sealed class HeightState(ulong height, Hash256 parent, LeaderSchedule schedule, IReadOnlyList<Address> ranking,
    IReadOnlyDictionary<Address, UInt128> weights, HeightConsensus consensus, long startedAt) : IDisposable
{
    public ulong Height { get; } = height;

    public Hash256 Parent { get; } = parent;

    public LeaderSchedule Schedule { get; } = schedule;

    /// <summary>The slot's failover order: round r's proposer is position r mod n.</summary>
    public IReadOnlyList<Address> Ranking { get; } = ranking;

    public IReadOnlyDictionary<Address, UInt128> Weights { get; } = weights;

    public HeightConsensus Consensus { get; } = consensus;

    /// <summary>When this node started deciding the height (a timestamp of its <see cref="TimeProvider"/>).</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>Blocks that passed full validation here, by hash.</summary>
    public Dictionary<Hash256, ProducedBlock> Valid { get; } = [];

    public HashSet<Hash256> Invalid { get; } = [];

    /// <summary>Blocks being validated on a worker.</summary>
    public HashSet<Hash256> Validating { get; } = [];

    /// <summary>Blocks that name what this node cannot judge yet (an L1 block it has not confirmed): validated again each tick.</summary>
    public Dictionary<Hash256, Block> NotYetJudged { get; } = [];

    /// <summary>The first proposal of each round by that round's proposer (signature checked).</summary>
    public Dictionary<int, ProposalMessage> Proposals { get; } = [];

    /// <summary>Every signed message held, by signer, round, step and block: the certificate's precommits, and what is sent again to repair losses.</summary>
    public Dictionary<(Address Signer, int Round, VoteStep Step, Hash256 Block), SignedVote> Signed { get; } = [];

    /// <summary>The first signed message of each sequencer per round and step: a second one naming another block is slashable evidence.</summary>
    public Dictionary<(Address Signer, int Round, VoteStep Step), SignedVote> First { get; } = [];

    /// <summary>The round this node was asked to build a block for, until it is built.</summary>
    public int? BuildRound { get; set; }

    /// <summary>A block is being built on a worker.</summary>
    public bool Building { get; set; }

    private readonly List<ITimer> _timers = [];

    public Address ProposerOf(int round) => Ranking[round % Ranking.Count];

    public void AddTimer(ITimer timer) => _timers.Add(timer);

    /// <summary>
    /// What this node holds of <paramref name="rounds"/>, to send again (the same signatures): the
    /// proposals, and every prevote and precommit, its own and others'. Tendermint's liveness rests
    /// on every message a correct node holds reaching every correct node; TCP alone does not give
    /// that across restarts and reconnections.
    /// </summary>
    public IEnumerable<(string Command, byte[] Payload)> HeldMessages(IReadOnlyList<int> rounds)
    {
        var wanted = rounds.ToHashSet();
        foreach (var (round, proposal) in Proposals)
        {
            if (wanted.Contains(round))
                yield return (ConsensusMessages.Propose, proposal.ToBytes());
        }
        foreach (var ((signer, round, step, _), vote) in Signed)
        {
            if (step != VoteStep.Proposal && wanted.Contains(round))
                yield return (ConsensusMessages.Vote, new VoteMessage(signer, vote).ToBytes());
        }
    }

    public void Dispose()
    {
        foreach (var timer in _timers)
            timer.Dispose();
        _timers.Clear();
    }
}
