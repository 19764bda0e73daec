using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// Cross-layer messages: L1→L2 messages join the chain's queue (delivered by the L2 in order, once);
/// an L2→L1 message is executed on L1 after its anchor's challenge period, proven, exactly once.
/// Execution delivers the bytes to the target as an event of the L1 block; no message may target a
/// system contract, so a message can never call back into the bridge (the reentrancy guard).
/// </summary>
public sealed class Messages : ISystemContract
{
    private Messages()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static Messages Contract { get; } = new();

    public Address Address => SystemAddresses.Bridge;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.SendMessage, L1TransactionKind.ExecuteMessage];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        delivered = null;
        switch (request)
        {
            case SendMessageCall message:
                return Send(context, message);
            case ExecuteMessageCall execute:
                var error = Execute(context, execute, out var record);
                if (record is not null)
                    delivered = $"message {execute.MessageId} from L2 {record.Sender} to {record.Target}: {Convert.ToHexStringLower(record.Data)}";
                return error;
            default:
                throw new ArgumentException($"not a messages request: {request.Kind}", nameof(request));
        }
    }

    public static L1Refusal? Send(ContractContext context, SendMessageCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status is ChainStatus.Emergency or ChainStatus.Deprecated)
            return L1Refusal.Closed(call.ChainId, chain.Status, "messages are closed");
        Bridge.Queue(context, chain, L1MessageKind.Message, call.Target, Amount.Zero, call.Data);
        return null;
    }

    public static L1Refusal? Execute(ContractContext context, ExecuteMessageCall call, out L2MessageRecord? delivered)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        delivered = null;
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (call.AnchorIndex >= chain.AnchorCount || context.State.GetAnchor(call.ChainId, call.AnchorIndex) is not { } anchor)
            return new L1Refusal(L1RefuseReason.UnknownAnchor, $"chain {call.ChainId} has no anchor {call.AnchorIndex}");
        if (Anchors.UsableInEmergency(chain, anchor.Index) is { } closed)
            return closed;
        if (!anchor.IsFinalAt(context.Height, chain.ChallengePeriod))
            return new L1Refusal(L1RefuseReason.TooEarly, $"anchor {anchor.Index} is final at L1 height {anchor.PostedHeight + chain.ChallengePeriod} (now {context.Height})");
        if (!Anchors.IsFinal(context.State, chain, anchor, context.Height, chain.ChallengePeriod))
            return new L1Refusal(L1RefuseReason.TooEarly, $"anchor {anchor.Index} waits for a fraud-proof game: message {call.MessageId} executes once it stands");
        var executedKey = SettlementKeys.MessageExecuted(call.ChainId, call.MessageId);
        if (context.State.IsMarked(executedKey))
            return new L1Refusal(L1RefuseReason.AlreadyDone, $"message {call.MessageId} was already executed");
        L2MessageRecord record;
        try
        {
            record = L2MessageRecord.FromBytes(call.MessageRecord);
        }
        catch (DecodeException ex)
        {
            return new L1Refusal(L1RefuseReason.Malformed, $"not a message record: {ex.Message}");
        }
        if (SystemAddresses.IsSystem(record.Target))
            return new L1Refusal(L1RefuseReason.NotAllowed, "reentrancy guard: a message cannot call a system contract");
        if (!SmtVerifier.VerifyCompact(anchor.StateRoot, BridgeKeys.Message(call.MessageId), call.MessageRecord, call.Proof))
            return new L1Refusal(L1RefuseReason.BadProof, $"the proof does not show message {call.MessageId} under anchor {anchor.Index}'s state root");
        context.State.Mark(executedKey);
        delivered = record;
        return null;
    }
}
