using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>Sequencer stake on the settlement chain: bonds, the unbond delay (slashable meanwhile), and slashing that burns.</summary>
public sealed class StakingTests
{
    private static readonly PrivateKey Sequencer = StakedChain.Sequencer;
    private static readonly Address SequencerAddress = StakedChain.SequencerAddress;

    private static void WithChain(string name, Action<L1Node, ulong> test, params PrivateKey[] alsoFunded) => StakedChain.Run(name, test, alsoFunded);

    private static StakeRecord StakeOf(L1Node l1, ulong chainId, Address address) => StakedChain.StakeOf(l1, chainId, address);

    [Fact]
    public void A_bond_adds_to_the_stake_and_lists_the_staker()
    {
        WithChain(nameof(A_bond_adds_to_the_stake_and_lists_the_staker), (l1, chainId) =>
        {
            var other = TestKeys.Key(81);
            var before = l1.Balance(Sequencer);

            Assert.True(l1.Execute(Sequencer, new BondCall(chainId, Amount.FromCas(15))).Success);
            Assert.True(l1.Execute(other, new BondCall(chainId, Amount.FromCas(3))).Success);

            Assert.Equal(new StakeRecord(Amount.FromCas(25), Amount.Zero, 0), StakeOf(l1, chainId, SequencerAddress));
            Assert.Equal(new StakeRecord(Amount.FromCas(3), Amount.Zero, 0), StakeOf(l1, chainId, TestKeys.AddressOf(other)));
            Assert.Equal(before - Amount.FromCas(15) - l1.Fee, l1.Balance(Sequencer));
            Assert.Equal([SequencerAddress, TestKeys.AddressOf(other)], l1.Chain.StateAtTip().GetChain(chainId)!.Stakers);
            var refused = l1.Execute(other, new BondCall(chainId, Amount.Zero));
            Assert.Equal("the amount must be positive", refused.Error);
        }, TestKeys.Key(81));
    }

    [Fact]
    public void A_chain_becomes_active_only_with_the_minimum_number_of_eligible_sequencers()
    {
        Assert.Equal(3, SettlementParameters.Main.MinimumActiveSequencers);
        Assert.Equal(1, SettlementParameters.Regtest.MinimumActiveSequencers);
        var keys = new[] { Sequencer, TestKeys.Key(81), TestKeys.Key(82) };
        L1Node.Run(nameof(A_chain_becomes_active_only_with_the_minimum_number_of_eligible_sequencers), l1 =>
        {
            l1.Fund(keys, 2);
            foreach (var key in keys)
                l1.Submit(key, new SetReputationCall(TestKeys.AddressOf(key), 60));
            var deploy = l1.Submit(Sequencer, new DeployChainCall("three", 100, 30_000_000, 10, l1.Parameters.MinimumSequencerStake));
            l1.Mine();
            var chainId = Registry.ChainIdOf(deploy.Id);
            ChainStatus Status() => l1.Chain.StateAtTip().GetChain(chainId)!.Status;

            Assert.Equal(ChainStatus.Bootstrapping, Status()); // one eligible sequencer of the three needed
            Assert.True(l1.Execute(keys[1], new BondCall(chainId, l1.Parameters.MinimumSequencerStake)).Success);
            Assert.Equal(ChainStatus.Bootstrapping, Status());
            Assert.True(l1.Execute(keys[2], new BondCall(chainId, l1.Parameters.MinimumSequencerStake)).Success);
            Assert.Equal(ChainStatus.Active, Status());
            Assert.Equal(l1.Height, l1.Chain.StateAtTip().GetChain(chainId)!.LastAnchorHeight); // the emergency clock starts at activation

            // Once active, losing one of the three keeps it running (halting would lock funds with no emergency clock).
            Assert.True(l1.Execute(keys[2], new UnbondCall(chainId, l1.Parameters.MinimumSequencerStake)).Success);
            Assert.Equal(ChainStatus.Active, Status());
        }, SettlementParameters.Regtest with { MinimumActiveSequencers = 3 });
    }

    [Fact]
    public void Unbonded_stake_is_paid_back_exactly_at_the_end_of_the_delay()
    {
        WithChain(nameof(Unbonded_stake_is_paid_back_exactly_at_the_end_of_the_delay), (l1, chainId) =>
        {
            var stake = l1.Parameters.MinimumSequencerStake;
            Assert.Equal($"can unbond 0 < amount ≤ {stake} CAS", l1.Execute(Sequencer, new UnbondCall(chainId, stake + Amount.FromSat(1))).Error);
            Assert.True(l1.Execute(Sequencer, new UnbondCall(chainId, stake)).Success);
            var release = l1.Height + l1.Parameters.UnbondDelay;
            Assert.Equal(new StakeRecord(Amount.Zero, stake, release), StakeOf(l1, chainId, SequencerAddress));
            // Nothing bonded any more: no eligible sequencer, the chain waits for one.
            Assert.Equal(ChainStatus.Bootstrapping, l1.Chain.StateAtTip().GetChain(chainId)!.Status);
            var balance = l1.Balance(Sequencer);

            while (l1.Height + 1 < release)
                l1.Mine();
            Assert.Equal(balance, l1.Balance(Sequencer));

            l1.Mine();
            Assert.Equal(balance + stake, l1.Balance(Sequencer));
            Assert.Equal(StakeRecord.None, StakeOf(l1, chainId, SequencerAddress));
            Assert.Empty(l1.Chain.StateAtTip().GetChain(chainId)!.Stakers);
        });
    }

    [Fact]
    public void A_missed_forced_transaction_burns_ten_percent_of_bonded_and_unbonding_stake()
    {
        WithChain(nameof(A_missed_forced_transaction_burns_ten_percent_of_bonded_and_unbonding_stake), (l1, chainId) =>
        {
            Assert.True(l1.Execute(Sequencer, new BondCall(chainId, Amount.FromCas(10))).Success);
            var user = TestKeys.Key(82);
            var forced = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, chainId, 0, TestKeys.Outsider("x"), Amount.FromSat(1), 1, 0, 21_000, null), user);
            Assert.True(l1.Execute(Sequencer, new ForceIncludeCall(chainId, forced.ToBytes())).Success);
            var deadline = l1.Height + l1.Parameters.ForcedInclusionDeadline;
            // Unbonding after the post: the stake leaves later than the deadline, so it is still slashable.
            Assert.True(l1.Execute(Sequencer, new UnbondCall(chainId, Amount.FromCas(8))).Success);
            var release = l1.Height + l1.Parameters.UnbondDelay;
            Assert.True(release > deadline);

            while (l1.Height + 1 < deadline)
                l1.Mine();
            Assert.Equal(new StakeRecord(Amount.FromCas(12), Amount.FromCas(8), release), StakeOf(l1, chainId, SequencerAddress));
            l1.Mine();

            Assert.Equal(new StakeRecord(Amount.FromCas(12) - Amount.FromCas(12).PercentFloor(10), Amount.FromCas(8) - Amount.FromCas(8).PercentFloor(10), release),
                StakeOf(l1, chainId, SequencerAddress));
            var chain = l1.Chain.StateAtTip().GetChain(chainId)!;
            Assert.Equal(1UL, chain.ForcedSettled);
            // 10.8 CAS bonded is still above the minimum: the chain stays active.
            Assert.Equal(ChainStatus.Active, chain.Status);

            // Only what is left of the unbonding stake comes back; the slashed part is gone (burned, paid to no one).
            var balance = l1.Balance(Sequencer);
            while (l1.Height < release)
                l1.Mine();
            Assert.Equal(balance + Amount.FromCas(8) - Amount.FromCas(8).PercentFloor(10), l1.Balance(Sequencer));
            var matured = l1.Parameters.BlockReward * (long)(l1.Height - l1.Parameters.CoinbaseMaturity);
            var stake = StakeOf(l1, chainId, SequencerAddress);
            var burned = Amount.FromCas(20).PercentFloor(10);
            Assert.Equal(matured - burned, l1.Balance(Sequencer) + l1.Balance(L1Node.Miner) + stake.Bonded + stake.Unbonding);
        });
    }

    /// <summary>
    /// Stake unbonded in the block that posts a forced transaction is released on the very block its
    /// deadline passes (regtest: both 20 blocks). The miss is judged first: the stake was held while the
    /// transaction waited, so it is slashed before what is left is paid back.
    /// </summary>
    [Fact]
    public void Stake_released_on_the_deadline_block_is_slashed_before_it_is_paid_back()
    {
        WithChain(nameof(Stake_released_on_the_deadline_block_is_slashed_before_it_is_paid_back), (l1, chainId) =>
        {
            Assert.Equal(l1.Parameters.UnbondDelay, l1.Parameters.ForcedInclusionDeadline);
            Assert.True(l1.Execute(Sequencer, new BondCall(chainId, Amount.FromCas(10))).Success);
            var user = TestKeys.Key(83);
            var forced = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, chainId, 0, TestKeys.Outsider("y"), Amount.FromSat(1), 1, 0, 21_000, null), user);
            l1.Submit(Sequencer, new ForceIncludeCall(chainId, forced.ToBytes()));
            l1.Submit(Sequencer, new UnbondCall(chainId, Amount.FromCas(10)));
            l1.Mine();
            var deadline = l1.Height + l1.Parameters.ForcedInclusionDeadline;
            Assert.Equal(new StakeRecord(Amount.FromCas(10), Amount.FromCas(10), deadline), StakeOf(l1, chainId, SequencerAddress));
            while (l1.Height + 1 < deadline)
                l1.Mine();
            var balance = l1.Balance(Sequencer);

            l1.Mine();

            Assert.Equal(new StakeRecord(Amount.FromCas(9), Amount.Zero, 0), StakeOf(l1, chainId, SequencerAddress));
            Assert.Equal(balance + Amount.FromCas(9), l1.Balance(Sequencer));
        });
    }
}
