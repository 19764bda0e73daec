using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// Forced inclusion: a user posts a signed L2 transaction on L1; every L2 block that references an L1
/// block at or after it must take it first (L2 block validation), and the chain's anchors must report
/// it processed within the deadline. Otherwise the sequencers who signed the newest anchor since it
/// was posted — that batch left it out — are slashed; when no anchor came at all, every staker of the
/// chain is (SPEC §9 property 19).
/// </summary>
public sealed class ForcedInclusion : ISystemContract
{
    private ForcedInclusion()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static ForcedInclusion Contract { get; } = new();

    public Address Address => SystemAddresses.ForcedInclusion;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.ForceInclude];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        delivered = null;
        return request is ForceIncludeCall forced ? Post(context, forced) : throw new ArgumentException($"not a forced-inclusion request: {request.Kind}", nameof(request));
    }

    public void EndOfBlock(ContractContext context, ChainRecord chain)
    {
        EnforceDeadlines(context, chain);
    }

    public static L1Refusal? Post(ContractContext context, ForceIncludeCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status is not (ChainStatus.Active or ChainStatus.Paused))
            return L1Refusal.Closed(call.ChainId, chain.Status, "it takes no forced transactions");
        Transaction transaction;
        try
        {
            transaction = Transaction.Decode(call.L2Transaction);
        }
        catch (DecodeException ex)
        {
            return new L1Refusal(L1RefuseReason.Malformed, $"not an L2 transaction: {ex.Message}");
        }
        if (transaction.ChainId != call.ChainId)
            return new L1Refusal(L1RefuseReason.BadParameter, $"the transaction is for chain {transaction.ChainId}, not {call.ChainId}");
        if (transaction.Type is not (TransactionType.Transfer or TransactionType.Withdrawal or TransactionType.L2ToL1Message))
            return new L1Refusal(L1RefuseReason.Unsupported, $"{transaction.Type} transactions cannot be forced");
        if (transaction.Sender is null)
            return new L1Refusal(L1RefuseReason.BadSignature, "the L2 transaction's signature does not recover");
        var entry = new L1Message(L1MessageKind.Forced, chain.ForcedCount, context.Sender, transaction.Sender.Value, transaction.Value,
            call.L2Transaction, context.Height, context.TransactionId);
        context.State.Set(SettlementKeys.Forced(call.ChainId, entry.Sequence), entry.ToBytes());
        context.State.SetChain(chain with { ForcedCount = chain.ForcedCount + 1 });
        return null;
    }

    /// <summary>
    /// Each block: forced transactions the newest anchor reports processed are settled; one whose
    /// deadline has passed unprocessed slashes those who answer for it (<see cref="Culprits"/>) and is settled too.
    /// </summary>
    public static void EnforceDeadlines(ContractContext context, ChainRecord chain)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chain);
        var settled = chain.ForcedSettled;
        while (settled < chain.ForcedCount)
        {
            var forced = context.State.GetForced(chain.ChainId, settled)!;
            if (settled < chain.ForcedProcessed)
            {
                settled++;
                continue;
            }
            if (context.Height < forced.Height + context.Parameters.ForcedInclusionDeadline)
                break;
            foreach (var sequencer in Culprits(context, chain, forced.Height))
                Staking.Slash(context, chain.ChainId, sequencer, context.Parameters.ForcedInclusionSlashPercent);
            settled++;
        }
        if (settled != chain.ForcedSettled)
            context.State.SetChain(context.State.GetChain(chain.ChainId)! with { ForcedSettled = settled });
    }

    /// <summary>
    /// Who answers for a forced transaction posted at L1 height <paramref name="postedHeight"/> and
    /// still unprocessed: the signers of the newest anchor posted since (they certified a batch
    /// without it), or, when none was posted, every staker of the chain (none of them anchored).
    /// </summary>
    private static IReadOnlyList<Address> Culprits(ContractContext context, ChainRecord chain, ulong postedHeight)
    {
        if (chain.AnchorCount > 0 && context.State.GetAnchor(chain.ChainId, chain.AnchorCount - 1) is { } newest && newest.PostedHeight >= postedHeight)
            return newest.Signers;
        return chain.Stakers;
    }
}
