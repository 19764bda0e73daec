using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// SPEC §4 "Unknown accounts read as zero" and doc/state.md "an all-zero account is deleted": reads
/// return exactly what a block set, at that block and later, and an emptied account leaves no trace.
/// </summary>
public sealed class AccountReadTests(StateScratchDatabases scratch) : IClassFixture<StateScratchDatabases>
{
    private static readonly Address Alice = AddressPool.At(2);
    private static readonly Address Bob = AddressPool.At(3);

    [Fact]
    public void Unknown_accounts_read_as_empty_before_and_after_the_first_block()
    {
        using var directory = TestDirectory.Create("state-unknown");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database))
        {
            Assert.Null(manager.LatestBlock);
            Assert.Equal(Hash256.Zero, manager.GetStateRoot());
            Assert.False(manager.TryGetStateRoot(0, out _));
            foreach (var address in AddressPool.Addresses)
                Assert.Equal(AccountState.Empty, manager.GetAccount(address));
            Assert.Throws<ArgumentOutOfRangeException>(() => manager.GetAccount(Alice, 0));
            Assert.Throws<InvalidOperationException>(() => manager.GetProof(Alice));

            var alice = Account(5_000, nonce: 1, lastActivity: 1);
            manager.ApplyBlock(1, Changes((Alice, alice)));
            Assert.Equal(1UL, manager.LatestBlock);
            Assert.Equal(alice, manager.GetAccount(Alice));
            Assert.Equal(AccountState.Empty, manager.GetAccount(Bob));
            Assert.Equal(AccountState.Empty, manager.GetAccount(AddressPool.Outsider, 1));
            Assert.Null(manager.Tree.Get(StateKeys.ForAccount(Bob)));
            // Only committed blocks can be read.
            Assert.Throws<ArgumentOutOfRangeException>(() => manager.GetAccount(Alice, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => manager.GetAccount(Alice, 2));
        }
        directory.Succeeded();
    }

    [Fact]
    public void An_emptied_account_gives_the_same_root_as_one_never_used()
    {
        var alice = Account(10, nonce: 2, lastActivity: 1);
        var bob = Account(20, lastActivity: 1);
        using var directory = TestDirectory.Create("state-emptied");
        Hash256 emptied;
        using (var database = OpenDatabase(directory.Combine("emptied")))
        using (var manager = NewManager(database))
        {
            manager.ApplyBlock(1, Changes((Alice, alice), (Bob, bob)));
            emptied = manager.ApplyBlock(2, Changes((Alice, AccountState.Empty)));
            Assert.Equal(AccountState.Empty, manager.GetAccount(Alice));
            Assert.Equal(alice, manager.GetAccount(Alice, 1));
            Assert.Null(manager.Tree.Get(StateKeys.ForAccount(Alice)));
            // Setting an account that does not exist to empty changes nothing.
            Assert.Equal(emptied, manager.ApplyBlock(3, Changes((AddressPool.Outsider, AccountState.Empty))));
        }
        using (var database = OpenDatabase(directory.Combine("never")))
        using (var manager = NewManager(database))
            Assert.Equal(emptied, manager.ApplyBlock(7, Changes((Bob, bob))));
        Assert.Equal(ReferenceRoot(Changes((Bob, bob))), emptied);
        directory.Succeeded();
    }

    [Property(Arbitrary = [typeof(StateGenerators)], MaxTest = 100)]
    public void GetAccount_returns_what_was_set_at_the_latest_and_at_every_older_block(StateScript script)
    {
        var random = new Random(script.Seed);
        using var manager = scratch.FreshFirst();
        var blocks = new List<ulong>();
        var models = new List<Dictionary<Address, AccountState>>();
        var model = new Dictionary<Address, AccountState>();
        var block = (ulong)random.Next(0, 3);
        for (var i = 0; i < script.Blocks.Length; i++)
        {
            var changes = script.BlockChanges(i);
            var root = manager.ApplyBlock(block, changes);
            ApplyTo(model, changes);
            Assert.Equal(ReferenceRoot(model), root);
            foreach (var (address, account) in changes)
                Assert.Equal(account, manager.GetAccount(address));
            blocks.Add(block);
            models.Add(new Dictionary<Address, AccountState>(model));
            // Block numbers need only increase: leave gaps, which must not be readable.
            block += 1 + (ulong)random.Next(0, 3);
        }
        Assert.Equal(blocks[^1], manager.LatestBlock);
        foreach (var address in AddressPool.Addresses)
            Assert.Equal(model.GetValueOrDefault(address), manager.GetAccount(address));
        for (var i = 0; i < blocks.Count; i++)
            AssertAccountsAt(manager, blocks[i], models[i]);
        for (var b = 0UL; b < block; b++)
        {
            if (!blocks.Contains(b))
                Assert.Throws<ArgumentOutOfRangeException>(() => manager.GetAccount(Alice, b));
        }
    }

    [Property(Arbitrary = [typeof(StateGenerators)], MaxTest = 100)]
    public void Setting_an_account_to_empty_removes_it_as_if_it_never_existed(StateScript script)
    {
        var random = new Random(script.Seed);
        using var manager = scratch.FreshFirst();
        var model = new Dictionary<Address, AccountState>();
        for (var i = 0; i < script.Blocks.Length; i++)
        {
            var changes = script.BlockChanges(i);
            manager.ApplyBlock((ulong)i, changes);
            ApplyTo(model, changes);
        }
        // Remove a live account when there is one (else any pool address), maybe together with other changes.
        var victim = model.Count > 0 && random.Next(4) > 0
            ? model.Keys.OrderBy(a => a).ElementAt(random.Next(model.Count))
            : AddressPool.At(random.Next(AddressPool.Count));
        var last = new Dictionary<Address, AccountState> { [victim] = AccountState.Empty };
        foreach (var other in AddressPool.Addresses.Where(a => a != victim && random.Next(4) == 0))
            last[other] = Account(random.Next(1, 1000), lastActivity: (ulong)script.Blocks.Length);
        var root = manager.ApplyBlock((ulong)script.Blocks.Length, last);
        ApplyTo(model, last);

        Assert.Equal(AccountState.Empty, manager.GetAccount(victim));
        Assert.Null(manager.Tree.Get(StateKeys.ForAccount(victim)));
        var proof = manager.GetProof(victim);
        Assert.Null(proof.Value);
        Assert.False(proof.Proof.IsMembership);

        Assert.DoesNotContain(victim, model.Keys);
        using var fresh = scratch.FreshSecond();
        Assert.Equal(root, fresh.ApplyBlock(0, model));
        Assert.Equal(ReferenceRoot(model), root);
    }
}
