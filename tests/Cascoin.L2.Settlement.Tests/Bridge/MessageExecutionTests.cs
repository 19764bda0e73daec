using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>L2→L1 messages that must not execute: an id the L2 never recorded, and one aimed at a system contract (the reentrancy guard).</summary>
public sealed class MessageExecutionTests
{
    /// <summary>User 1 sends an L2→L1 message to <paramref name="target"/>; the batch is final.</summary>
    private static Hash256 SendFinal(SettlementKit kit, Address target)
    {
        var user = kit.Users[0];
        kit.Deposit(user, Amount.FromCas(5));
        kit.MineL1();
        kit.ProduceL2();
        var message = kit.SendL2(user, TransactionType.L2ToL1Message, target, Amount.Zero, [1, 2, 3]);
        kit.WaitFinal(kit.AnchorHead());
        return message.Id;
    }

    [Fact]
    public void A_message_id_the_L2_never_recorded_is_refused()
    {
        SettlementKit.Run(nameof(A_message_id_the_L2_never_recorded_is_refused), new KitOptions(), kit =>
        {
            var id = SendFinal(kit, TestKeys.Outsider("target"));
            var unknown = new Hash256(System.Security.Cryptography.SHA256.HashData("no such message"u8));
            Refusal.AssertRefused(kit, kit.Users[1], kit.ExecuteCall(id) with { MessageId = unknown }, $"the proof does not show message {unknown}");
            Assert.False(kit.L1.Chain.StateAtTip().IsMarked(L1.SettlementKeys.MessageExecuted(kit.ChainId, unknown)));
        });
    }

    [Fact]
    public void A_message_to_a_system_contract_never_executes()
    {
        SettlementKit.Run(nameof(A_message_to_a_system_contract_never_executes), new KitOptions(), kit =>
        {
            var id = SendFinal(kit, SystemAddresses.Bridge);
            Refusal.AssertRefused(kit, kit.Users[1], kit.ExecuteCall(id), "reentrancy guard: a message cannot call a system contract");
        });
    }
}
