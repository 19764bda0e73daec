using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// doc/state.md "ApplyBlock commits the block's tree nodes, account records, root and archive records
/// in one write batch": the root a block returns is the one the state reports, nothing is written
/// before the batch commits, and everything survives closing and reopening the database.
/// </summary>
public sealed class StateCommitTests
{
    private static readonly Address Alice = AddressPool.At(4);
    private static readonly Address Bob = AddressPool.At(5);

    /// <summary>Everything a reader can see of one block, to compare before and after a reopen.</summary>
    private sealed record BlockView(ulong Block, Hash256 Root, AccountState[] Accounts, AccountProofView[] Proofs);

    private sealed record AccountProofView(Hash256 Root, ulong Block, Hash256 Key, string Compact, string? Value, AccountState Account);

    [Property(Arbitrary = [typeof(StateGenerators)], MaxTest = 100)]
    public void Block_roots_accounts_and_proofs_are_what_ApplyBlock_returned_and_survive_a_reopen(StateScript script)
    {
        var random = new Random(script.Seed);
        using var directory = TestDirectory.Create("state-reopen");
        var views = new List<BlockView>();
        var blocks = new List<ulong>();
        var roots = new List<Hash256>();
        var path = directory.Combine("db");
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            var block = (ulong)random.Next(0, 5);
            for (var i = 0; i < script.Blocks.Length; i++)
            {
                var root = manager.ApplyBlock(block, script.BlockChanges(i));
                Assert.Equal(root, manager.GetStateRoot());
                Assert.True(manager.TryGetStateRoot(block, out var stored));
                Assert.Equal(root, stored);
                Assert.Equal(block, manager.LatestBlock);
                blocks.Add(block);
                roots.Add(root);
                block += 1 + (ulong)random.Next(0, 2);
            }
            for (var i = 0; i < blocks.Count; i++)
            {
                Assert.True(manager.TryGetStateRoot(blocks[i], out var root));
                Assert.Equal(roots[i], root);
                views.Add(View(manager, blocks[i]));
            }
        }
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            Assert.Equal(blocks[^1], manager.LatestBlock);
            Assert.Equal(roots[^1], manager.GetStateRoot());
            foreach (var view in views)
            {
                var reopened = View(manager, view.Block);
                Assert.Equal(view.Root, reopened.Root);
                Assert.Equal(view.Accounts, reopened.Accounts);
                Assert.Equal(view.Proofs, reopened.Proofs);
            }
            // The reopened state goes on from where it was.
            var next = blocks[^1] + 1;
            var alice = Account(1, lastActivity: next);
            var root = manager.ApplyBlock(next, Changes((Alice, alice)));
            Assert.Equal(alice, manager.GetAccount(Alice));
            Assert.Equal(root, manager.GetStateRoot());
        }
        directory.Succeeded();
    }

    private static BlockView View(StateManager manager, ulong block)
    {
        Assert.True(manager.TryGetStateRoot(block, out var root));
        var addresses = AddressPool.Addresses.Append(AddressPool.Outsider).ToList();
        var proofs = addresses.Select(a =>
        {
            var proof = manager.GetProof(a, root);
            Assert.Equal(root, proof.Root);
            AssertProofShows(proof, a, manager.GetAccount(a, proof.Block));
            return new AccountProofView(proof.Root, proof.Block, proof.Key, Convert.ToHexStringLower(proof.Proof.ToCompact()),
                proof.Value is null ? null : Convert.ToHexStringLower(proof.Value), proof.Account);
        });
        return new BlockView(block, root, [.. addresses.Select(a => manager.GetAccount(a, block))], [.. proofs]);
    }

    [Fact]
    public void Nothing_is_written_until_the_batch_commits()
    {
        using var directory = TestDirectory.Create("state-uncommitted");
        var path = directory.Combine("db");
        var alice = Account(1_000, nonce: 1, lastActivity: 1);
        var bob = Account(2_000, lastActivity: 2);
        Hash256 first;
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            first = manager.ApplyBlock(1, Changes((Alice, alice)));

            // Prepared only: no state change, and block 2 can still be prepared again.
            var abandoned = manager.Prepare(2, Changes((Bob, bob), (Alice, AccountState.Empty)));
            Assert.NotEqual(first, abandoned.StateRoot);
            Assert.Equal(first, manager.GetStateRoot());
            Assert.Equal(1UL, manager.LatestBlock);
            Assert.False(manager.TryGetStateRoot(2, out _));
            Assert.Equal(alice, manager.GetAccount(Alice));
            Assert.Equal(AccountState.Empty, manager.GetAccount(Bob));

            // Staged into a batch that is dropped: still nothing.
            var staged = manager.Prepare(2, Changes((Bob, bob)));
            using (var batch = database.CreateBatch())
                manager.Stage(staged, batch);
            Assert.Equal(first, manager.GetStateRoot());
            Assert.Equal(AccountState.Empty, manager.GetAccount(Bob));
        }
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            Assert.Equal(1UL, manager.LatestBlock);
            Assert.Equal(first, manager.GetStateRoot());
            Assert.Equal(alice, manager.GetAccount(Alice));
            Assert.Equal(AccountState.Empty, manager.GetAccount(Bob));
            Assert.Null(manager.Tree.Get(StateKeys.ForAccount(Bob)));
            var root = manager.ApplyBlock(2, Changes((Bob, bob)));
            Assert.Equal(ReferenceRoot(Changes((Alice, alice), (Bob, bob))), root);
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_block_staged_with_the_callers_records_commits_with_them()
    {
        using var directory = TestDirectory.Create("state-shared-batch");
        var path = directory.Combine("db");
        byte[] marker = [.. "state-manager-test-marker"u8];
        var alice = Account(42, lastActivity: 3);
        Hash256 root;
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            var commit = manager.Prepare(3, Changes((Alice, alice)));
            using (var batch = database.CreateBatch())
            {
                manager.Stage(commit, batch);
                batch.Put(DbColumn.Metadata, marker, [1, 2, 3]);
                database.Commit(batch);
            }
            manager.Committed(commit);
            root = commit.StateRoot;
            Assert.Equal(3UL, commit.Block);
            Assert.Empty(commit.Archived);
            Assert.Equal(root, manager.GetStateRoot());
        }
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            Assert.Equal(new byte[] { 1, 2, 3 }, database.Get(DbColumn.Metadata, marker));
            Assert.Equal(root, manager.GetStateRoot());
            Assert.Equal(alice, manager.GetAccount(Alice));
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_block_number_that_does_not_increase_is_rejected_and_changes_nothing()
    {
        using var directory = TestDirectory.Create("state-order");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database))
        {
            var root = manager.ApplyBlock(5, Changes((Alice, Account(1, lastActivity: 5))));
            Assert.Throws<ArgumentOutOfRangeException>(() => manager.ApplyBlock(5, Changes((Bob, Account(2)))));
            Assert.Throws<ArgumentOutOfRangeException>(() => manager.ApplyBlock(4, Changes((Bob, Account(2)))));
            Assert.Equal(root, manager.GetStateRoot());
            Assert.Equal(5UL, manager.LatestBlock);
            Assert.Equal(AccountState.Empty, manager.GetAccount(Bob));
        }
        directory.Succeeded();
    }
}
