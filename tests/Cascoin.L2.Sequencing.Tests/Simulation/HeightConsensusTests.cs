using Cascoin.L2.Primitives;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>Focused cases of <see cref="HeightConsensus"/> with four equal-weight nodes n0..n3; the proposer of round r is n(r mod 4).</summary>
public sealed partial class HeightConsensusTests
{
    private static readonly BftTimeouts Timeouts = new(
        TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(125), TimeSpan.FromMilliseconds(125));

    private static readonly Address[] Nodes = [NewAddress(1), NewAddress(2), NewAddress(3), NewAddress(4)];
    private static readonly Address Outsider = NewAddress(0xEE);
    private static readonly Dictionary<Address, UInt128> EqualWeights = Nodes.ToDictionary(a => a, _ => UInt128.One);
    private static readonly Hash256 A = NewHash(0xA1);
    private static readonly Hash256 B = NewHash(0xB2);
    private static readonly Hash256 C = NewHash(0xC3);

    [Fact]
    public void Happy_path_decides_in_round_0()
    {
        var node = NewNode(self: 1);
        Assert.Contains(new ScheduleTimeout(RoundStep.Propose, 0, TimeSpan.FromMilliseconds(1000)), node.Start());

        Assert.Equal(new[] { new SendVote(0, VoteStep.Prevote, A) }, node.OnProposal(Proposal(0, -1, A)).OfType<SendVote>());
        Assert.Empty(node.OnVote(Prevote(0, 0, A)).OfType<SendVote>());
        Assert.Equal(new[] { new SendVote(0, VoteStep.Precommit, A) }, node.OnVote(Prevote(2, 0, A)).OfType<SendVote>());
        Assert.Equal((A, 0), (node.LockedBlock, node.LockedRound));
        Assert.Empty(node.OnVote(Precommit(0, 0, A)).OfType<Decide>());
        Assert.Contains(new Decide(0, A), node.OnVote(Precommit(2, 0, A)));

        Assert.Equal((0, A), node.Decision);
        Assert.Equal(new[] { Nodes[0], Nodes[1], Nodes[2] }, node.PrecommitVoters(0, A).Order());
    }

    [Fact]
    public void Silent_proposer_times_out_and_round_1_decides()
    {
        var node = NewNode(self: 1);
        node.Start();

        Assert.Equal(new[] { new SendVote(0, VoteStep.Prevote, null) }, node.OnTimeout(RoundStep.Propose, 0).OfType<SendVote>());
        node.OnVote(Prevote(2, 0, null));
        Assert.Contains(new SendVote(0, VoteStep.Precommit, null), node.OnVote(Prevote(3, 0, null)));
        node.OnVote(Precommit(2, 0, null));
        Assert.Contains(new ScheduleTimeout(RoundStep.Precommit, 0, TimeSpan.FromMilliseconds(125)), node.OnVote(Precommit(3, 0, null)));

        var round1 = node.OnTimeout(RoundStep.Precommit, 0);
        Assert.Equal(1, node.Round);
        Assert.Contains(new BuildBlock(1), round1);
        Assert.Contains(new ScheduleTimeout(RoundStep.Propose, 1, TimeSpan.FromMilliseconds(1500)), round1);
        Assert.Equal(new BftAction[] { new SendProposal(1, -1, B), new SendVote(1, VoteStep.Prevote, B) }, node.OnBlockBuilt(1, B).Where(a => a is SendProposal or SendVote));
        node.OnVote(Prevote(2, 1, B));
        Assert.Contains(new SendVote(1, VoteStep.Precommit, B), node.OnVote(Prevote(3, 1, B)));
        node.OnVote(Precommit(2, 1, B));
        Assert.Contains(new Decide(1, B), node.OnVote(Precommit(3, 1, B)));
        Assert.Equal((1, B), node.Decision);
    }

    [Fact]
    public void Split_prevotes_decide_nothing_in_round_0_and_a_later_round_decides()
    {
        var node = NewNode(self: 1);
        node.Start();
        var actions = new List<BftAction>();
        actions.AddRange(node.OnProposal(Proposal(0, -1, A)));
        actions.AddRange(node.OnVote(Prevote(0, 0, A)));
        actions.AddRange(node.OnVote(Prevote(2, 0, B)));
        actions.AddRange(node.OnVote(Prevote(3, 0, B)));

        Assert.Equal(new[] { new SendVote(0, VoteStep.Prevote, A) }, actions.OfType<SendVote>());
        Assert.Contains(new ScheduleTimeout(RoundStep.Prevote, 0, TimeSpan.FromMilliseconds(125)), actions);
        Assert.Null(node.LockedBlock);
        Assert.Equal(new[] { new SendVote(0, VoteStep.Precommit, null) }, node.OnTimeout(RoundStep.Prevote, 0).OfType<SendVote>());
        node.OnVote(Precommit(0, 0, A));
        node.OnVote(Precommit(2, 0, null));
        node.OnVote(Precommit(3, 0, null));
        Assert.Null(node.Decision);

        Assert.Contains(new BuildBlock(1), node.OnTimeout(RoundStep.Precommit, 0));
        node.OnBlockBuilt(1, C);
        node.OnVote(Prevote(0, 1, C));
        node.OnVote(Prevote(2, 1, C));
        node.OnVote(Precommit(0, 1, C));
        Assert.Contains(new Decide(1, C), node.OnVote(Precommit(2, 1, C)));
    }

    [Fact]
    public void Locked_node_prevotes_nil_for_a_fresh_value_but_prevotes_a_reproposal_with_a_proof_of_lock_change()
    {
        var node = NewNode(self: 3);
        node.Start();
        // Round 0: A gets 3 prevotes, this node locks on it, but the precommits split.
        node.OnProposal(Proposal(0, -1, A));
        node.OnVote(Prevote(0, 0, A));
        Assert.Contains(new SendVote(0, VoteStep.Precommit, A), node.OnVote(Prevote(1, 0, A)));
        node.OnVote(Precommit(0, 0, null));
        node.OnVote(Precommit(1, 0, null));
        node.OnTimeout(RoundStep.Precommit, 0);
        Assert.Equal((1, A, 0), (node.Round, node.LockedBlock, node.LockedRound));

        // Round 1: a fresh B: locked on A, so nil. B then gets 3 prevotes, after this node precommitted nil: still locked on A.
        Assert.Equal(new[] { new SendVote(1, VoteStep.Prevote, null) }, node.OnProposal(Proposal(1, -1, B)).OfType<SendVote>());
        node.OnVote(Prevote(0, 1, B));
        node.OnVote(Prevote(1, 1, B));
        Assert.Equal(new[] { new SendVote(1, VoteStep.Precommit, null) }, node.OnTimeout(RoundStep.Prevote, 1).OfType<SendVote>());
        node.OnVote(Prevote(2, 1, B));
        Assert.Equal((A, 0, B, 1), (node.LockedBlock, node.LockedRound, node.ValidBlock, node.ValidRound));
        node.OnVote(Precommit(0, 1, null));
        node.OnVote(Precommit(1, 1, null));
        node.OnTimeout(RoundStep.Precommit, 1);

        // Round 2: B again, with its proof-of-lock-change at round 1 (3 of 4 prevotes): prevote it.
        Assert.Equal(new[] { new SendVote(2, VoteStep.Prevote, B) }, node.OnProposal(Proposal(2, 1, B)).OfType<SendVote>());
    }

    [Fact]
    public void A_reproposal_whose_proof_of_lock_change_is_missing_is_not_prevoted()
    {
        var node = NewNode(self: 3);
        node.Start();
        node.OnVote(Prevote(0, 0, B));
        node.OnVote(Prevote(1, 1, null));
        node.OnVote(Prevote(2, 1, null));
        Assert.Equal(1, node.Round);

        Assert.Empty(node.OnProposal(Proposal(1, 0, B)).OfType<SendVote>());
        Assert.Equal(new SendVote(1, VoteStep.Prevote, null), node.OnTimeout(RoundStep.Propose, 1).OfType<SendVote>().First());
    }

    [Fact]
    public void Restart_restores_lock_round_and_step_and_never_contradicts_what_it_signed()
    {
        SignedStep[] signed =
        [
            new(0, VoteStep.Prevote, null), new(0, VoteStep.Precommit, null),
            new(1, VoteStep.Prevote, C), new(1, VoteStep.Precommit, null),
            new(2, VoteStep.Prevote, A), new(2, VoteStep.Precommit, A),
        ];
        var node = NewNode(self: 3, signed);
        var actions = new List<BftAction>(node.Start());

        Assert.Equal((A, 2, 2, RoundStep.Precommit), (node.LockedBlock, node.LockedRound, node.Round, node.Step));
        Assert.Equal(new[] { new SendVote(2, VoteStep.Prevote, A), new SendVote(2, VoteStep.Precommit, A) }, node.Resend().OfType<SendVote>());

        // Everyone else saw B win the prevotes of round 2 and moves on; this node must not precommit B at round 2.
        actions.AddRange(node.OnProposal(Proposal(2, -1, B)));
        foreach (var voter in new[] { 0, 1, 2 })
            actions.AddRange(node.OnVote(Prevote(voter, 2, B)));
        foreach (var round in new[] { 0, 1 })
        {
            foreach (var voter in new[] { 0, 1, 2 })
            {
                actions.AddRange(node.OnVote(Prevote(voter, round, B)));
                actions.AddRange(node.OnVote(Precommit(voter, round, null)));
            }
            actions.AddRange(node.OnTimeout(RoundStep.Propose, round));
            actions.AddRange(node.OnTimeout(RoundStep.Prevote, round));
        }
        actions.AddRange(node.OnTimeout(RoundStep.Propose, 2));
        actions.AddRange(node.OnTimeout(RoundStep.Prevote, 2));
        foreach (var voter in new[] { 0, 1 })
            actions.AddRange(node.OnVote(Precommit(voter, 2, null)));
        actions.AddRange(node.OnTimeout(RoundStep.Precommit, 2));
        // Round 4: a fresh value C from n0; still locked (on A, or on nothing newer), so nil.
        actions.AddRange(node.OnVote(Prevote(0, 4, null)));
        actions.AddRange(node.OnVote(Prevote(1, 4, null)));
        actions.AddRange(node.OnProposal(Proposal(4, -1, C)));

        Assert.Equal(4, node.Round);
        Assert.Contains(new SendVote(4, VoteStep.Prevote, null), actions);
        AssertNeverContradicts(signed, actions);
    }

    [Fact]
    public void Votes_of_addresses_outside_the_set_are_ignored()
    {
        var node = NewNode(self: 1);
        node.Start();
        node.OnProposal(Proposal(0, -1, A));
        Assert.Empty(node.OnVote(new RoundVote(Outsider, 0, VoteStep.Prevote, A)));
        Assert.Empty(node.OnVote(Prevote(0, 0, A)).OfType<SendVote>());
        Assert.Empty(node.OnVote(new RoundVote(Outsider, 7, VoteStep.Precommit, A)));
        Assert.Empty(node.OnProposal(new RoundProposal(Outsider, 0, -1, B, true)));
        Assert.Equal((0, (Hash256?)null), (node.Round, node.LockedBlock));
        Assert.Equal(new UInt128(0, 4), node.TotalWeight);

        Assert.Contains(new SendVote(0, VoteStep.Precommit, A), node.OnVote(Prevote(2, 0, A)));
    }

    [Fact]
    public void More_than_a_third_of_the_weight_in_a_later_round_makes_it_skip_there()
    {
        var node = NewNode(self: 1);
        node.Start();
        Assert.Empty(node.OnVote(Prevote(2, 5, null)));
        Assert.Equal(0, node.Round);
        Assert.Contains(new ScheduleTimeout(RoundStep.Propose, 5, TimeSpan.FromMilliseconds(3500)), node.OnVote(Precommit(3, 5, null)));
        Assert.Equal((5, RoundStep.Propose), (node.Round, node.Step));

        // By weight, not by count: n3 alone holds 4 of 7.
        var weights = new Dictionary<Address, UInt128> { [Nodes[0]] = 1, [Nodes[1]] = 1, [Nodes[2]] = 1, [Nodes[3]] = 4 };
        var weighted = new HeightConsensus(7, weights, Nodes[0], ProposerOf, Timeouts);
        weighted.Start();
        weighted.OnVote(Prevote(1, 3, null));
        weighted.OnVote(Prevote(2, 3, null));
        Assert.Equal(0, weighted.Round);
        weighted.OnVote(Prevote(3, 2, null));
        Assert.Equal(2, weighted.Round);
    }

    private static void AssertNeverContradicts(IEnumerable<SignedStep> signed, IEnumerable<BftAction> actions)
    {
        foreach (var vote in actions.OfType<SendVote>())
        {
            foreach (var before in signed.Where(s => s.Round == vote.Round && s.Step == vote.Step))
                Assert.True(before.Block == vote.Block, $"signed {before.Step} at round {before.Round} for {SignatureLog.Short(before.Block)} before the restart, now {SignatureLog.Short(vote.Block)}");
        }
    }

    private static HeightConsensus NewNode(int self, IReadOnlyList<SignedStep>? signedBefore = null) =>
        new(7, EqualWeights, Nodes[self], ProposerOf, Timeouts, signedBefore);

    private static Address ProposerOf(int round) => Nodes[round % Nodes.Length];

    private static RoundProposal Proposal(int round, int polRound, Hash256 block) => new(ProposerOf(round), round, polRound, block, Valid: true);

    private static RoundVote Prevote(int voter, int round, Hash256? block) => new(Nodes[voter], round, VoteStep.Prevote, block);

    private static RoundVote Precommit(int voter, int round, Hash256? block) => new(Nodes[voter], round, VoteStep.Precommit, block);

    private static Address NewAddress(byte first)
    {
        var bytes = new byte[Address.Size];
        bytes[0] = first;
        return new Address(bytes);
    }

    private static Hash256 NewHash(byte first)
    {
        var bytes = new byte[Hash256.Size];
        bytes[0] = first;
        return new Hash256(bytes);
    }
}
