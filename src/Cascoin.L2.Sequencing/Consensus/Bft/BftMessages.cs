using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus.Bft;

/// <summary>Where a height's current round stands (Tendermint's step_p).</summary>
public enum RoundStep
{
    Propose,
    Prevote,
    Precommit,
}

/// <summary>A prevote or precommit as the state machine sees it: its signature already checked by the host, so <paramref name="Voter"/> is who signed. A null block is a vote for nil.</summary>
public readonly record struct RoundVote(Address Voter, int Round, VoteStep Step, Hash256? Block);

/// <summary>
/// A proposal as the state machine sees it: signed by <paramref name="Proposer"/>, for
/// <paramref name="Block"/> at <paramref name="Round"/>, re-proposing the value locked at
/// <paramref name="PolRound"/> (−1 for a fresh value). <paramref name="Valid"/> is the host's verdict
/// on the block (full validation happens outside the state machine, off the consensus lock).
/// </summary>
public readonly record struct RoundProposal(Address Proposer, int Round, int PolRound, Hash256 Block, bool Valid);

/// <summary>What a signed message this node sent earlier at a height said (persisted before it left; replayed after a restart).</summary>
public readonly record struct SignedStep(int Round, VoteStep Step, Hash256? Block);

/// <summary>Something the state machine asks its host to do.</summary>
public abstract record BftAction;

/// <summary>This node proposes at <paramref name="Round"/> and holds no valid value: build a block and answer with <see cref="HeightConsensus.OnBlockBuilt"/>.</summary>
public sealed record BuildBlock(int Round) : BftAction;

/// <summary>Sign (after persisting) and broadcast a proposal of <paramref name="Block"/>.</summary>
public sealed record SendProposal(int Round, int PolRound, Hash256 Block) : BftAction;

/// <summary>Sign (after persisting) and broadcast a prevote or precommit; a null block is nil.</summary>
public sealed record SendVote(int Round, VoteStep Step, Hash256? Block) : BftAction;

/// <summary>Call <see cref="HeightConsensus.OnTimeout"/> with this step and round after <paramref name="After"/>.</summary>
public sealed record ScheduleTimeout(RoundStep Step, int Round, TimeSpan After) : BftAction;

/// <summary><paramref name="Block"/> is final: more than 2/3 of the weight precommitted it at <paramref name="Round"/>.</summary>
public sealed record Decide(int Round, Hash256 Block) : BftAction;

/// <summary>
/// Round timeouts. Each grows with the round, so once the network is synchronous again some round
/// lasts long enough for the honest proposer's block and the votes on it to arrive everywhere.
/// </summary>
public sealed record BftTimeouts(TimeSpan Propose, TimeSpan ProposeDelta, TimeSpan Vote, TimeSpan VoteDelta)
{
    public TimeSpan ProposeAfter(int round) => Propose + ProposeDelta * Math.Min(round, 1000);

    public TimeSpan VoteAfter(int round) => Vote + VoteDelta * Math.Min(round, 1000);

    /// <summary>From the leader timeout: a silent proposer costs one leader timeout, a split round a quarter of one more.</summary>
    public static BftTimeouts FromLeaderTimeout(TimeSpan leaderTimeout) =>
        new(leaderTimeout, leaderTimeout / 2, leaderTimeout / 8, leaderTimeout / 8);
}
