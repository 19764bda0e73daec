using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>An address's L1 score flows to the chains it follows through the L1→L2 queue, and only the reputation contract can send one.</summary>
public sealed class ReputationImportTests
{
    [Fact]
    public void An_imported_score_reaches_the_L2_and_every_later_change_follows_it()
    {
        SettlementKit.Run(nameof(An_imported_score_reaches_the_L2_and_every_later_change_follows_it), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            var address = TestKeys.AddressOf(user);
            Assert.True(kit.Execute(kit.Users[1], new SetReputationCall(address, 90)).Success);
            kit.ProduceL2(2);
            Assert.Equal(0, kit.L2.GetAccount(address).HatScore);

            var import = kit.Execute(user, new ImportReputationCall(kit.ChainId));
            Assert.True(import.Success, import.Error);
            var importHeight = kit.L1.Height;
            Assert.Equal([kit.ChainId], ReputationFollows.Of(kit.L1.Chain.StateAtTip(), address));
            kit.ProduceL2(2);
            Assert.Equal(90, kit.L2.GetAccount(address).HatScore);
            var record = ReputationRecord.FromBytes(kit.L2.GetRecord(ReputationKeys.Of(address))!);
            Assert.Equal((byte)90, record.L1Score);
            Assert.Equal(importHeight, record.L1Height);

            // A change on L1 follows without another import.
            Assert.True(kit.Execute(kit.Users[1], new SetReputationCall(address, 40)).Success);
            kit.ProduceL2(2);
            Assert.Equal(40, kit.L2.GetAccount(address).HatScore);

            kit.MineL1(); // the anchor of the blocks so far, so that the refused calls are alone in their blocks
            Refusal.AssertRefused(kit, user, new ImportReputationCall(kit.ChainId), "already flows to chain");
            Refusal.AssertRefused(kit, user, new ImportReputationCall(kit.ChainId + 1), $"unknown chain {kit.ChainId + 1}");
        });
    }

    [Fact]
    public void A_user_message_in_the_import_format_changes_no_score()
    {
        SettlementKit.Run(nameof(A_user_message_in_the_import_format_changes_no_score), new KitOptions(), kit =>
        {
            var user = kit.Users[0];
            var address = TestKeys.AddressOf(user);
            var sent = kit.Execute(user, new SendMessageCall(kit.ChainId, address, ReputationImport.Encode(100)));
            Assert.True(sent.Success, sent.Error);
            kit.ProduceL2(2);
            Assert.Equal(1UL, kit.L2.Cursor.L1Messages);
            Assert.Equal(0, kit.L2.GetAccount(address).HatScore);
            Assert.Null(kit.L2.GetRecord(ReputationKeys.Of(address)));
        });
    }
}
