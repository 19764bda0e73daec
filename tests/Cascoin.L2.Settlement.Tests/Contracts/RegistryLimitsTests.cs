using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// A deployer cannot make a chain whose full block no anchor could carry: such a chain would be bound
/// to run into emergency mode the first time a block filled up with data.
/// </summary>
public sealed class RegistryLimitsTests
{
    [Fact]
    public void A_gas_limit_whose_full_block_would_not_fit_one_anchor_is_refused()
    {
        L1Node.Run(nameof(A_gas_limit_whose_full_block_would_not_fit_one_anchor_is_refused), l1 =>
        {
            var deployer = TestKeys.Key(0);
            l1.Fund([deployer], 2);
            var tooLarge = l1.Execute(deployer, new DeployChainCall("huge", 100, Registry.MaxGasLimit + 1, 10, l1.Parameters.MinimumSequencerStake));
            Assert.Equal(L1RefuseReason.BadParameter, tooLarge.Refusal?.Reason);
            Assert.Contains("a full block must fit one anchor", tooLarge.Error, StringComparison.Ordinal);
            Assert.True(l1.Execute(deployer, new DeployChainCall("largest", 100, Registry.MaxGasLimit, 10, l1.Parameters.MinimumSequencerStake)).Success);
        });
    }

    [Fact]
    public void A_challenge_period_too_short_for_the_longest_fraud_proof_game_is_refused()
    {
        // Main: bisection, 72 blocks a move; 2,429 steps at most (1,428 transfers, 1,000 queue entries, the fee split) take 25 moves.
        Assert.Equal(25UL * 72, SettlementParameters.Main.LongestGame(Registry.MaxGasLimit));
        Assert.True(SettlementParameters.Main.DefaultChallengePeriod >= SettlementParameters.Main.LongestGame(Registry.MaxGasLimit));
        // Regtest: 64 parts a round, 2 blocks a move: 5 moves, exactly the 10-block default period.
        var regtest = SettlementParameters.Regtest;
        Assert.Equal(regtest.DefaultChallengePeriod, regtest.LongestGame(Registry.MaxGasLimit));
        L1Node.Run(nameof(A_challenge_period_too_short_for_the_longest_fraud_proof_game_is_refused), l1 =>
        {
            var deployer = TestKeys.Key(0);
            l1.Fund([deployer], 2);
            var longest = regtest.LongestGame(Registry.MaxGasLimit);
            var tooShort = l1.Execute(deployer, new DeployChainCall("hasty", 100, Registry.MaxGasLimit, longest - 1, regtest.MinimumSequencerStake));
            Assert.Equal(L1RefuseReason.BadParameter, tooShort.Refusal?.Reason);
            Assert.Contains("the longest fraud-proof game", tooShort.Error, StringComparison.Ordinal);
            Assert.True(l1.Execute(deployer, new DeployChainCall("patient", 100, Registry.MaxGasLimit, longest, regtest.MinimumSequencerStake)).Success);
        });
    }

    [Fact]
    public void A_block_of_the_largest_gas_limit_full_of_incompressible_calldata_fits_one_anchor()
    {
        // Transactions of 128 KiB of random (non-zero) bytes until the next would pass the gas limit, then one that fills the rest.
        var random = new Random(13);
        var key = TestKeys.Key(1);
        var body = new List<Transaction>();
        var gas = 0UL;
        while (true)
        {
            var room = Registry.MaxGasLimit - gas;
            if (room < IntrinsicGas.Base + IntrinsicGas.NonZeroByte)
                break;
            var length = (int)Math.Min(Transaction.MaxDataBytes, (room - IntrinsicGas.Base) / IntrinsicGas.NonZeroByte);
            var data = new byte[length];
            for (var i = 0; i < data.Length; i++)
                data[i] = (byte)random.Next(1, 256);
            var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, 7, (ulong)body.Count, TestKeys.AddressOf(key), Amount.FromSat(1), 20, 1,
                IntrinsicGas.Base + (ulong)length * IntrinsicGas.NonZeroByte, data);
            body.Add(Transaction.Sign(unsigned, key));
            gas += unsigned.GasLimit;
        }
        var header = new BlockHeader(2, Hash256.Zero, Hash256.Zero, MerkleRoot.Compute(body.Select(t => t.Id).ToList()), Hash256.Zero, Hash256.Zero,
            TestKeys.AddressOf(key), 1, Registry.MaxGasLimit, gas, 10, 1, Hash256.Zero);
        var seals = Enumerable.Range(0, 10).Select(i => Block.Seal(7, header, TestKeys.Key(i))).ToList();
        var parentCommit = new CommitCertificate(0, seals);
        var block = new Block(new BlockHeader(2, Hash256.Zero, Hash256.Zero, header.TransactionsRoot, Hash256.Zero, Hash256.Zero, TestKeys.AddressOf(key), 1,
            Registry.MaxGasLimit, gas, 10, 1, Hash256.Zero, default, parentCommit.Hash), body, seals, 0, parentCommit);

        var payload = AnchorCall.Of(7, [block]).ToBytes().Length;
        Assert.True(payload <= L1Transaction.MaxPayloadBytes, $"the anchor of a full block is {payload} bytes, over the {L1Transaction.MaxPayloadBytes} an L1 transaction carries");
        Assert.True(payload > 1_800_000, $"the block is full of data ({payload} bytes)");
    }
}
