using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.Contracts.Fraud;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Fraud;

/// <summary>
/// SPEC §9 properties 16 and 17 on the fraud verifier, each case a real settlement chain and a real
/// disputed block of random transfers: a challenge of an honest block, whatever the challenger chooses,
/// loses exactly its bond (half to the signer, the rest burned) and leaves the anchors; a proven fraud,
/// whatever the lying signer cuts, slashes exactly the signer — a staker that did not sign keeps its
/// stake — pays the challenger half of it with the bond back, and reverts the anchor.
/// </summary>
public sealed class FraudGameProperties
{
    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void An_invalid_challenge_loses_its_bond(Seed seed)
    {
        var random = new Random(seed.Value);
        SettlementKit.Run(nameof(An_invalid_challenge_loses_its_bond), new KitOptions(), kit =>
        {
            var (number, _) = FraudScenario.Prepare(kit, random);
            var anchored = FraudScenario.AnchorBlock(kit, number, lie: false);
            var challenger = kit.Users[2];
            var challenge = FraudGameTests.Challenge(kit, anchored);
            var steps = FraudGameTests.HonestSteps(kit, challenge);
            var anchors = kit.Record.AnchorCount;
            var (challengerBefore, signerBefore, since) = (kit.L1.Balance(challenger), kit.L1.Balance(kit.Sequencer), kit.L1.Height);

            Assert.True(kit.Execute(challenger, challenge).Success);
            Play(kit, challenger, steps, random, lyingCuts: false, chooseAtRandom: true);

            Assert.Equal(GamePhase.DefenderWon, FraudGameTests.Game(kit, 0).Game.Phase);
            Assert.Equal(anchors, kit.Record.AnchorCount);
            var bond = kit.L1.Parameters.ChallengeBond;
            Assert.Equal(challengerBefore - kit.L1.FeesPaidAbove(TestKeys.AddressOf(challenger), since) - bond, kit.L1.Balance(challenger));
            Assert.Equal(signerBefore - kit.L1.FeesPaidAbove(kit.SequencerAddress, since) + Amount.FromSat(bond.Sat / 2), kit.L1.Balance(kit.Sequencer));
        });
    }

    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void A_proven_fraud_slashes_exactly_the_signers_and_pays_the_challenger(Seed seed)
    {
        var random = new Random(seed.Value);
        SettlementKit.Run(nameof(A_proven_fraud_slashes_exactly_the_signers_and_pays_the_challenger), new KitOptions(), kit =>
        {
            // A staker that signs nothing (its score keeps it out of the set): its stake must survive the fraud.
            var bystander = kit.Users[1];
            Assert.True(kit.Execute(bystander, new BondCall(kit.ChainId, kit.L1.Parameters.MinimumSequencerStake)).Success);
            var (number, _) = FraudScenario.Prepare(kit, random);
            var lie = FraudScenario.AnchorBlock(kit, number, lie: true);
            var challenger = kit.Users[2];
            var challenge = FraudGameTests.Challenge(kit, lie);
            var steps = FraudGameTests.HonestSteps(kit, challenge);
            var anchors = kit.Record.AnchorCount;
            var (stake, bystanderStake) = (kit.SequencerStake, kit.L1.Chain.StateAtTip().GetStake(kit.ChainId, TestKeys.AddressOf(bystander)));
            var (before, since) = (kit.L1.Balance(challenger), kit.L1.Height);

            Assert.True(kit.Execute(challenger, challenge).Success);
            Play(kit, challenger, steps, random, lyingCuts: true, chooseAtRandom: false);

            Assert.Equal(GamePhase.ChallengerWon, FraudGameTests.Game(kit, 0).Game.Phase);
            Assert.Equal(anchors - 1, kit.Record.AnchorCount);
            Assert.Equal((Amount.Zero, Amount.Zero), (kit.SequencerStake.Bonded, kit.SequencerStake.Unbonding));
            Assert.Equal(bystanderStake, kit.L1.Chain.StateAtTip().GetStake(kit.ChainId, TestKeys.AddressOf(bystander)));
            var award = Amount.FromSat((stake.Bonded.Sat + stake.Unbonding.Sat) / 2);
            Assert.Equal(before - kit.L1.FeesPaidAbove(TestKeys.AddressOf(challenger), since) + award, kit.L1.Balance(challenger));
            Assert.Equal(Amount.Zero, kit.L1.Balance(SystemAddresses.FraudVerifier));
        });
    }

    /// <summary>
    /// Plays game 0 to its end: the signer cuts with the truth or (<paramref name="lyingCuts"/>) with
    /// made-up commitments at random; the challenger names a random part or the first it disputes, and
    /// proves the last step from its honest steps.
    /// </summary>
    private static void Play(SettlementKit kit, PrivateKey challenger, BlockSteps steps, Random random, bool lyingCuts, bool chooseAtRandom)
    {
        var honest = steps.States.Select(s => s.Commitment).ToList();
        for (var move = 0; move < 50 && FraudGameTests.Game(kit, 0).Game is { IsOver: false } game; move++)
        {
            var receipt = game.Phase switch
            {
                GamePhase.DefenderMoves => kit.Execute(kit.Sequencer, new DissectCall(kit.ChainId, 0, Enumerable.Range(1, game.Parts - 1)
                    .Select(i => lyingCuts && random.Next(2) == 0 ? new Hash256(Hashes.Sha256d(BitConverter.GetBytes(random.Next()))) : honest[game.Boundary(i)]).ToList())),
                GamePhase.ChallengerMoves => kit.Execute(challenger, new ChooseStepCall(kit.ChainId, 0,
                    (ushort)(chooseAtRandom ? random.Next(game.Parts) : FraudGameTests.FirstDisputed(game, honest)))),
                _ => kit.Execute(challenger, new ProveStepCall(kit.ChainId, 0, steps.ProofOf(game.Lo).ToBytes())),
            };
            Assert.True(receipt.Success, receipt.Error);
        }
    }
}
