using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Settlement.Tests;

/// <summary>The bridge calls of a <see cref="SettlementKit"/>, with their records and proofs built as the RPC builds them.</summary>
internal sealed partial class SettlementKit
{
    public L1Transaction Deposit(PrivateKey key, Amount amount, Address? l2Recipient = null) =>
        L1.Submit(key, new DepositCall(ChainId, amount, l2Recipient ?? TestKeys.AddressOf(key)));

    /// <summary>The first anchor whose batch holds L2 block <paramref name="block"/>.</summary>
    public AnchorRecord? AnchorCovering(ulong block)
    {
        var state = L1.Chain.StateAtTip();
        var record = Record;
        for (ulong index = 0; index < record.AnchorCount; index++)
        {
            var anchor = state.GetAnchor(ChainId, index)!;
            if (anchor.FirstBlock <= block && block <= anchor.LastBlock)
                return anchor;
        }
        return null;
    }

    /// <summary>The compact proof of an L2 state key against an anchored root.</summary>
    public byte[] ProofAt(Hash256 key, Hash256 root) => L2.GetRecordProof(key, root).Proof.ToCompact();

    public WithdrawalRecord WithdrawalOf(Hash256 withdrawalId) => WithdrawalRecord.FromBytes(L2.GetRecord(BridgeKeys.Withdrawal(withdrawalId))!);

    public FinalizeWithdrawalCall FinalizeCall(Hash256 withdrawalId)
    {
        var bytes = L2.GetRecord(BridgeKeys.Withdrawal(withdrawalId)) ?? throw new InvalidOperationException($"no withdrawal {withdrawalId} on L2");
        var anchor = AnchorCovering(WithdrawalRecord.FromBytes(bytes).Block) ?? throw new InvalidOperationException($"withdrawal {withdrawalId} is not anchored");
        return new FinalizeWithdrawalCall(ChainId, anchor.Index, withdrawalId, bytes, ProofAt(BridgeKeys.Withdrawal(withdrawalId), anchor.StateRoot));
    }

    public ExecuteMessageCall ExecuteCall(Hash256 messageId)
    {
        var bytes = L2.GetRecord(BridgeKeys.Message(messageId)) ?? throw new InvalidOperationException($"no L2→L1 message {messageId} on L2");
        var anchor = AnchorCovering(L2MessageRecord.FromBytes(bytes).Block) ?? throw new InvalidOperationException($"message {messageId} is not anchored");
        return new ExecuteMessageCall(ChainId, anchor.Index, messageId, bytes, ProofAt(BridgeKeys.Message(messageId), anchor.StateRoot));
    }

    /// <summary>The account of <paramref name="owner"/> at <paramref name="anchor"/>'s root with its proof.</summary>
    public EmergencyWithdrawCall EmergencyCall(Address owner, AnchorRecord anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        return new EmergencyWithdrawCall(ChainId, L2.GetAccountAt(owner, anchor.StateRoot).ToBytes(), ProofAt(StateKeys.ForAccount(owner), anchor.StateRoot));
    }

    public AnchorRecord? LastFinalAnchor => Anchors.LastFinal(L1.Chain.StateAtTip(), Record, L1.Height);
}
