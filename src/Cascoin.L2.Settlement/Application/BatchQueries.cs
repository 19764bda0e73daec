using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Application;

/// <summary>An anchored batch as the settlement chain holds it: the anchor, the L1 transaction and block that carried it, and its data.</summary>
public sealed record AnchoredBatch(AnchorRecord Anchor, Hash256 L1TransactionId, Hash256 L1BlockHash, AnchorCall Call, int L1Bytes)
{
    public ShardLayout Layout => ShardLayout.For(Call.Data.Length);
}

/// <summary>Reads anchored batches back from the settlement chain: the anchor record, then its transaction in the block it was posted in.</summary>
public sealed class BatchQueries(L1Chain l1)
{
    /// <summary>Batch <paramref name="index"/> of chain <paramref name="chainId"/>, or why there is none.</summary>
    public Outcome<AnchoredBatch> Batch(ulong chainId, ulong index)
    {
        var state = l1.StateAtTip();
        if (state.GetChain(chainId) is not { } chain)
            return new SettlementError(SettlementErrorKind.NotFound, $"chain {chainId} is not deployed on the settlement chain (l2_listchains)");
        if (index >= chain.AnchorCount || state.GetAnchor(chainId, index) is not { } anchor)
            return new SettlementError(SettlementErrorKind.NotFound, $"chain {chainId} has {chain.AnchorCount} anchored batches; there is no batch {index}{RevertedBy(state, chain)}");
        // The anchor was accepted in the block at its posting height: the successful Anchor call there that ends at its last block.
        var hash = l1.GetHash(anchor.PostedHeight)!.Value;
        var block = l1.GetBlock(hash)!;
        var receipts = l1.GetReceipts(hash) ?? [];
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var transaction = block.Transactions[i];
            if (transaction.Kind != L1TransactionKind.Anchor || i >= receipts.Count || !receipts[i].Success)
                continue;
            if (L1Call.Decode(transaction.Kind, transaction.Payload) is AnchorCall call && call.ChainId == chainId && call.Last.Hash == anchor.LastBlockHash)
                return new AnchoredBatch(anchor, transaction.Id, hash, call, transaction.Size);
        }
        throw new InvalidOperationException($"anchor {index} of chain {chainId} has no successful anchor transaction in L1 block {anchor.PostedHeight}");
    }

    /// <summary>The canonical batch of <paramref name="batch"/>, decoded from its data (which the contract checked when it took the anchor).</summary>
    public static Batch Decode(AnchoredBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return DataAvailability.Batches.Batch.Decode(BatchFrame.Decompress(batch.Call.Data));
    }

    /// <summary>Why batches from the anchor count on are gone, when a won fraud-proof game reverted them (the game named in the message); empty otherwise.</summary>
    private static string RevertedBy(L1StateView state, ChainRecord chain) =>
        ChallengeQueries.All(state, chain.ChainId).FirstOrDefault(g => g.Game.Phase == GamePhase.ChallengerWon && g.AnchorIndex == chain.AnchorCount) is { } won
            ? $": batches from {won.AnchorIndex} on were reverted by fraud-proof game {won.Id}, which proved L2 block {won.Block} wrong (l2_getchallenges)"
            : "";
}
