using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Fraud;

/// <summary>The set-up the fraud-proof tests share: an anchored honest prefix, then one block anchored as signed or with a lie for a root.</summary>
internal static class FraudScenario
{
    /// <summary>A kit whose L2 blocks carry their parent certificates, as on a deployed chain, with one honest anchor and a withdrawal in the next block.</summary>
    public static (ulong Block, Hash256 Withdrawal) Prepare(SettlementKit kit, Random? random = null)
    {
        var weights = new ContractContext(kit.L1.Chain.StateAtTip(), kit.L1.Parameters, kit.L1.Height, kit.SequencerAddress, Hash256.Zero).SequencerWeights(kit.Record);
        kit.L2.SetWeights = _ => weights;
        kit.Deposit(kit.Users[0], Amount.FromCas(20));
        kit.MineL1();
        kit.ProduceL2();
        for (var i = 0; i < 5; i++)
        {
            kit.SendL2(kit.Users[0], TransactionType.Transfer, TestKeys.AddressOf(kit.Users[1]), Amount.FromSat(10_000 + i));
            kit.ProduceL2();
        }
        kit.AnchorHead();
        kit.Monitor.AnchoringEnabled = false;
        // The block that will be disputed: a few transfers (random with a generator) and a withdrawal.
        for (var i = 0; i < (random?.Next(1, 12) ?? 1); i++)
            kit.SendL2(kit.Users[0], TransactionType.Transfer, TestKeys.AddressOf(kit.Users[1 + (random?.Next(2) ?? 0)]), Amount.FromSat(random?.Next(1, 1_000_000) ?? Amount.SatPerCas));
        var withdrawal = kit.SendL2(kit.Users[0], TransactionType.Withdrawal, TestKeys.AddressOf(kit.Users[0]), Amount.FromCas(2));
        kit.ProduceL2();
        return (kit.L2.Head.Number, withdrawal.Id);
    }

    /// <summary>
    /// Anchors <paramref name="number"/> as the sequencer signed it, or with its state root replaced by a
    /// lie, or with <paramref name="refused"/> (a transaction the chain refuses there) added after its
    /// transactions under its honest root: the sequencers pretend it changed nothing. Still certified: the
    /// sequencer is the whole set.
    /// </summary>
    public static Block AnchorBlock(SettlementKit kit, ulong number, bool lie, Transaction? refused = null)
    {
        var block = kit.L2.GetBlock(number)!;
        if (lie || refused is not null)
        {
            var h = block.Header;
            IReadOnlyList<Transaction> transactions = refused is null ? block.Transactions : [.. block.Transactions, refused];
            var root = lie ? new Hash256(Hashes.Sha256d("the sequencers pay themselves"u8)) : h.StateRoot;
            var forged = new BlockHeader(h.Number, h.ParentHash, root, MerkleRoot.Compute(transactions.Select(t => t.Id).ToList()), h.ReceiptsRoot,
                h.L1MessagesRoot, h.Sequencer, h.Timestamp, h.GasLimit, h.GasUsed, h.BaseFee, h.L1AnchorHeight, h.L1AnchorHash, h.Processed, h.ParentCommitHash);
            block = new Block(forged, transactions, [Block.Seal(kit.ChainId, forged, kit.Sequencer)], 0, block.ParentCommit);
        }
        var receipt = kit.Execute(kit.Sequencer, AnchorCall.Of(kit.ChainId, [block]));
        Assert.True(receipt.Success, receipt.Error);
        return block;
    }

}
