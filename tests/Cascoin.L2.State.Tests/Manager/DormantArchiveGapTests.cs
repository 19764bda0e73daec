using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.TestKit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// Cases where the archive does not yet do what doc/state.md and StateOptions promise. Each test states
/// the expected behaviour and accepts either reasonable fix (refuse up front, or handle correctly).
/// </summary>
public sealed class DormantArchiveGapTests
{
    private static readonly Address Saver = AddressPool.At(10);
    private static readonly Address Other = AddressPool.At(11);

    /// <summary>
    /// An archived account that receives funds becomes live again as a new account: it can then not be
    /// restored ("live"), and once the new account is archived in turn, <c>GetArchived</c> returns only the
    /// newest record, so the first record's balance can never come back.
    /// </summary>
    [Fact]
    public void Funds_sent_to_an_archived_address_do_not_strand_the_archived_balance()
    {
        using var directory = TestDirectory.Create("state-archive-strand");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database, Archiving()))
        {
            var savings = Account(1_000_000, nonce: 4, lastActivity: 1);
            manager.ApplyBlock(1, Changes((Saver, savings), (Other, Account(1, lastActivity: 1))));
            manager.ApplyBlock(14, Changes((Other, Account(1, lastActivity: 14))));
            Commit(manager, database, 15, NoChanges);
            Assert.Equal(savings, manager.GetArchived(Saver)?.Account);

            // Someone pays 5 sat to the archived address. Refusing this write (the payment must restore first)
            // would be one fix.
            var credited = Account(5, lastActivity: 16);
            var refused = Record.Exception(() => manager.ApplyBlock(16, Changes((Saver, credited))));
            if (refused is not (InvalidOperationException or ArgumentException))
                AssertNotStranded(manager, database, refused, savings);
        }
        directory.Succeeded();
    }

    private static void AssertNotStranded(StateManager manager, Storage.NodeDatabase database, Exception? refused, AccountState savings)
    {
        Assert.Null(refused);
        // Restoring now (merging the archived account into the live one) would be another fix.
        if (RestorableSat(manager) >= savings.Balance.Sat)
            return;
        // As it is, restoring is refused because the address is live; then the new account goes dormant
        // and is archived too, and only that newest record can be restored.
        manager.ApplyBlock(29, Changes((Other, Account(1, lastActivity: 29))));
        Commit(manager, database, 30, NoChanges);
        var restorable = RestorableSat(manager);
        Assert.True(restorable >= savings.Balance.Sat,
            $"restoring {Saver} gives {restorable} sat; the {savings.Balance.Sat} sat archived at block 15 are unreachable");
    }

    private static long RestorableSat(StateManager manager)
    {
        if (manager.GetArchived(Saver) is not { } archived)
            return 0;
        try
        {
            return manager.Restore(Saver, archived.Proof).Value.Balance.Sat;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    /// <summary>StateOptions.ArchivePerBlock: "At most this many accounts are archived in one block".</summary>
    [Fact]
    public void ArchivePerBlock_zero_archives_nothing_or_is_rejected()
    {
        using var directory = TestDirectory.Create("state-archive-zero");
        using (var database = OpenDatabase(directory.Combine("db")))
        {
            var archived = SweepWithLimitZero(database);
            Assert.True(archived is null or 0, $"ArchivePerBlock = 0 archived {archived} accounts in one sweep");
        }
        directory.Succeeded();
    }

    /// <summary>The number of accounts the first sweep archives, or null when the option or the sweep is refused.</summary>
    private static int? SweepWithLimitZero(Storage.NodeDatabase database)
    {
        StateManager manager;
        try
        {
            manager = NewManager(database, Archiving(perBlock: 0));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
        using (manager)
        {
            manager.ApplyBlock(1, Changes((Saver, Account(10, lastActivity: 1)), (Other, Account(20, lastActivity: 1))));
            manager.ApplyBlock(14, NoChanges);
            try
            {
                return Commit(manager, database, 15, NoChanges).Archived.Count;
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }
        }
    }

    /// <summary>An ArchiveSweepInterval of 0 must be refused, not make every block throw DivideByZeroException.</summary>
    [Fact]
    public void ArchiveSweepInterval_zero_is_rejected_rather_than_failing_every_block()
    {
        using var directory = TestDirectory.Create("state-archive-interval");
        using (var database = OpenDatabase(directory.Combine("db")))
        {
            var options = Archiving() with { ArchiveSweepInterval = 0 };
            var failure = Record.Exception(() =>
            {
                using var manager = NewManager(database, options);
                manager.ApplyBlock(1, Changes((Saver, Account(10, lastActivity: 1))));
            });
            Assert.True(failure is null or ArgumentException, $"expected the option to be refused (ArgumentException) or to work, got {failure?.GetType().Name}: {failure?.Message}");
        }
        directory.Succeeded();
    }
}
