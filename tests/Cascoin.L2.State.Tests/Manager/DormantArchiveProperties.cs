using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// The dormant-account archive against a model, over random scripts of sets, removals and restores
/// (archive age 10, sweeps every 5 blocks, 1..4 accounts per sweep): every sweep archives
/// min(limit, dormant) accounts, all of them dormant and untouched, with exact records; restores work
/// exactly when the account is archived and not live; a revert rolls archive and tree back together.
/// </summary>
public sealed class DormantArchiveProperties(StateScratchDatabases scratch) : IClassFixture<StateScratchDatabases>
{
    private const ulong Age = 10;
    private const ulong SweepInterval = 5;

    private static readonly Dictionary<Hash256, Address> AddressByKey =
        AddressPool.Addresses.ToDictionary(StateKeys.ForAccount, a => a);

    private sealed record Record(AccountState Account, ulong ArchivedAt, ulong ProvenAt, Hash256 ProvenRoot);

    /// <summary>The live accounts and each address's archive records, oldest first.</summary>
    private sealed class Model
    {
        public Dictionary<Address, AccountState> Live { get; init; } = [];

        public Dictionary<Address, List<Record>> Records { get; init; } = [];

        public Model Clone() => new()
        {
            Live = new Dictionary<Address, AccountState>(Live),
            Records = Records.ToDictionary(r => r.Key, r => r.Value.ToList()),
        };
    }

    [Property(Arbitrary = [typeof(StateGenerators)], MaxTest = 100)]
    public void Sweeps_restores_and_reverts_agree_with_the_model(ArchiveScript script)
    {
        var random = new Random(script.Seed);
        using var manager = scratch.FreshFirst(Archiving(script.PerBlock));
        var roots = new List<Hash256> { manager.ApplyBlock(0, NoChanges) };
        var models = new List<Model> { new() };
        var model = new Model();
        for (var b = 1; b <= script.Blocks.Length; b++)
        {
            Step(manager, script, random, model, roots, (ulong)b);
            models.Add(model.Clone());
            AssertMatches(manager, model);
        }

        // Revert to a random block: tree and archive go back together, and the chain goes on from there.
        var kept = NewestWithSameRoot(roots, random.Next(roots.Count));
        manager.RevertToStateRoot(roots[kept]);
        Assert.Equal((ulong)kept, manager.LatestBlock);
        model = models[kept].Clone();
        AssertMatches(manager, model);
        roots.RemoveRange(kept + 1, roots.Count - kept - 1);
        for (var b = kept + 1; b <= script.Blocks.Length; b++)
        {
            Step(manager, script, random, model, roots, (ulong)b);
            AssertMatches(manager, model);
        }
    }

    /// <summary>Applies block <paramref name="block"/> of the script and checks what it archived against the model.</summary>
    private void Step(StateManager manager, ArchiveScript script, Random random, Model model, List<Hash256> roots, ulong block)
    {
        var changes = new Dictionary<Address, AccountState>();
        foreach (var op in script.Blocks[block - 1])
        {
            var address = AddressPool.At(op.Address);
            // An archived account can only come back through its restore; other writes are refused (tested elsewhere).
            if (op.Kind != ArchiveOpKind.Restore && model.Records.ContainsKey(address))
                continue;
            switch (op.Kind)
            {
                case ArchiveOpKind.Set:
                    changes[address] = Account(op.Balance, nonce: block, lastActivity: block - Math.Min(block, (ulong)op.ActivityAge));
                    break;
                case ArchiveOpKind.Empty:
                    changes[address] = AccountState.Empty;
                    break;
                default:
                    if (Restore(manager, model, address, random) is { } restored)
                    {
                        changes[address] = restored;
                        // The restore marker hides the record from then on.
                        model.Records.Remove(address);
                    }
                    break;
            }
        }

        var dormant = block % SweepInterval == 0 && block > Age
            ? model.Live.Where(a => !changes.ContainsKey(a.Key) && a.Value.LastActivity < block - Age).Select(a => a.Key).ToHashSet()
            : [];
        var commit = Commit(manager, scratch.First, block, changes);
        roots.Add(commit.StateRoot);
        ApplyTo(model.Live, changes);

        Assert.Equal(Math.Min(script.PerBlock, dormant.Count), commit.Archived.Count);
        foreach (var archived in commit.Archived)
        {
            var address = AddressByKey[archived.Key];
            Assert.Contains(address, dormant);
            Assert.Equal(model.Live[address], archived.Account);
            Assert.Equal(block, archived.ArchivedAtVersion);
            Assert.Equal(block - 1, archived.ProvenAtVersion);
            Assert.Equal(roots[^2], archived.ProvenRoot);
            Assert.True(archived.Verify());
            model.Live.Remove(address);
            if (!model.Records.TryGetValue(address, out var list))
                model.Records[address] = list = [];
            list.Add(new Record(archived.Account, block, block - 1, roots[^2]));
        }
        Assert.Equal(ReferenceRoot(model.Live), commit.StateRoot);
    }

    /// <summary>Restores when the model says it is possible (returning the change), else checks that it is refused.</summary>
    private static AccountState? Restore(StateManager manager, Model model, Address address, Random random)
    {
        var archived = model.Records.GetValueOrDefault(address);
        if (archived is null || model.Live.ContainsKey(address))
        {
            var proof = manager.GetArchived(address)?.Proof ?? [];
            Assert.Throws<InvalidOperationException>(() => manager.Restore(address, proof));
            return null;
        }
        var record = manager.GetArchived(address);
        Assert.NotNull(record);
        if (random.Next(3) == 0)
        {
            var flipped = (byte[])record.Proof.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)random.Next(1, 256);
            Assert.Throws<ArgumentException>(() => manager.Restore(address, flipped));
        }
        var change = manager.Restore(address, record.Proof);
        Assert.Equal(address, change.Key);
        Assert.Equal(archived[^1].Account, change.Value);
        return change.Value;
    }

    private static void AssertMatches(StateManager manager, Model model)
    {
        foreach (var address in AddressPool.Addresses)
        {
            Assert.Equal(model.Live.GetValueOrDefault(address), manager.GetAccount(address));
            var archived = manager.GetArchived(address);
            if (model.Records.GetValueOrDefault(address) is { Count: > 0 } records)
            {
                Assert.NotNull(archived);
                Assert.Equal(records[^1], new Record(archived.Account, archived.ArchivedAtVersion, archived.ProvenAtVersion, archived.ProvenRoot));
                Assert.True(archived.Verify());
            }
            else
            {
                Assert.Null(archived);
            }
        }
    }
}
