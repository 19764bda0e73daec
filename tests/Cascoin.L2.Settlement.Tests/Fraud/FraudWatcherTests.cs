using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts.Fraud;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Settlement.Tests.Fraud;

/// <summary>
/// The watcher on real chains: a node with challenging on finds the anchored block its own execution
/// does not reach, opens the game and plays it to the end against the signer's own watcher (which
/// cuts with its honest commitments, and still loses: the signed end is false); restarted in the
/// middle it picks the game up from L1; an honest anchor is left alone.
/// </summary>
public sealed class FraudWatcherTests
{
    [Fact]
    public void A_watcher_challenges_a_lie_and_wins_against_the_signers_watcher_across_a_restart()
    {
        SettlementKit.Run(nameof(A_watcher_challenges_a_lie_and_wins_against_the_signers_watcher_across_a_restart), new KitOptions(), kit =>
        {
            var (number, _) = FraudScenario.Prepare(kit);
            var challenger = kit.Users[2];
            FraudWatcher Watcher(Crypto.PrivateKey key, bool challenge) =>
                new(kit.L1.Chain, kit.L2, kit.L2State.Tree, key, L1Node.Network, NullLogger.Instance) { Challenge = challenge };
            var watcher = Watcher(challenger, challenge: true);
            var defender = Watcher(kit.Sequencer, challenge: false);

            // An honest anchor: nothing to challenge.
            FraudScenario.AnchorBlock(kit, number, lie: false);
            watcher.OnL1Block();
            kit.MineL1();
            Assert.Empty(FraudVerifier.OpenOf(kit.L1.Chain.StateAtTip(), kit.ChainId).Open);

            // The next block anchored with a lie.
            kit.ProduceL2();
            FraudScenario.AnchorBlock(kit, kit.L2.Head.Number, lie: true);
            var anchors = kit.Record.AnchorCount;
            for (var round = 0; round < 20 && FraudVerifier.GetGame(kit.L1.Chain.StateAtTip(), kit.ChainId, 0) is not { Game.IsOver: true }; round++)
            {
                if (round == 2)
                    watcher = Watcher(challenger, challenge: true); // a restart: everything it knew was in memory
                watcher.OnL1Block();
                defender.OnL1Block();
                kit.MineL1();
            }

            var game = FraudVerifier.GetGame(kit.L1.Chain.StateAtTip(), kit.ChainId, 0)!;
            Assert.Equal(GamePhase.ChallengerWon, game.Game.Phase);
            Assert.Equal(anchors - 1, kit.Record.AnchorCount);
            Assert.Equal(Amount.Zero, kit.SequencerStake.Bonded);
            Assert.Empty(FraudVerifier.OpenOf(kit.L1.Chain.StateAtTip(), kit.ChainId).Open);
            Assert.Equal(TestKeys.AddressOf(challenger), game.Challenger);
        });
    }

    /// <summary>
    /// The signed block holds, after its honest transactions, a transfer the chain refuses (a nonce from
    /// the future), under the root the honest transactions reach: the sequencers pretend it changed
    /// nothing. The watcher proves the refused step invalid against the signer's own watcher, which cuts
    /// with its honest commitments (Invalid after that step) and loses.
    /// </summary>
    [Fact]
    public void A_block_holding_a_refused_transaction_is_proven_invalid_by_the_watcher()
    {
        SettlementKit.Run(nameof(A_block_holding_a_refused_transaction_is_proven_invalid_by_the_watcher), new KitOptions(), kit =>
        {
            var (number, _) = FraudScenario.Prepare(kit);
            var watcher = new FraudWatcher(kit.L1.Chain, kit.L2, kit.L2State.Tree, kit.Users[2], L1Node.Network, NullLogger.Instance) { Challenge = true };
            var defender = new FraudWatcher(kit.L1.Chain, kit.L2, kit.L2State.Tree, kit.Sequencer, L1Node.Network, NullLogger.Instance);
            var sender = TestKeys.AddressOf(kit.Users[1]);
            var future = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, kit.ChainId, kit.L2.GetAccount(sender).Nonce + 5,
                TestKeys.AddressOf(kit.Users[0]), Amount.FromSat(1), kit.L2.NextBaseFee * 2, 0, IntrinsicGas.Base), kit.Users[1]);
            var anchored = FraudScenario.AnchorBlock(kit, number, lie: false, refused: future);
            var anchors = kit.Record.AnchorCount;
            for (var round = 0; round < 20 && FraudVerifier.GetGame(kit.L1.Chain.StateAtTip(), kit.ChainId, 0) is not { Game.IsOver: true }; round++)
            {
                watcher.OnL1Block();
                defender.OnL1Block();
                kit.MineL1();
            }

            var game = FraudVerifier.GetGame(kit.L1.Chain.StateAtTip(), kit.ChainId, 0)!;
            Assert.Equal(number, game.Block);
            Assert.Equal(GamePhase.ChallengerWon, game.Game.Phase);
            Assert.Equal(anchors - 1, kit.Record.AnchorCount);
            Assert.Equal(Amount.Zero, kit.SequencerStake.Bonded);
            Assert.Equal(anchored.Transactions.Count, anchored.Transactions.ToList().IndexOf(future) + 1);
        });
    }

    [Fact]
    public void A_challenge_by_hand_opens_on_the_first_wrong_block_and_is_refused_where_the_node_agrees()
    {
        SettlementKit.Run(nameof(A_challenge_by_hand_opens_on_the_first_wrong_block_and_is_refused_where_the_node_agrees), new KitOptions(), kit =>
        {
            var (number, _) = FraudScenario.Prepare(kit);
            var watcher = new FraudWatcher(kit.L1.Chain, kit.L2, kit.L2State.Tree, kit.Users[2], L1Node.Network, NullLogger.Instance);
            FraudScenario.AnchorBlock(kit, number, lie: false);
            var honest = kit.Record.AnchorCount - 1;
            var (none, _, agreed) = watcher.ChallengeNow(honest, null);
            Assert.Null(none);
            Assert.Contains("reaches every state root", agreed, StringComparison.Ordinal);
            Assert.Contains("has no anchor", watcher.ChallengeNow(honest + 5, null).Error, StringComparison.Ordinal);

            kit.ProduceL2();
            var lie = FraudScenario.AnchorBlock(kit, kit.L2.Head.Number, lie: true);
            Assert.Contains("not 1", watcher.ChallengeNow(honest + 1, 1).Error, StringComparison.Ordinal);
            var (txid, block, error) = watcher.ChallengeNow(honest + 1, null);
            Assert.True(txid is not null, error);
            Assert.Equal(lie.Number, block);
            kit.MineL1();
            Assert.Equal(lie.Number, FraudVerifier.GetGame(kit.L1.Chain.StateAtTip(), kit.ChainId, 0)!.Block);
        });
    }
}
