using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Manager.StateTestSupport;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// SPEC §9 property 1 (replay determinism) at the state level: the state root depends only on the final
/// accounts, not on how their changes were split into blocks, in which order changes to different
/// accounts came, in which order a block's changes were listed, or which block numbers were used.
/// </summary>
public sealed class StateReplayProperties(StateScratchDatabases scratch) : IClassFixture<StateScratchDatabases>
{
    [Property(Arbitrary = [typeof(StateGenerators)], MaxTest = 150)]
    public void The_same_changes_in_different_block_splits_and_orders_give_the_final_states_root(StateScript script)
    {
        var random = new Random(script.Seed);
        var sequence = script.Blocks.SelectMany(b => b).Select(s => (Address: AddressPool.At(s.Address), s.Account)).ToList();
        var final = new Dictionary<Address, AccountState>();
        foreach (var (address, account) in sequence)
        {
            if (account.IsEmpty)
                final.Remove(address);
            else
                final[address] = account;
        }
        var expected = ReferenceRoot(final);

        Hash256 first, second;
        using (var manager = scratch.FreshFirst())
        {
            first = Replay(manager, Arrange(sequence, random), random);
            AssertFinalAccounts(manager, final);
        }
        using (var manager = scratch.FreshSecond())
        {
            second = Replay(manager, Arrange(sequence, random), random);
            AssertFinalAccounts(manager, final);
        }
        Hash256 oneBlock;
        using (var manager = scratch.FreshFirst())
        {
            oneBlock = manager.ApplyBlock((ulong)random.Next(0, 1000), final);
            AssertFinalAccounts(manager, final);
        }
        Assert.Equal(expected, oneBlock);
        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
    }

    /// <summary>
    /// A random interleaving that keeps each address's changes in their order (so the final state is the
    /// same), cut into blocks of random sizes, some of them empty. A block with two changes of one
    /// address keeps the later one, exactly as applying them one after the other would.
    /// </summary>
    private static List<Dictionary<Address, AccountState>> Arrange(List<(Address Address, AccountState Account)> sequence, Random random)
    {
        var queues = sequence.GroupBy(c => c.Address).Select(g => new Queue<AccountState>(g.Select(c => c.Account))).ToList();
        var addresses = sequence.GroupBy(c => c.Address).Select(g => g.Key).ToList();
        var interleaved = new List<(Address Address, AccountState Account)>();
        while (queues.Any(q => q.Count > 0))
        {
            var live = Enumerable.Range(0, queues.Count).Where(i => queues[i].Count > 0).ToList();
            var pick = live[random.Next(live.Count)];
            interleaved.Add((addresses[pick], queues[pick].Dequeue()));
        }

        var blocks = new List<Dictionary<Address, AccountState>>();
        var position = 0;
        while (position < interleaved.Count || blocks.Count == 0)
        {
            var size = random.Next(4) == 0 ? 0 : random.Next(1, 6);
            var block = new List<(Address Address, AccountState Account)>();
            foreach (var change in interleaved.Skip(position).Take(size))
            {
                block.RemoveAll(c => c.Address == change.Address);
                block.Add(change);
            }
            position += size;
            // The order in which a block lists its changes must not matter either.
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(block));
            var changes = new Dictionary<Address, AccountState>();
            foreach (var (address, account) in block)
                changes.Add(address, account);
            blocks.Add(changes);
        }
        return blocks;
    }

    private static Hash256 Replay(StateManager manager, List<Dictionary<Address, AccountState>> blocks, Random random)
    {
        var number = (ulong)random.Next(0, 100);
        var root = Hash256.Zero;
        foreach (var changes in blocks)
        {
            root = manager.ApplyBlock(number, changes);
            number += 1 + (ulong)random.Next(0, 3);
        }
        return root;
    }

    private static void AssertFinalAccounts(StateManager manager, Dictionary<Address, AccountState> final)
    {
        foreach (var address in AddressPool.Addresses)
            Assert.Equal(final.GetValueOrDefault(address), manager.GetAccount(address));
    }
}
