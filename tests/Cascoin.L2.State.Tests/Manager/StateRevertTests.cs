using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// SPEC §4 "each block's root is kept so the node can ... revert to any root inside the retention
/// window": <c>RevertToStateRoot</c> puts the state back to that block, later blocks are forgotten,
/// and the chain goes on from there exactly as if the undone blocks had never been applied.
/// </summary>
public sealed class StateRevertTests(StateScratchDatabases scratch) : IClassFixture<StateScratchDatabases>
{
    private static readonly Address Alice = AddressPool.At(7);

    [Property(Arbitrary = [typeof(StateGenerators)], MaxTest = 100)]
    public void RevertToStateRoot_returns_to_that_block_and_new_blocks_follow(StateScript script, StateScript continuation)
    {
        var random = new Random(script.Seed);
        using var manager = scratch.FreshFirst();
        var roots = new List<Hash256>();
        var models = new List<Dictionary<Address, AccountState>>();
        var model = new Dictionary<Address, AccountState>();
        for (var i = 0; i < script.Blocks.Length; i++)
        {
            var changes = script.BlockChanges(i);
            roots.Add(manager.ApplyBlock((ulong)i, changes));
            ApplyTo(model, changes);
            models.Add(new Dictionary<Address, AccountState>(model));
        }

        var target = random.Next(roots.Count);
        // Blocks with the same root hold the same accounts; the root names the newest of them.
        var kept = NewestWithSameRoot(roots, target);
        manager.RevertToStateRoot(roots[target]);

        Assert.Equal((ulong)kept, manager.LatestBlock);
        Assert.Equal(roots[target], manager.GetStateRoot());
        foreach (var address in AddressPool.Addresses)
            Assert.Equal(models[kept].GetValueOrDefault(address), manager.GetAccount(address));
        for (var i = 0; i <= kept; i++)
        {
            Assert.True(manager.TryGetStateRoot((ulong)i, out var root));
            Assert.Equal(roots[i], root);
            AssertAccountsAt(manager, (ulong)i, models[i]);
        }
        var retained = roots.Take(kept + 1).ToHashSet();
        for (var i = kept + 1; i < roots.Count; i++)
        {
            Assert.False(manager.TryGetStateRoot((ulong)i, out _));
            Assert.Throws<ArgumentOutOfRangeException>(() => manager.GetAccount(Alice, (ulong)i));
            if (!retained.Contains(roots[i]))
            {
                Assert.Throws<ArgumentException>(() => manager.GetProof(Alice, roots[i]));
                Assert.Throws<ArgumentException>(() => manager.RevertToStateRoot(roots[i]));
            }
        }

        // New blocks follow; the result is as if the undone blocks never happened.
        using var fresh = scratch.FreshSecond();
        for (var i = 0; i <= kept; i++)
            Assert.Equal(roots[i], fresh.ApplyBlock((ulong)i, script.BlockChanges(i)));
        var next = new Dictionary<Address, AccountState>(models[kept]);
        for (var i = 0; i < continuation.Blocks.Length; i++)
        {
            var block = (ulong)(kept + 1 + i);
            var changes = continuation.BlockChanges(i);
            var root = manager.ApplyBlock(block, changes);
            ApplyTo(next, changes);
            Assert.Equal(fresh.ApplyBlock(block, changes), root);
            Assert.Equal(ReferenceRoot(next), root);
            Assert.Equal(block, manager.LatestBlock);
        }
        foreach (var address in AddressPool.Addresses)
            Assert.Equal(next.GetValueOrDefault(address), manager.GetAccount(address));
    }

    [Fact]
    public void Reverting_to_an_unknown_root_throws_and_changes_nothing()
    {
        using var directory = TestDirectory.Create("state-revert-unknown");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database))
        {
            Assert.Throws<ArgumentException>(() => manager.RevertToStateRoot(Hash256.Zero));
            var one = Account(1, lastActivity: 1);
            var two = Account(2, lastActivity: 2);
            var first = manager.ApplyBlock(1, Changes((Alice, one)));
            var second = manager.ApplyBlock(2, Changes((Alice, two)));
            Assert.Throws<ArgumentException>(() => manager.RevertToStateRoot(new Hash256(SHA256.HashData("unknown"u8))));
            Assert.Throws<ArgumentException>(() => manager.RevertToStateRoot(Hash256.Zero));
            Assert.Equal(2UL, manager.LatestBlock);
            Assert.Equal(second, manager.GetStateRoot());
            Assert.Equal(two, manager.GetAccount(Alice));

            // Reverting to the newest root is a no-op.
            manager.RevertToStateRoot(second);
            Assert.Equal(2UL, manager.LatestBlock);

            manager.RevertToStateRoot(first);
            Assert.Equal(1UL, manager.LatestBlock);
            Assert.Equal(one, manager.GetAccount(Alice));
            // The undone block's root is gone now.
            Assert.Throws<ArgumentException>(() => manager.RevertToStateRoot(second));
            // The same block number can be applied again, with different content.
            var other = Account(3, lastActivity: 2);
            var replaced = manager.ApplyBlock(2, Changes((Alice, other)));
            Assert.NotEqual(second, replaced);
            Assert.Equal(other, manager.GetAccount(Alice));
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_revert_survives_a_reopen()
    {
        using var directory = TestDirectory.Create("state-revert-reopen");
        var path = directory.Combine("db");
        var one = Account(1, lastActivity: 1);
        Hash256 first;
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            first = manager.ApplyBlock(1, Changes((Alice, one)));
            manager.ApplyBlock(2, Changes((Alice, AccountState.Empty), (AddressPool.At(8), Account(8, lastActivity: 2))));
            manager.ApplyBlock(3, Changes((AddressPool.At(9), Account(9, lastActivity: 3))));
            manager.RevertToStateRoot(first);
        }
        using (var database = OpenDatabase(path))
        using (var manager = NewManager(database))
        {
            Assert.Equal(1UL, manager.LatestBlock);
            Assert.Equal(first, manager.GetStateRoot());
            Assert.False(manager.TryGetStateRoot(2, out _));
            Assert.Equal(one, manager.GetAccount(Alice));
            Assert.Equal(AccountState.Empty, manager.GetAccount(AddressPool.At(8)));
            Assert.Equal(AccountState.Empty, manager.GetAccount(AddressPool.At(9)));
            AssertProofShows(manager.GetProof(Alice), Alice, one);
        }
        directory.Succeeded();
    }
}
