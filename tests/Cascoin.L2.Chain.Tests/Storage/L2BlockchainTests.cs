using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.State;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Storage;

/// <summary>
/// The chain service on a real RocksDB database: genesis is made once and guarded, every block is
/// committed whole (state, block, receipts, index), and a restart resumes exactly at the last block.
/// </summary>
public sealed class L2BlockchainTests
{
    private static readonly PrivateKey Sequencer = TestKeys.Key(100);
    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly Address Alice = TestKeys.AddressOf(AliceKey);
    private static readonly Address Bob = TestKeys.AddressAt(2);
    private static readonly Address Carol = TestKeys.AddressAt(3);

    private static readonly GenesisSpec Genesis = new(TestChains.GenesisTime,
    [
        new GenesisAllocation(Alice, Amount.FromCas(1_000)),
        new GenesisAllocation(Bob, Amount.FromCas(50), HatScore: 90),
        new GenesisAllocation(Carol, Amount.FromSat(1)),
    ]);

    /// <summary>Produces and commits one block of <paramref name="transactions"/>, all of which must apply.</summary>
    internal static Block ProduceAndCommit(L2Blockchain chain, IEnumerable<Transaction> transactions, ulong? timestamp = null)
    {
        var produced = chain.Produce(transactions, timestamp ?? chain.Head.Timestamp + 500, Sequencer);
        Assert.Empty(produced.Skipped);
        chain.Commit(produced);
        return produced.Block;
    }

    [Fact]
    public void Before_genesis_there_is_no_head()
    {
        using var directory = TestDirectory.Create("chain-empty");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            Assert.False(node.Chain.HasGenesis);
            Assert.Throws<InvalidOperationException>(() => node.Chain.Head);
            Assert.Throws<InvalidOperationException>(() => node.Chain.Produce([], TestChains.GenesisTime, Sequencer));
            Assert.Null(node.Chain.GetBlock(0));
        }
        directory.Succeeded();
    }

    [Fact]
    public void Genesis_is_created_once_with_the_allocated_accounts()
    {
        using var directory = TestDirectory.Create("chain-genesis");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            Block? committed = null;
            node.Chain.BlockCommitted += (block, _) => committed = block;
            node.Chain.EnsureGenesis(Genesis);
            var head = node.Chain.Head;
            Assert.Equal(0UL, head.Number);
            Assert.Equal(Hash256.Zero, head.ParentHash);
            Assert.Equal(TestChains.GenesisTime, head.Timestamp);
            Assert.Equal(TestChains.Default.InitialBaseFee, head.BaseFee);
            Assert.Equal(node.State.GetStateRoot(), head.StateRoot);
            Assert.Equal(head.Hash, committed?.Hash);
            Assert.Equal(Accounts.Funded(Amount.FromCas(50).Sat, hatScore: 90), node.Chain.GetAccount(Bob));
            Assert.Equal(Amount.FromCas(1_000), node.Chain.GetAccount(Alice).Balance);
            Assert.Equal(AccountState.Empty, node.Chain.GetAccount(TestKeys.Outsider(1)));

            // Again with the same spec: nothing new.
            committed = null;
            node.Chain.EnsureGenesis(Genesis);
            Assert.Null(committed);
            Assert.Equal(head.Hash, node.Chain.Head.Hash);
            Assert.Null(node.Chain.GetBlock(1));
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_genesis_allocating_one_address_twice_is_refused()
    {
        using var directory = TestDirectory.Create("chain-genesis-twice");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            var spec = new GenesisSpec(TestChains.GenesisTime, [new GenesisAllocation(Alice, Amount.OneCas), new GenesisAllocation(Alice, Amount.OneCas)]);
            Assert.Throws<ArgumentException>(() => node.Chain.EnsureGenesis(spec));
            Assert.False(node.Chain.HasGenesis);
        }
        directory.Succeeded();
    }

    public static TheoryData<string> OtherGeneses() => new(OtherGenesis.Keys);

    private static readonly Dictionary<string, GenesisSpec> OtherGenesis = new()
    {
        ["other timestamp"] = Genesis with { Timestamp = TestChains.GenesisTime + 1 },
        ["other balance"] = Genesis with { Allocations = [Genesis.Allocations[0] with { Balance = Amount.FromCas(999) }, .. Genesis.Allocations.Skip(1)] },
        ["other HAT score"] = Genesis with { Allocations = [.. Genesis.Allocations.Take(1), Genesis.Allocations[1] with { HatScore = 10 }, .. Genesis.Allocations.Skip(2)] },
        ["an extra account"] = Genesis with { Allocations = [.. Genesis.Allocations, new GenesisAllocation(TestKeys.Outsider(1), Amount.OneCas)] },
        ["an account fewer"] = Genesis with { Allocations = [.. Genesis.Allocations.SkipLast(1)] },
        ["no accounts"] = Genesis with { Allocations = [] },
        ["another address"] = Genesis with { Allocations = [.. Genesis.Allocations.SkipLast(1), new GenesisAllocation(TestKeys.Outsider(2), Amount.FromSat(1))] },
    };

    [Theory]
    [MemberData(nameof(OtherGeneses))]
    public void A_data_directory_refuses_a_different_genesis(string difference)
    {
        using var directory = TestDirectory.Create("chain-genesis-other");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
            node.Chain.EnsureGenesis(Genesis);
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            var head = node.Chain.Head.Hash;
            var error = Assert.Throws<InvalidOperationException>(() => node.Chain.EnsureGenesis(OtherGenesis[difference]));
            Assert.Contains("genesis", error.Message, StringComparison.Ordinal);
            Assert.Equal(head, node.Chain.Head.Hash);
            // The right one is still accepted.
            node.Chain.EnsureGenesis(Genesis);
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_large_genesis_is_recognised_again_after_a_restart()
    {
        // Enough accounts for keys to share long path prefixes in the tree.
        var spec = new GenesisSpec(TestChains.GenesisTime, Enumerable.Range(0, 300)
            .Select(i => new GenesisAllocation(TestKeys.Outsider(1_000 + i), Amount.FromSat(i), HatScore: (byte)(i % 101))).ToList());
        using var directory = TestDirectory.Create("chain-genesis-large");
        Hash256 root;
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            node.Chain.EnsureGenesis(spec);
            root = node.Chain.Head.StateRoot;
            // Account 0 has nothing: it is not in the tree.
            Assert.Equal(AccountState.Empty, node.Chain.GetAccount(TestKeys.Outsider(1_000)));
        }
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            node.Chain.EnsureGenesis(spec);
            Assert.Equal(root, node.Chain.Head.StateRoot);
            var fewer = spec with { Allocations = spec.Allocations.Skip(1).ToList() };
            // Account 0 is empty (no balance, score 0): leaving it out is the same genesis.
            node.Chain.EnsureGenesis(fewer);
            Assert.Throws<InvalidOperationException>(() => node.Chain.EnsureGenesis(spec with { Allocations = spec.Allocations.Skip(2).ToList() }));
        }
        directory.Succeeded();
    }

    [Fact]
    public void The_genesis_is_recognised_after_its_state_version_was_pruned()
    {
        var stateOptions = new StateOptions { Tree = new SmtOptions { RetainVersions = 2, CacheNodes = 4_096 } };
        using var directory = TestDirectory.Create("chain-genesis-pruned");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default, stateOptions: stateOptions))
        {
            node.Chain.EnsureGenesis(Genesis);
            for (ulong nonce = 0; nonce < 4; nonce++)
                ProduceAndCommit(node.Chain, [Tx.Transfer(AliceKey, nonce, Bob, 1)]);
            node.State.Tree.Prune();
            Assert.False(node.State.TryGetStateRoot(0, out _));
        }
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default, stateOptions: stateOptions))
        {
            node.Chain.EnsureGenesis(Genesis);
            Assert.Throws<InvalidOperationException>(() => node.Chain.EnsureGenesis(Genesis with { Allocations = Genesis.Allocations.Skip(1).ToList() }));
            Assert.Equal(4UL, node.Chain.Head.Number);
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_genesis_with_different_chain_parameters_is_refused()
    {
        using var directory = TestDirectory.Create("chain-genesis-parameters");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
            node.Chain.EnsureGenesis(Genesis);
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default with { InitialBaseFee = 11 }))
            Assert.Throws<InvalidOperationException>(() => node.Chain.EnsureGenesis(Genesis));
        directory.Succeeded();
    }

    [Fact]
    public void Reopening_the_database_resumes_at_the_same_head_and_state()
    {
        using var directory = TestDirectory.Create("chain-reopen");
        var path = directory.Combine("db");
        Hash256 head, root;
        AccountState alice, bob;
        using (var node = ChainNode.Open(path, TestChains.Default, new DatabaseOptions()))
        {
            node.Chain.EnsureGenesis(Genesis);
            for (ulong nonce = 0; nonce < 3; nonce++)
                ProduceAndCommit(node.Chain, [Tx.Transfer(AliceKey, nonce, Bob, 1_000 + (long)nonce)]);
            head = node.Chain.Head.Hash;
            root = node.State.GetStateRoot();
            alice = node.Chain.GetAccount(Alice);
            bob = node.Chain.GetAccount(Bob);
            Assert.Equal(3UL, alice.Nonce);
        }
        using (var node = ChainNode.Open(path, TestChains.Default, new DatabaseOptions()))
        {
            Assert.True(node.Chain.HasGenesis);
            Assert.Equal(head, node.Chain.Head.Hash);
            Assert.Equal(3UL, node.Chain.Head.Number);
            Assert.Equal(root, node.State.GetStateRoot());
            Assert.Equal(root, node.Chain.Head.StateRoot);
            Assert.Equal(alice, node.Chain.GetAccount(Alice));
            Assert.Equal(bob, node.Chain.GetAccount(Bob));
            node.Chain.EnsureGenesis(Genesis);
            // And it goes on from there.
            var next = ProduceAndCommit(node.Chain, [Tx.Transfer(AliceKey, 3, Bob, 1)]);
            Assert.Equal(head, next.Header.ParentHash);
            Assert.Equal(4UL, node.Chain.Head.Number);
        }
        directory.Succeeded();
    }

    [Fact]
    public void Stored_blocks_transactions_and_receipts_are_found_by_number_hash_and_id()
    {
        using var directory = TestDirectory.Create("chain-queries");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            node.Chain.EnsureGenesis(Genesis);
            ProduceAndCommit(node.Chain, [Tx.Transfer(AliceKey, 0, Bob, 5)]);
            var transactions = new[] { Tx.Transfer(AliceKey, 1, Carol, 6), Tx.Withdrawal(AliceKey, 2, TestKeys.Outsider(1), 7), Tx.Transfer(TestKeys.Key(2), 0, Alice, 8) };
            var block = ProduceAndCommit(node.Chain, transactions);

            Assert.Equal(block.Hash, node.Chain.GetBlock(2)?.Hash);
            Assert.Equal(2UL, node.Chain.GetBlock(block.Hash)?.Number);
            Assert.Null(node.Chain.GetBlock(3));
            Assert.Null(node.Chain.GetBlock(Hash256.Zero));
            var receipts = node.Chain.GetReceipts(2);
            Assert.NotNull(receipts);
            Assert.Equal(transactions.Select(t => t.Id), receipts.Select(r => r.TransactionId));
            Assert.Empty(node.Chain.GetReceipts(0)!);

            for (var i = 0; i < transactions.Length; i++)
            {
                var stored = node.Chain.GetTransaction(transactions[i].Id);
                Assert.NotNull(stored);
                Assert.Equal(transactions[i].Id, stored.Transaction.Id);
                Assert.Equal(transactions[i].Sender, stored.Transaction.Sender);
                Assert.Equal(block.Hash, stored.Block.Hash);
                Assert.Equal(i, stored.Index);
                Assert.Equal(receipts[i], stored.Receipt);
                Assert.Equal(ReceiptStatus.Success, stored.Receipt.Status);
                Assert.Equal(21_000UL * (ulong)(i + 1), stored.Receipt.CumulativeGasUsed);
            }
            Assert.Null(node.Chain.GetTransaction(Tx.Transfer(AliceKey, 99, Bob, 1).Id));
            // Bob (score 90) paid half the base fee.
            Assert.Equal(node.Chain.GetBlock(2)!.Header.BaseFee - node.Chain.GetBlock(2)!.Header.BaseFee / 2 + Tx.DefaultTip, receipts[2].GasPrice);
        }
        directory.Succeeded();
    }

    [Fact]
    public void The_next_base_fee_follows_the_heads_gas()
    {
        using var directory = TestDirectory.Create("chain-base-fee");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            node.Chain.EnsureGenesis(Genesis);
            Assert.Equal(FeeMarket.NextBaseFee(10, 0, 30_000_000, 1), node.Chain.NextBaseFee);
            var block = ProduceAndCommit(node.Chain, []);
            Assert.Equal(9UL, block.Header.BaseFee);
            Assert.Equal(8UL, node.Chain.NextBaseFee);
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_block_produced_on_an_old_tip_cannot_be_committed()
    {
        using var directory = TestDirectory.Create("chain-stale-commit");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            node.Chain.EnsureGenesis(Genesis);
            var first = node.Chain.Produce([Tx.Transfer(AliceKey, 0, Bob, 1)], TestChains.GenesisTime + 100, Sequencer);
            var second = node.Chain.Produce([Tx.Transfer(AliceKey, 0, Carol, 1)], TestChains.GenesisTime + 100, Sequencer);
            node.Chain.Commit(first);
            Assert.Throws<InvalidOperationException>(() => node.Chain.Commit(second));
            Assert.Equal(first.Block.Hash, node.Chain.Head.Hash);
            Assert.Equal(Amount.FromCas(50) + Amount.FromSat(1), node.Chain.GetAccount(Bob).Balance);
            Assert.Equal(Amount.FromSat(1), node.Chain.GetAccount(Carol).Balance);
        }
        directory.Succeeded();
    }

    [Fact]
    public void Produce_skips_what_cannot_be_included_and_says_why()
    {
        using var directory = TestDirectory.Create("chain-produce-skips");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default))
        {
            node.Chain.EnsureGenesis(Genesis);
            var good = Tx.Transfer(AliceKey, 0, Bob, 1);
            var gap = Tx.Transfer(AliceKey, 5, Bob, 1);
            var poor = Tx.Transfer(TestKeys.Key(3), 0, Bob, 1);
            var produced = node.Chain.Produce([good, gap, poor], TestChains.GenesisTime + 100, Sequencer);
            Assert.Equal(new[] { good.Id }, produced.Block.Transactions.Select(t => t.Id));
            Assert.Equal(new[] { (gap.Id, TxRejectReason.NonceTooHigh), (poor.Id, TxRejectReason.InsufficientFunds) },
                produced.Skipped.Select(s => (s.Transaction.Id, s.Rejection.Reason)));
            // Nothing is stored until the commit.
            Assert.Equal(0UL, node.Chain.Head.Number);
            Assert.Null(node.Chain.GetTransaction(good.Id));
            node.Chain.Commit(produced);
            Assert.Equal(1UL, node.Chain.GetTransaction(good.Id)?.Block.Number);
        }
        directory.Succeeded();
    }
}
