using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.SettlementChain;

/// <summary>A block's reward reaches its miner 100 blocks later, like a coinbase's maturity; fees reach the including block's miner at once.</summary>
public sealed class CoinbaseMaturityTests
{
    private static readonly Address Miner = TestKeys.AddressOf(TestKeys.Key(50));

    [Fact]
    public void The_first_reward_is_spendable_after_101_blocks_and_one_more_matures_with_each_block()
    {
        L1Node.Run(nameof(The_first_reward_is_spendable_after_101_blocks_and_one_more_matures_with_each_block), l1 =>
        {
            var reward = l1.Parameters.BlockReward;
            l1.Mine(100, Miner);
            Assert.Equal(Amount.Zero, l1.Balance(Miner));
            // The reward is waiting under the block's height, not paid.
            Assert.Equal(Miner.ToArray(), l1.Chain.StateAtTip().Get(SettlementKeys.PendingReward(1)));

            l1.Mine(Miner);
            Assert.Equal(reward, l1.Balance(Miner));
            Assert.Null(l1.Chain.StateAtTip().Get(SettlementKeys.PendingReward(1)));

            l1.Mine(Miner);
            Assert.Equal(reward * 2, l1.Balance(Miner));
            // Blocks mined by someone else now mature to the earlier miner still.
            l1.Mine(3);
            Assert.Equal(reward * 5, l1.Balance(Miner));
            Assert.Equal(Amount.Zero, l1.Balance(L1Node.Miner));
        });
    }

    [Fact]
    public void A_fee_goes_to_the_miner_of_the_including_block_at_once()
    {
        L1Node.Run(nameof(A_fee_goes_to_the_miner_of_the_including_block_at_once), l1 =>
        {
            var payer = TestKeys.Key(51);
            l1.Fund([payer], 1);
            var payee = TestKeys.Outsider("payee");
            var feeMiner = TestKeys.Outsider("fee-miner");
            var fee = Amount.FromSat(25_000);
            l1.Submit(payer, new TransferCall(payee, Amount.FromCas(3)), fee);

            l1.Mine(feeMiner);

            Assert.Equal(fee, l1.Balance(feeMiner));
            Assert.Equal(Amount.FromCas(3), l1.Balance(payee));
            Assert.Equal(l1.Parameters.BlockReward - Amount.FromCas(3) - fee, l1.Balance(payer));
        });
    }
}
