using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.TestKit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>An archived balance comes back exactly once, and only through its restore.</summary>
public sealed class RestoreOnceTests
{
    private static readonly Address Saver = AddressPool.At(8);
    private static readonly Address Other = AddressPool.At(9);

    [Fact]
    public void A_restored_account_cannot_be_restored_again_and_archived_ones_refuse_other_writes()
    {
        using var directory = TestDirectory.Create("state-restore-once");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database, Archiving()))
        {
            var savings = Account(1_000_000, nonce: 4, lastActivity: 1);
            manager.ApplyBlock(1, Changes((Saver, savings), (Other, Account(1, lastActivity: 1))));
            manager.ApplyBlock(14, Changes((Other, Account(1, lastActivity: 14))));
            manager.ApplyBlock(15, NoChanges);
            var archived = manager.GetArchived(Saver);
            Assert.NotNull(archived);
            Assert.Equal(savings, archived.Account);

            // A write that is not the exact restore is refused: it would strand the archived balance.
            Assert.Throws<InvalidOperationException>(() => manager.ApplyBlock(16, Changes((Saver, Account(5, lastActivity: 16)))));

            var restore = manager.Restore(Saver, archived.Proof);
            manager.ApplyBlock(16, Changes((restore.Key, restore.Value)));
            Assert.Equal(savings, manager.GetAccount(Saver));
            Assert.Null(manager.GetArchived(Saver));

            // Emptied later, the account has nothing archived left to bring back.
            manager.ApplyBlock(17, Changes((Saver, AccountState.Empty)));
            Assert.Throws<InvalidOperationException>(() => manager.Restore(Saver, archived.Proof));
        }
        directory.Succeeded();
    }
}
