using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>
/// Cases the simulator led to, each reduced to a handful of inputs. They fail against the current
/// <see cref="HeightConsensus"/>: they are kept as the specification of the fix.
/// </summary>
public sealed partial class HeightConsensusTests
{
    /// <summary>
    /// Algorithm 1 counts, per value, the distinct senders of prevotes for it; a Byzantine voter that
    /// signed both nil and A at round 0 counts toward A. Here n0 and n1 locked on A at round 0 with
    /// n3's prevote for A; this node got n3's nil first. When n1 re-proposes A with that round's
    /// proof-of-lock-change (n0, n1, n3: 3 of 4 prevoted A), this node must accept it, or the locked
    /// nodes can never be joined. StepTally.Add keeps only a voter's first vote per round and step,
    /// so A stays at 2 of 4 here forever (simulator seed 11 with relaying hosts).
    /// </summary>
    [Fact]
    public void An_equivocators_second_vote_still_counts_toward_a_proof_of_lock_change()
    {
        var node = NewNode(self: 2);
        node.Start();
        node.OnTimeout(RoundStep.Propose, 0); // round 0's proposal never reached this node: nil
        node.OnVote(Prevote(3, 0, null)); // the equivocator's vote to this node...
        node.OnVote(Prevote(0, 0, A));
        node.OnVote(Prevote(1, 0, A));
        node.OnVote(Prevote(3, 0, A)); // ...and the one it sent the others, relayed: it signed A at round 0 as well
        node.OnVote(Prevote(0, 1, null));
        node.OnVote(Prevote(1, 1, null));
        Assert.Equal(1, node.Round);

        Assert.Contains(new SendVote(1, VoteStep.Prevote, A), node.OnProposal(Proposal(1, 0, A)));
    }

    /// <summary>
    /// After a restart the node re-sends the proposal it signed (Start → StartRound) and records it
    /// as valid, but never adds its block to the valid set (HeightConsensus.Start, the
    /// <c>_proposals.TryAdd</c> for a signed Proposal): more than 2/3 prevotes for its own block do
    /// not make it precommit, so the round fails (simulator seed 0: n1, round 0).
    /// </summary>
    [Fact]
    public void A_restarted_proposer_precommits_its_own_block_when_more_than_two_thirds_prevote_it()
    {
        SignedStep[] signed = [new(0, VoteStep.Proposal, A), new(0, VoteStep.Prevote, A)];
        var node = NewNode(self: 0, signed);
        Assert.Contains(new SendProposal(0, -1, A), node.Start());
        node.OnVote(Prevote(1, 0, A));

        Assert.Contains(new SendVote(0, VoteStep.Precommit, A), node.OnVote(Prevote(2, 0, A)));
    }

    /// <summary>
    /// Messages a host buffered for the height reach the state machine before <see cref="HeightConsensus.Start"/>:
    /// more than 1/3 of the weight at round 0 makes it skip there (TrySkipRound with Round = −1),
    /// which enters round 0 without the signed state, so it prevotes B where it had prevoted A
    /// (double signing), and Start then returns nothing and never restores the lock.
    /// </summary>
    [Fact]
    public void Messages_before_Start_do_not_make_a_restarted_node_sign_against_what_it_signed()
    {
        SignedStep[] signed = [new(0, VoteStep.Prevote, A)];
        var node = NewNode(self: 1, signed);
        var actions = new List<BftAction>();
        actions.AddRange(node.OnVote(Prevote(2, 0, B)));
        actions.AddRange(node.OnVote(Prevote(3, 0, B)));
        actions.AddRange(node.OnProposal(Proposal(0, -1, B)));
        actions.AddRange(node.Start());

        AssertNeverContradicts(signed, actions);
    }
}
