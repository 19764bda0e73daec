using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Archive;
using Cascoin.L2.TestKit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// doc/state.md "Archive of dormant accounts" with an archive age of 10 blocks swept every 5: on a
/// sweep block, accounts whose lastActivity is older than the age leave the live tree with an exact,
/// proven archive record; <c>Restore</c> brings them back exactly; a revert undoes the archiving.
/// </summary>
public sealed class DormantArchiveTests
{
    private static readonly Address Dormant1 = AddressPool.At(2);
    private static readonly Address Dormant2 = AddressPool.At(3);
    private static readonly Address Active = AddressPool.At(4);
    private static readonly Address Touched = AddressPool.At(5);
    private static readonly Address Edge = AddressPool.At(6);

    private static readonly AccountState Dormant1Account = Account(1_000, nonce: 3, lastActivity: 1, hatScore: 40);
    private static readonly AccountState Dormant2Account = new(Amount.FromSat(77), 1, new Hash256(Enumerable.Repeat((byte)0xc0, 32).ToArray()), new Hash256(Enumerable.Repeat((byte)0x5a, 32).ToArray()), 100, 4);
    private static readonly AccountState ActiveAccount = Account(500, lastActivity: 12);
    private static readonly AccountState TouchedAccount = Account(600, lastActivity: 0);
    // Block 15 − lastActivity 5 = 10: exactly the archive age, not older, so it stays.
    private static readonly AccountState EdgeAccount = Account(700, lastActivity: 5);

    /// <summary>Blocks 1..14: five accounts, one of them active at block 12. Returns the root of block 14.</summary>
    private static Hash256 BuildUpTo14(StateManager manager)
    {
        manager.ApplyBlock(1, Changes((Dormant1, Dormant1Account), (Touched, TouchedAccount)));
        manager.ApplyBlock(4, Changes((Dormant2, Dormant2Account)));
        manager.ApplyBlock(5, Changes((Edge, EdgeAccount), (Active, Account(1, lastActivity: 5))));
        for (var block = 6UL; block < 14; block++)
            manager.ApplyBlock(block, block == 12 ? Changes((Active, ActiveAccount)) : NoChanges);
        return manager.ApplyBlock(14, NoChanges);
    }

    [Fact]
    public void A_sweep_block_moves_exactly_the_dormant_accounts_to_the_archive_with_exact_proven_records()
    {
        using var directory = TestDirectory.Create("state-archive");
        var path = directory.Combine("db");
        Hash256 root14, root15;
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database, Archiving()))
        {
            root14 = BuildUpTo14(manager);
            // Touched in the sweep block (even with an old lastActivity): it stays.
            var commit = Commit(manager, database, 15, Changes((Touched, TouchedAccount)));
            root15 = commit.StateRoot;

            Assert.Equal(
                new[] { StateKeys.ForAccount(Dormant1), StateKeys.ForAccount(Dormant2) }.Order(),
                commit.Archived.Select(a => a.Key).Order());
            foreach (var (address, original) in new[] { (Dormant1, Dormant1Account), (Dormant2, Dormant2Account) })
            {
                Assert.Equal(AccountState.Empty, manager.GetAccount(address));
                Assert.Equal(original, manager.GetAccount(address, 14));
                var archived = manager.GetArchived(address);
                Assert.NotNull(archived);
                AssertRecord(archived, address, original, archivedAt: 15, provenAt: 14, root14);
                Assert.Equal(archived, commit.Archived.Single(a => a.Key == archived.Key) with { Proof = archived.Proof });
                Assert.Equal(archived.Proof, commit.Archived.Single(a => a.Key == archived.Key).Proof);
                AssertProofShows(manager.GetProof(address), address, AccountState.Empty);
            }
            Assert.Equal(ActiveAccount, manager.GetAccount(Active));
            Assert.Equal(TouchedAccount, manager.GetAccount(Touched));
            Assert.Equal(EdgeAccount, manager.GetAccount(Edge));
            foreach (var address in new[] { Active, Touched, Edge, AddressPool.Outsider })
                Assert.Null(manager.GetArchived(address));
            Assert.Equal(ReferenceRoot(Changes((Active, ActiveAccount), (Touched, TouchedAccount), (Edge, EdgeAccount))), root15);
        }
        // The archive records were committed with the block.
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database, Archiving()))
        {
            Assert.Equal(root15, manager.GetStateRoot());
            AssertRecord(manager.GetArchived(Dormant1), Dormant1, Dormant1Account, archivedAt: 15, provenAt: 14, root14);
            AssertRecord(manager.GetArchived(Dormant2), Dormant2, Dormant2Account, archivedAt: 15, provenAt: 14, root14);
        }
        directory.Succeeded();
    }

    [Fact]
    public void Restore_brings_back_exactly_the_archived_account_in_the_next_block()
    {
        using var directory = TestDirectory.Create("state-restore");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database, Archiving()))
        {
            var root14 = BuildUpTo14(manager);
            Commit(manager, database, 15, Changes((Touched, TouchedAccount)));
            var archived = manager.GetArchived(Dormant1)!;

            var change = manager.Restore(Dormant1, archived.Proof);
            Assert.Equal(Dormant1, change.Key);
            Assert.Equal(Dormant1Account, change.Value);
            // Any valid proof of the archived account under the archived root will do, e.g. the node's own.
            var fromNode = manager.GetProof(Dormant1, root14).Proof.ToCompact();
            Assert.Equal(change, manager.Restore(Dormant1, fromNode));
            // Restore only computes the change.
            Assert.Equal(AccountState.Empty, manager.GetAccount(Dormant1));

            var root16 = manager.ApplyBlock(16, new Dictionary<Address, AccountState> { [change.Key] = change.Value });
            Assert.Equal(Dormant1Account, manager.GetAccount(Dormant1));
            AssertProofShows(manager.GetProof(Dormant1), Dormant1, Dormant1Account);
            Assert.Equal(ReferenceRoot(Changes((Dormant1, Dormant1Account), (Active, ActiveAccount), (Touched, TouchedAccount), (Edge, EdgeAccount))), root16);

            // Now live: a second restore is refused. So is restoring an account that was never archived.
            Assert.Throws<InvalidOperationException>(() => manager.Restore(Dormant1, archived.Proof));
            Assert.Throws<InvalidOperationException>(() => manager.Restore(Active, archived.Proof));
            Assert.Throws<InvalidOperationException>(() => manager.Restore(AddressPool.Outsider, archived.Proof));
            // The other archived account is still restorable.
            Assert.Equal(Dormant2Account, manager.Restore(Dormant2, manager.GetArchived(Dormant2)!.Proof).Value);
        }
        directory.Succeeded();
    }

    [Fact]
    public void Restore_rejects_a_proof_that_does_not_show_the_archived_account()
    {
        using var directory = TestDirectory.Create("state-restore-proof");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database, Archiving()))
        {
            BuildUpTo14(manager);
            Commit(manager, database, 15, Changes((Touched, TouchedAccount)));
            var proof = manager.GetArchived(Dormant1)!.Proof;
            for (var i = 0; i < proof.Length; i++)
            {
                foreach (var mask in new byte[] { 0x01, 0x80, 0xff })
                {
                    var flipped = (byte[])proof.Clone();
                    flipped[i] ^= mask;
                    Assert.Throws<ArgumentException>(() => manager.Restore(Dormant1, flipped));
                }
            }
            Assert.Throws<ArgumentException>(() => manager.Restore(Dormant1, []));
            Assert.Throws<ArgumentException>(() => manager.Restore(Dormant1, proof[..^1]));
            Assert.Throws<ArgumentException>(() => manager.Restore(Dormant1, [.. proof, 0]));
            // Another archived account's proof, and a proof at the wrong (current) root.
            Assert.Throws<ArgumentException>(() => manager.Restore(Dormant1, manager.GetArchived(Dormant2)!.Proof));
            Assert.Throws<ArgumentException>(() => manager.Restore(Dormant1, manager.GetProof(Dormant1).Proof.ToCompact()));
            Assert.Throws<ArgumentNullException>(() => manager.Restore(Dormant1, null!));
            // The record itself is untouched and still restores with the right proof.
            Assert.Equal(Dormant1Account, manager.Restore(Dormant1, proof).Value);
        }
        directory.Succeeded();
    }

    [Fact]
    public void Only_sweep_blocks_past_the_archive_age_archive_and_only_when_archiving_is_on()
    {
        using var directory = TestDirectory.Create("state-archive-when");
        using (var database = OpenDatabase(directory.Combine("on")))
        using (var manager = NewManager(database, Archiving()))
        {
            // Block 0 (a multiple of 5, but no previous block and not past the age), 5 and 10: not past the age.
            foreach (var block in new ulong[] { 0, 5, 10 })
                Assert.Empty(Commit(manager, database, block, block == 0 ? Changes((Dormant1, Account(9))) : NoChanges).Archived);
            // 11..14: past the age, but not sweep blocks.
            for (var block = 11UL; block < 15; block++)
                Assert.Empty(Commit(manager, database, block, NoChanges).Archived);
            Assert.Equal(Account(9), manager.GetAccount(Dormant1));
            Assert.Single(Commit(manager, database, 15, NoChanges).Archived);
            Assert.Equal(AccountState.Empty, manager.GetAccount(Dormant1));
        }
        using (var database = OpenDatabase(directory.Combine("off")))
        using (var manager = NewManager(database))
        {
            Assert.Null(manager.Options.ArchiveAfterBlocks);
            manager.ApplyBlock(0, Changes((Dormant1, Account(9))));
            foreach (var block in new ulong[] { 1000, 2000, 1_000_000 })
                Assert.Empty(Commit(manager, database, block, NoChanges).Archived);
            Assert.Equal(Account(9), manager.GetAccount(Dormant1));
            Assert.Null(manager.GetArchived(Dormant1));
        }
        directory.Succeeded();
    }

    [Fact]
    public void ArchivePerBlock_limits_each_sweep_and_later_sweeps_take_the_rest()
    {
        using var directory = TestDirectory.Create("state-archive-limit");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database, Archiving(perBlock: 3)))
        {
            var dormant = AddressPool.Addresses.Take(7).Select((a, i) => (a, i)).ToDictionary(p => p.a, p => Account(10 + p.i, lastActivity: 1));
            manager.ApplyBlock(1, dormant);
            manager.ApplyBlock(14, NoChanges);
            var archived = new List<Hash256>();
            foreach (var (block, count) in new[] { (15UL, 3), (16UL, 0), (20UL, 3), (25UL, 1), (30UL, 0) })
            {
                var commit = Commit(manager, database, block, NoChanges);
                Assert.Equal(count, commit.Archived.Count);
                Assert.All(commit.Archived, a => Assert.True(a.Verify()));
                Assert.All(commit.Archived, a => Assert.Equal(block, a.ArchivedAtVersion));
                archived.AddRange(commit.Archived.Select(a => a.Key));
            }
            Assert.Equal(dormant.Keys.Select(StateKeys.ForAccount).Order(), archived.Order());
            foreach (var (address, account) in dormant)
            {
                Assert.Equal(AccountState.Empty, manager.GetAccount(address));
                Assert.Equal(account, manager.GetArchived(address)!.Account);
            }
            Assert.Equal(Hash256.Zero, manager.GetStateRoot());
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_revert_to_before_the_sweep_brings_the_accounts_back_and_drops_their_records()
    {
        using var directory = TestDirectory.Create("state-archive-revert");
        var path = directory.Combine("db");
        Hash256 root14;
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database, Archiving()))
        {
            root14 = BuildUpTo14(manager);
            Commit(manager, database, 15, Changes((Touched, TouchedAccount)));
            var restore = manager.Restore(Dormant1, manager.GetArchived(Dormant1)!.Proof);
            manager.ApplyBlock(16, new Dictionary<Address, AccountState> { [restore.Key] = restore.Value });
            var root17 = manager.ApplyBlock(17, NoChanges);

            // To a block after the sweep: the records stay.
            manager.ApplyBlock(18, Changes((Active, ActiveAccount with { LastActivity = 18 })));
            manager.RevertToStateRoot(root17);
            Assert.NotNull(manager.GetArchived(Dormant2));
            Assert.Equal(ActiveAccount, manager.GetAccount(Active));

            manager.RevertToStateRoot(root14);
            Assert.Equal(14UL, manager.LatestBlock);
            Assert.Equal(Dormant1Account, manager.GetAccount(Dormant1));
            Assert.Equal(Dormant2Account, manager.GetAccount(Dormant2));
            Assert.Null(manager.GetArchived(Dormant1));
            Assert.Null(manager.GetArchived(Dormant2));
            Assert.Throws<InvalidOperationException>(() => manager.Restore(Dormant2, new byte[3]));

            // The chain goes on; the next sweep archives them again, recorded at the new block.
            var again = Commit(manager, database, 15, NoChanges);
            Assert.Equal(3, again.Archived.Count); // Touched (lastActivity 0) is dormant now that it was not touched.
            AssertRecord(manager.GetArchived(Dormant2), Dormant2, Dormant2Account, archivedAt: 15, provenAt: 14, root14);
        }
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database, Archiving()))
            AssertRecord(manager.GetArchived(Dormant1), Dormant1, Dormant1Account, archivedAt: 15, provenAt: 14, root14);
        directory.Succeeded();
    }

    [Fact]
    public void A_restored_account_that_stays_dormant_is_archived_again_by_a_later_sweep()
    {
        using var directory = TestDirectory.Create("state-rearchive");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database, Archiving()))
        {
            BuildUpTo14(manager);
            Commit(manager, database, 15, Changes((Touched, TouchedAccount)));
            var restore = manager.Restore(Dormant1, manager.GetArchived(Dormant1)!.Proof);
            // Restored in a sweep block: being in the block's changes keeps it live there.
            var commit = Commit(manager, database, 20, new Dictionary<Address, AccountState> { [restore.Key] = restore.Value });
            Assert.DoesNotContain(commit.Archived, a => a.Key == StateKeys.ForAccount(Dormant1));
            Assert.Equal(Dormant1Account, manager.GetAccount(Dormant1));
            var root20 = manager.GetStateRoot();

            // Restored exactly means its lastActivity is still old: untouched, the next sweep takes it again.
            var later = Commit(manager, database, 25, NoChanges);
            Assert.Contains(later.Archived, a => a.Key == StateKeys.ForAccount(Dormant1));
            AssertRecord(manager.GetArchived(Dormant1), Dormant1, Dormant1Account, archivedAt: 25, provenAt: 20, root20);
        }
        directory.Succeeded();
    }

    private static void AssertRecord(ArchivedAccount? archived, Address address, AccountState account, ulong archivedAt, ulong provenAt, Hash256 provenRoot)
    {
        Assert.NotNull(archived);
        Assert.Equal(StateKeys.ForAccount(address), archived.Key);
        Assert.Equal(account, archived.Account);
        Assert.Equal(archivedAt, archived.ArchivedAtVersion);
        Assert.Equal(provenAt, archived.ProvenAtVersion);
        Assert.Equal(provenRoot, archived.ProvenRoot);
        Assert.True(archived.Verify());
        Assert.Equal(archived.ToBytes(), ArchivedAccount.FromBytes(archived.Key, archived.ToBytes()).ToBytes());
    }
}
