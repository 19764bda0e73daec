using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// SPEC §4 / §9 property 8 through the state manager: <c>GetProof</c> (what <c>l2_getproof</c> shows)
/// verifies with nothing but SHA-256 against the root it names, shows the account (membership) or its
/// absence (non-membership, value null, account empty), at the newest block or any retained root.
/// </summary>
public sealed class AccountProofTests(StateScratchDatabases scratch) : IClassFixture<StateScratchDatabases>
{
    private static readonly Address Alice = AddressPool.At(6);

    [Property(Arbitrary = [typeof(StateGenerators)], MaxTest = 100)]
    public void Proofs_at_every_retained_root_verify_and_show_the_account_of_that_block(StateScript script)
    {
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
        var addresses = AddressPool.Addresses.Append(AddressPool.Outsider).ToList();
        foreach (var address in addresses)
        {
            var latest = manager.GetProof(address);
            Assert.Equal(roots[^1], latest.Root);
            Assert.Equal((ulong)(roots.Count - 1), latest.Block);
            AssertProofShows(latest, address, model.GetValueOrDefault(address));
        }
        for (var i = 0; i < roots.Count; i++)
        {
            // A root that several blocks share names the newest of them; they hold the same accounts.
            var named = NewestWithSameRoot(roots, i);
            Assert.Equal(ReferenceRoot(models[i]), roots[i]);
            foreach (var address in addresses)
            {
                var proof = manager.GetProof(address, roots[i]);
                Assert.Equal(roots[i], proof.Root);
                Assert.Equal((ulong)named, proof.Block);
                AssertProofShows(proof, address, models[i].GetValueOrDefault(address));
            }
        }
    }

    [Fact]
    public void An_unknown_root_is_rejected()
    {
        using var directory = TestDirectory.Create("state-proof-unknown");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database))
        {
            var first = manager.ApplyBlock(1, Changes((Alice, Account(1, lastActivity: 1))));
            var second = manager.ApplyBlock(2, Changes((Alice, Account(2, lastActivity: 2))));
            var random = new Hash256(SHA256.HashData("not a state root"u8));
            Assert.Throws<ArgumentException>(() => manager.GetProof(Alice, random));
            // No block had the empty state, so zero is not a retained root either.
            Assert.Throws<ArgumentException>(() => manager.GetProof(Alice, Hash256.Zero));
            // After a revert, the roots of the undone blocks are unknown.
            manager.RevertToStateRoot(first);
            Assert.Throws<ArgumentException>(() => manager.GetProof(Alice, second));
            Assert.Equal(Account(1, lastActivity: 1), manager.GetProof(Alice, first).Account);
        }
        directory.Succeeded();
    }

    [Fact]
    public void The_empty_state_and_a_one_account_state_have_depth_zero_proofs()
    {
        using var directory = TestDirectory.Create("state-proof-small");
        using (var database = OpenDatabase(directory.Combine("db")))
        using (var manager = NewManager(database))
        {
            var empty = manager.ApplyBlock(0, NoChanges);
            Assert.Equal(Hash256.Zero, empty);
            var absent = manager.GetProof(Alice, Hash256.Zero);
            Assert.Equal(0UL, absent.Block);
            Assert.Equal(0, absent.Proof.Depth);
            Assert.Null(absent.Proof.Leaf);
            AssertProofShows(absent, Alice, AccountState.Empty);

            var alice = Account(123_456, nonce: 9, lastActivity: 1, hatScore: 77);
            var root = manager.ApplyBlock(1, Changes((Alice, alice)));
            var present = manager.GetProof(Alice);
            Assert.Equal(0, present.Proof.Depth);
            // A one-leaf tree's root is that leaf's hash (SPEC §4).
            byte[] leaf = [0x00, .. StateKeys.ForAccount(Alice).ToArray(), .. SHA256.HashData(alice.ToBytes())];
            Assert.Equal(new Hash256(SHA256.HashData(leaf)), root);
            AssertProofShows(present, Alice, alice);

            // Another address's proof in a one-account tree shows Alice's leaf in its slot.
            var other = manager.GetProof(AddressPool.Outsider);
            Assert.Equal(StateKeys.ForAccount(Alice), other.Proof.Leaf?.Key);
            AssertProofShows(other, AddressPool.Outsider, AccountState.Empty);
        }
        directory.Succeeded();
    }
}
