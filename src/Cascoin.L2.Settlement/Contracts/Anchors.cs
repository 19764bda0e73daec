using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>The anchor contract: batches posted by eligible sequencers, in order; each is final after the chain's challenge period.</summary>
public static class Anchors
{
    public static string? Post(ContractContext context, AnchorCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return $"unknown chain {call.ChainId}";
        if (chain.Status is not (ChainStatus.Active or ChainStatus.Paused))
            return $"chain {call.ChainId} is {chain.Status.ToString().ToLowerInvariant()}: it takes no anchors";
        if (!context.IsEligibleSequencer(chain, context.Sender))
            return $"{context.Sender} is not an eligible sequencer of chain {call.ChainId}";
        if (call.FirstBlock != chain.LastAnchoredBlock + 1 || call.LastBlock < call.FirstBlock)
            return $"the next batch starts at L2 block {chain.LastAnchoredBlock + 1} (got {call.FirstBlock}..{call.LastBlock})";
        var previous = chain.AnchorCount == 0 ? null : context.State.GetAnchor(call.ChainId, chain.AnchorCount - 1);
        if (call.L1MessagesProcessed > chain.L1MessageCount || call.L1MessagesProcessed < (previous?.L1MessagesProcessed ?? 0))
            return $"L1 messages processed must be within {previous?.L1MessagesProcessed ?? 0}..{chain.L1MessageCount}";
        if (call.ForcedProcessed > chain.ForcedCount || call.ForcedProcessed < chain.ForcedProcessed)
            return $"forced transactions processed must be within {chain.ForcedProcessed}..{chain.ForcedCount}";
        var anchor = new AnchorRecord(chain.AnchorCount, call.FirstBlock, call.LastBlock, call.StateRoot, call.LastBlockHash, call.DataHash,
            call.L1MessagesProcessed, call.ForcedProcessed, context.Sender, context.Height);
        context.State.Set(SettlementKeys.Anchor(call.ChainId, anchor.Index), anchor.ToBytes());
        context.State.SetChain(chain with
        {
            AnchorCount = chain.AnchorCount + 1,
            LastAnchorHeight = context.Height,
            LastAnchoredBlock = call.LastBlock,
            ForcedProcessed = call.ForcedProcessed,
        });
        return null;
    }

    /// <summary>
    /// The anchor emergency exits prove against: the newest one that was final when the chain entered
    /// emergency mode (null when none was, or the chain is not in emergency).
    /// </summary>
    public static AnchorRecord? EmergencyRoot(L1StateView state, ChainRecord chain)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Status == ChainStatus.Emergency && chain.EmergencyAnchorCount > 0 ? state.GetAnchor(chain.ChainId, chain.EmergencyAnchorCount - 1) : null;
    }

    /// <summary>
    /// Null when anchor <paramref name="index"/> may pay withdrawals or execute messages; otherwise why
    /// not. In emergency only anchors final at its start count: the exit root is the newest of them, so
    /// a later anchor's withdrawals are still in the balances exits pay.
    /// </summary>
    public static string? UsableInEmergency(ChainRecord chain, ulong index)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Status == ChainStatus.Emergency && index >= chain.EmergencyAnchorCount
            ? $"anchor {index} was not final when chain {chain.ChainId} entered emergency mode: its balances leave through l2_emergencywithdraw"
            : null;
    }

    /// <summary>The newest anchor that is final at <paramref name="height"/>, or null.</summary>
    public static AnchorRecord? LastFinal(L1StateView state, ChainRecord chain, ulong height)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chain);
        for (var index = chain.AnchorCount; index > 0; index--)
        {
            var anchor = state.GetAnchor(chain.ChainId, index - 1)!;
            if (anchor.IsFinalAt(height, chain.ChallengePeriod))
                return anchor;
        }
        return null;
    }
}
