using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.Contracts.Fraud;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Fraud;

/// <summary>
/// The fraud verifier on a real settlement chain (SPEC §9 properties 16 and 17): a block whose signed
/// root is a lie, challenged by an honest node that plays the whole game with real proofs, is proven
/// fraudulent — its anchor and those after it are reverted, the signers lose their whole stake (half
/// to the challenger) and their score, a withdrawal proven only against the lie is never paid, and the
/// chain, with no sequencer left, enters emergency mode against the last final anchor; a challenge of
/// an honest block loses its bond (half to the signers); the silent side loses at its deadline; an
/// anchor under challenge is not final.
/// </summary>
public sealed class FraudGameTests
{
    internal static ChallengeCall Challenge(SettlementKit kit, Block anchored)
    {
        var number = anchored.Number;
        var headers = Enumerable.Range(0, 2).Select(i => kit.L2.GetHeader(number - 2 + (ulong)i)!).Append(anchored.Header).ToList();
        return new ChallengeCall(kit.ChainId, kit.Record.AnchorCount - 1, number,
            new DisputeEvidence(headers, anchored.ParentCommit, anchored.Transactions.Select(t => t.Id).ToList()));
    }

    /// <summary>The honest steps of block <paramref name="number"/> over the frame L1 rebuilds for <paramref name="challenge"/>.</summary>
    internal static BlockSteps HonestSteps(SettlementKit kit, ChallengeCall challenge)
    {
        var state = kit.L1.Chain.StateAtTip();
        var context = new ContractContext(state, kit.L1.Parameters, kit.L1.Height + 1, kit.SequencerAddress, Hash256.Zero) { History = kit.L1.Chain, Network = L1Node.Network };
        var (disputed, refusal) = DisputedBlock.Rebuild(context, kit.Record, state.GetAnchor(kit.ChainId, challenge.AnchorIndex)!, challenge.Block, challenge.Evidence);
        Assert.True(disputed is not null, refusal?.ToString());
        return BlockSteps.Of(disputed.Frame, kit.L2.GetBlock(challenge.Block)!.Transactions, kit.L2State.Tree, challenge.Block - 1);
    }

    internal static GameRecord Game(SettlementKit kit, ulong id) => FraudVerifier.GetGame(kit.L1.Chain.StateAtTip(), kit.ChainId, id)!;

    [Fact]
    public void A_lying_root_is_proven_fraud_the_signers_lose_their_stake_to_the_challenger_and_its_anchors_are_reverted()
    {
        SettlementKit.Run(nameof(A_lying_root_is_proven_fraud_the_signers_lose_their_stake_to_the_challenger_and_its_anchors_are_reverted), new KitOptions(), kit =>
        {
            var (number, withdrawal) = FraudScenario.Prepare(kit);
            var honestAnchors = kit.Record.AnchorCount;
            var lie = FraudScenario.AnchorBlock(kit, number, lie: true);
            var challenger = kit.Users[2];
            var challenge = Challenge(kit, lie);
            var steps = HonestSteps(kit, challenge);
            var honest = steps.Commitments;
            var stake = kit.SequencerStake;
            var (before, since) = (kit.L1.Balance(challenger), kit.L1.Height);

            Assert.True(kit.Execute(challenger, challenge).Success);
            // A second challenger disputes the same lie; the first game's verdict annuls its game, and its bond comes back.
            var second = kit.Users[1];
            var (secondBefore, secondSince) = (kit.L1.Balance(second), kit.L1.Height);
            Assert.True(kit.Execute(second, challenge).Success);
            var game = Game(kit, 0);
            Assert.Equal(GamePhase.DefenderMoves, game.Game.Phase);
            Assert.Equal(honest[0], game.Game.LoCommitment);
            Assert.NotEqual(honest[^1], game.Game.HiCommitment);

            // The liars cut with commitments of their own; the honest challenger names the first part whose end is not the truth.
            var random = new Random(17);
            while (Game(kit, 0).Game is { IsOver: false } current)
            {
                var receipt = current.Phase switch
                {
                    GamePhase.DefenderMoves => kit.Execute(kit.Sequencer, new DissectCall(kit.ChainId, 0,
                        Enumerable.Range(1, current.Parts - 1).Select(i => random.Next(2) == 0 ? honest[current.Boundary(i)] : new Hash256(Hashes.Sha256d(BitConverter.GetBytes(i)))).ToList())),
                    GamePhase.ChallengerMoves => kit.Execute(challenger, new ChooseStepCall(kit.ChainId, 0, (ushort)FirstDisputed(current, honest))),
                    _ => kit.Execute(challenger, new ProveStepCall(kit.ChainId, 0, steps.ProofOf(current.Lo).ToBytes())),
                };
                Assert.True(receipt.Success, receipt.Error);
            }

            Assert.Equal(GamePhase.ChallengerWon, Game(kit, 0).Game.Phase);
            Assert.Equal(GamePhase.Annulled, Game(kit, 1).Game.Phase);
            Assert.Equal(secondBefore - kit.L1.FeesPaidAbove(TestKeys.AddressOf(second), secondSince), kit.L1.Balance(second));
            Assert.Equal(Amount.Zero, kit.L1.Balance(SystemAddresses.FraudVerifier));
            var record = kit.Record;
            Assert.Equal(honestAnchors, record.AnchorCount);
            Assert.Equal(number - 1, record.LastAnchoredBlock);
            Assert.Null(kit.L1.Chain.StateAtTip().GetAnchor(kit.ChainId, honestAnchors));
            Assert.Equal((Amount.Zero, Amount.Zero), (kit.SequencerStake.Bonded, kit.SequencerStake.Unbonding));
            Assert.Equal(0, kit.L1.Chain.StateAtTip().GetAccount(kit.SequencerAddress).HatScore);
            var fees = kit.L1.FeesPaidAbove(TestKeys.AddressOf(challenger), since);
            Assert.Equal(before - fees + Amount.FromSat((stake.Bonded.Sat + stake.Unbonding.Sat) / 2), kit.L1.Balance(challenger));
            // With its only sequencer slashed, the chain exits against the last final anchor still standing.
            Assert.Equal(ChainStatus.Emergency, record.Status);
            Assert.False(FraudVerifier.IsUnderChallenge(kit.L1.Chain.StateAtTip(), kit.ChainId, 0));
            // The lie's withdrawal can never be paid: the anchor it would be proven against is gone.
            var withdrawalRecord = kit.L2.GetRecord(Chain.Bridge.BridgeKeys.Withdrawal(withdrawal))!;
            var proof = kit.ProofAt(Chain.Bridge.BridgeKeys.Withdrawal(withdrawal), kit.L2.GetHeader(number)!.StateRoot);
            var paid = kit.Execute(kit.Users[0], new FinalizeWithdrawalCall(kit.ChainId, honestAnchors, withdrawal, withdrawalRecord, proof));
            Assert.Equal(L1RefuseReason.UnknownAnchor, paid.Refusal?.Reason);
        });
    }

    [Fact]
    public void A_challenge_of_an_honest_block_loses_its_bond_half_to_the_signers_and_its_anchor_stands()
    {
        SettlementKit.Run(nameof(A_challenge_of_an_honest_block_loses_its_bond_half_to_the_signers_and_its_anchor_stands), new KitOptions(), kit =>
        {
            var (number, _) = FraudScenario.Prepare(kit);
            var anchored = FraudScenario.AnchorBlock(kit, number, lie: false);
            var challenger = kit.Users[2];
            var challenge = Challenge(kit, anchored);
            var steps = HonestSteps(kit, challenge);
            var honest = steps.Commitments;
            var anchors = kit.Record.AnchorCount;
            var (challengerBefore, signerBefore, since) = (kit.L1.Balance(challenger), kit.L1.Balance(kit.Sequencer), kit.L1.Height);
            var bond = kit.L1.Parameters.ChallengeBond;

            Assert.True(kit.Execute(challenger, challenge).Success);
            var random = new Random(5);
            while (Game(kit, 0).Game is { IsOver: false } current)
            {
                var receipt = current.Phase switch
                {
                    GamePhase.DefenderMoves => kit.Execute(kit.Sequencer, new DissectCall(kit.ChainId, 0, Enumerable.Range(1, current.Parts - 1).Select(i => honest[current.Boundary(i)]).ToList())),
                    GamePhase.ChallengerMoves => kit.Execute(challenger, new ChooseStepCall(kit.ChainId, 0, (ushort)random.Next(current.Parts))),
                    _ => kit.Execute(challenger, new ProveStepCall(kit.ChainId, 0, steps.ProofOf(current.Lo).ToBytes())),
                };
                Assert.True(receipt.Success, receipt.Error);
            }

            Assert.Equal(GamePhase.DefenderWon, Game(kit, 0).Game.Phase);
            Assert.Equal(anchors, kit.Record.AnchorCount);
            Assert.Equal(ChainStatus.Active, kit.Record.Status);
            var challengerFees = kit.L1.FeesPaidAbove(TestKeys.AddressOf(challenger), since);
            Assert.Equal(challengerBefore - challengerFees - bond, kit.L1.Balance(challenger));
            var signerFees = kit.L1.FeesPaidAbove(kit.SequencerAddress, since);
            Assert.Equal(signerBefore - signerFees + Amount.FromSat(bond.Sat / 2), kit.L1.Balance(kit.Sequencer));
            Assert.Equal(Amount.Zero, kit.L1.Balance(SystemAddresses.FraudVerifier));
        });
    }

    [Fact]
    public void The_silent_side_loses_at_its_deadline_and_an_anchor_under_challenge_is_not_final()
    {
        SettlementKit.Run(nameof(The_silent_side_loses_at_its_deadline_and_an_anchor_under_challenge_is_not_final), new KitOptions(), kit =>
        {
            var (number, _) = FraudScenario.Prepare(kit);
            var lie = FraudScenario.AnchorBlock(kit, number, lie: true);
            var period = kit.Record.ChallengePeriod;
            var anchor = kit.L1.Chain.StateAtTip().GetAnchor(kit.ChainId, kit.Record.AnchorCount - 1)!;
            var challenger = kit.Users[2];
            // The challenge comes in the last block of the anchor's period.
            while (kit.L1.Height + 2 < anchor.PostedHeight + period)
                kit.MineL1();
            Assert.True(kit.Execute(challenger, Challenge(kit, lie)).Success);
            Assert.Equal(anchor.PostedHeight + period - 1, kit.L1.Height);

            // Not a signer: refused. Past the period the anchor's time is up, but it is not final while the game is open.
            Assert.Equal(L1RefuseReason.NotAllowed, kit.Execute(challenger, new DissectCall(kit.ChainId, 0, [Hash256.Zero])).Refusal?.Reason);
            Assert.True(anchor.IsFinalAt(kit.L1.Height, period));
            Assert.True(FraudVerifier.IsUnderChallenge(kit.L1.Chain.StateAtTip(), kit.ChainId, anchor.Index));
            Assert.NotEqual(anchor.Index, kit.LastFinalAnchor?.Index);
            var queries = new Application.ChallengeQueries(kit.L1.Chain);
            Assert.Equal(Application.AnchorStatus.Challenged, queries.StatusOf(kit.Record, anchor));
            Assert.Equal([0UL], queries.Games(kit.ChainId, open: true).Value.Select(g => g.Id));
            // Too late for anyone else: the period is over.
            Assert.Equal(L1RefuseReason.NotAllowed, kit.Execute(kit.Users[1], Challenge(kit, lie)).Refusal?.Reason);

            // The defenders stay silent past their deadline: the challenger wins at the end of that block.
            kit.MineL1((int)kit.L1.Parameters.MoveDeadline);
            Assert.Equal(GamePhase.ChallengerWon, Game(kit, 0).Game.Phase);
            Assert.Equal(number - 1, kit.Record.LastAnchoredBlock);
            Assert.False(FraudVerifier.IsUnderChallenge(kit.L1.Chain.StateAtTip(), kit.ChainId, anchor.Index));
            Assert.Empty(queries.Games(kit.ChainId, open: true).Value);
            Assert.Equal("challenger-won", Application.ChallengeQueries.PhaseName(queries.Games(kit.ChainId, open: false).Value.Single().Game.Phase));
            Assert.Equal(Application.AnchorStatus.Final, queries.StatusOf(kit.Record, kit.L1.Chain.StateAtTip().GetAnchor(kit.ChainId, 0)!));
        });
    }

    [Fact]
    public void A_challenger_that_stays_silent_loses_its_bond()
    {
        SettlementKit.Run(nameof(A_challenger_that_stays_silent_loses_its_bond), new KitOptions(), kit =>
        {
            var (number, _) = FraudScenario.Prepare(kit);
            var anchored = FraudScenario.AnchorBlock(kit, number, lie: false);
            var challenge = Challenge(kit, anchored);
            var honest = HonestSteps(kit, challenge).Commitments;
            Assert.True(kit.Execute(kit.Users[2], challenge).Success);
            var game = Game(kit, 0).Game;
            Assert.True(kit.Execute(kit.Sequencer, new DissectCall(kit.ChainId, 0, Enumerable.Range(1, game.Parts - 1).Select(i => honest[game.Boundary(i)]).ToList())).Success);
            kit.MineL1((int)kit.L1.Parameters.MoveDeadline + 1);
            Assert.Equal(GamePhase.DefenderWon, Game(kit, 0).Game.Phase);
            Assert.Equal(ChainStatus.Active, kit.Record.Status);
            Assert.Equal(number, kit.Record.LastAnchoredBlock);
        });
    }

    /// <summary>The honest challenger's choice: the first part whose end is not the truth.</summary>
    internal static int FirstDisputed(DissectionGame game, IReadOnlyList<Hash256> honest)
    {
        var part = 0;
        while (part < game.Parts - 1 && game.Cuts![part] == honest[game.Boundary(part + 1)])
            part++;
        return part;
    }
}
