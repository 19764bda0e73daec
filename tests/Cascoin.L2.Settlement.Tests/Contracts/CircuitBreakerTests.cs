using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// The circuit breaker: more than 2/3 of the sequencer weight pauses the bridge and lifts the pause;
/// one sequencer, a minority, an outsider, a repeated signer or a replayed call cannot.
/// </summary>
public sealed class CircuitBreakerTests
{
    /// <summary>The kit's sequencer and its three users as four sequencers of equal weight (stake and score as the kit's own).</summary>
    private static List<PrivateKey> FourSequencers(SettlementKit kit)
    {
        foreach (var user in kit.Users)
        {
            kit.L1.Submit(user, new SetReputationCall(TestKeys.AddressOf(user), 60));
            kit.L1.Submit(user, new BondCall(kit.ChainId, kit.SequencerStake.Bonded));
        }
        kit.MineL1();
        Assert.Equal(4, kit.Record.Stakers.Count);
        return [kit.Sequencer, .. kit.Users];
    }

    private static BridgePauseCall Call(SettlementKit kit, bool pause, IEnumerable<PrivateKey> signers, ulong? nonce = null)
    {
        var counter = nonce ?? CircuitBreaker.NonceOf(kit.L1.Chain.StateAtTip(), kit.ChainId);
        var digest = BridgePauseCall.DigestOf(kit.ChainId, pause, counter).ToArray();
        return new BridgePauseCall(kit.ChainId, pause, counter, signers.Select(k => k.SignRecoverable(digest).ToArray()).ToList());
    }

    [Fact]
    public void More_than_two_thirds_pause_the_bridge_and_lift_the_pause_and_fewer_cannot()
    {
        SettlementKit.Run(nameof(More_than_two_thirds_pause_the_bridge_and_lift_the_pause_and_fewer_cannot), new KitOptions(), kit =>
        {
            var sequencers = FourSequencers(kit);
            var payer = kit.Users[0];
            Refusal.AssertRefused(kit, payer, Call(kit, true, sequencers.Take(1)), "signed by 1 of 4 sequencers, not more than 2/3");
            Refusal.AssertRefused(kit, payer, Call(kit, true, sequencers.Take(2)), "signed by 2 of 4 sequencers, not more than 2/3");
            Refusal.AssertRefused(kit, payer, Call(kit, false, sequencers), "there is no pause to lift");
            Assert.Equal(ChainStatus.Active, kit.Record.Status);

            var pause = Call(kit, true, sequencers.Take(3));
            var paused = kit.Execute(payer, pause);
            Assert.True(paused.Success, paused.Error);
            Assert.Equal(ChainStatus.Paused, kit.Record.Status);
            Assert.Contains("PAUSED by 3 of 4 sequencers", paused.Event, StringComparison.Ordinal);
            Refusal.AssertRefused(kit, payer, new DepositCall(kit.ChainId, Amount.FromCas(1), TestKeys.AddressOf(payer)), "is PAUSED by its sequencers (circuit breaker): deposits wait");
            Refusal.AssertRefused(kit, payer, new FinalizeWithdrawalCall(kit.ChainId, 0, Hash256.Zero, [1], [2]), "withdrawals wait");
            // The same signatures again: the pause counter moved on.
            Refusal.AssertRefused(kit, payer, pause, "only an ACTIVE chain's bridge can be paused");

            var unpause = kit.Execute(payer, Call(kit, false, sequencers.Skip(1)));
            Assert.True(unpause.Success, unpause.Error);
            Assert.Equal(ChainStatus.Active, kit.Record.Status);
            Assert.True(kit.Execute(payer, new DepositCall(kit.ChainId, Amount.FromCas(1), TestKeys.AddressOf(payer))).Success);
            // A pause signed for an earlier counter is spent, whoever submits it.
            Refusal.AssertRefused(kit, kit.Users[1], pause, "the pause counter of chain");
        });
    }

    [Fact]
    public void An_outsider_or_a_sequencer_that_signs_twice_does_not_count()
    {
        SettlementKit.Run(nameof(An_outsider_or_a_sequencer_that_signs_twice_does_not_count), new KitOptions(), kit =>
        {
            var sequencers = FourSequencers(kit);
            var outsider = TestKeys.Key(90);
            Refusal.AssertRefused(kit, kit.Users[0], Call(kit, true, [sequencers[0], sequencers[1], outsider]), "is not an eligible sequencer");
            Refusal.AssertRefused(kit, kit.Users[0], Call(kit, true, [sequencers[0], sequencers[1], sequencers[1]]), "signed twice");
            Refusal.AssertRefused(kit, kit.Users[0], Call(kit, true, sequencers.Take(3), nonce: 5), "the pause counter of chain");
            Refusal.AssertRefused(kit, kit.Users[0], Call(kit, true, sequencers.Take(3)) with { ChainId = kit.ChainId + 1 }, $"unknown chain {kit.ChainId + 1}");
            Assert.Equal(ChainStatus.Active, kit.Record.Status);
        });
    }
}
