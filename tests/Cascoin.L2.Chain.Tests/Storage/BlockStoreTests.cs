using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Storage;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Storage;

/// <summary>
/// doc/db-schema.md's L2 columns: what <see cref="BlockStore"/> writes reads back, and a damaged
/// record is reported as <see cref="DatabaseCorruptionException"/> naming its column and key, never
/// as a decode error from deep inside or as a wrong answer.
/// </summary>
public sealed class BlockStoreTests
{
    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly GenesisSpec Genesis = new(TestChains.GenesisTime, [new GenesisAllocation(TestKeys.AddressOf(AliceKey), Amount.FromCas(10))]);

    private static byte[] NumberKey(ulong number)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        return key;
    }

    /// <summary>A chain of genesis and two blocks of one transfer each; returns block 2's transaction.</summary>
    private static Transaction Build(ChainNode node)
    {
        node.Chain.EnsureGenesis(Genesis);
        L2BlockchainTests.ProduceAndCommit(node.Chain, [Tx.Transfer(AliceKey, 0, TestKeys.AddressAt(2), 1)]);
        var transaction = Tx.Transfer(AliceKey, 1, TestKeys.AddressAt(2), 2);
        L2BlockchainTests.ProduceAndCommit(node.Chain, [transaction]);
        return transaction;
    }

    [Fact]
    public void Staged_blocks_and_receipts_read_back_by_number_hash_and_transaction()
    {
        using var directory = TestDirectory.Create("blockstore-roundtrip");
        using (var database = NodeDatabase.Open(directory.Combine("db"), ChainNode.FastOptions, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            var store = new BlockStore(database);
            Assert.Null(store.ReadHead());
            var transactions = new[] { Tx.Transfer(AliceKey, 0, TestKeys.AddressAt(2), 1), Tx.Withdrawal(AliceKey, 1, TestKeys.Outsider(1), 2) };
            var header = new BlockHeader(7, Hash256.Zero, Hash256.Zero, MerkleRoot.Compute(transactions.Select(t => t.Id).ToList()), Hash256.Zero,
                Hash256.Zero, TestKeys.AddressAt(100), TestChains.GenesisTime, 30_000_000, 42_000, 10, 0, Hash256.Zero);
            var block = new Block(header, transactions, [Block.Seal(Tx.ChainId, header, TestKeys.Key(100))]);
            var receipts = transactions.Select((t, i) => new Receipt(t.Id, ReceiptStatus.Success, 21_000, 21_000 * (ulong)(i + 1), 12, Amount.FromSat(252_000))).ToList();
            // Block 7's second transaction stands in for the opening of an envelope ordered earlier.
            var envelope = new Hash256(Enumerable.Repeat((byte)0xee, 32).ToArray());
            using (var batch = database.CreateBatch())
            {
                store.Stage(block, receipts, [(envelope, transactions[1].Id)], batch);
                // Nothing is visible before the batch is committed.
                Assert.Null(store.GetBlock(7));
                Assert.Null(store.GetOpening(envelope));
                database.Commit(batch);
            }
            Assert.Equal(7UL, store.ReadHead());
            Assert.Equal(block.ToBytes(), store.GetBlock(7)?.ToBytes());
            Assert.Equal(7UL, store.GetNumber(block.Hash));
            Assert.Equal(receipts, store.GetReceipts(7));
            Assert.Equal(new TransactionLocation(7, 1), store.GetLocation(transactions[1].Id));
            Assert.Null(store.GetLocation(Hash256.Zero));
            Assert.Null(store.GetNumber(Hash256.Zero));
            Assert.Null(store.GetReceipts(6));
            // The envelope's link to its opening sits beside the txids without shadowing any of them.
            Assert.Equal(transactions[1].Id, store.GetOpening(envelope));
            Assert.Null(store.GetOpening(transactions[1].Id));
            Assert.Null(store.GetLocation(envelope));
            // A revert removes the opening's location; the link left behind leads nowhere.
            using (var batch = database.CreateBatch())
            {
                BlockStore.StageRemove(block, batch);
                database.Commit(batch);
            }
            Assert.Null(store.GetLocation(store.GetOpening(envelope)!.Value));
            database.Put(DbColumn.L2Transactions, [1, .. envelope.ToArray()], [1, 2, 3]);
            Assert.Contains("'L2Transactions'", Assert.Throws<DatabaseCorruptionException>(() => store.GetOpening(envelope)).Message, StringComparison.Ordinal);
        }
        directory.Succeeded();
    }

    [Fact]
    public void A_corrupt_block_record_is_reported_with_its_column_and_key()
    {
        using var directory = TestDirectory.Create("blockstore-corrupt-block");
        var path = directory.Combine("db");
        using (var node = ChainNode.Open(path, TestChains.Default))
        {
            var transaction = Build(node);
            var hash = node.Chain.GetBlock(1)!.Hash;
            node.Database.Put(DbColumn.L2Blocks, NumberKey(1), [0xde, 0xad, 0xbe, 0xef]);

            var error = Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetBlock(1));
            Assert.Contains("'L2Blocks'", error.Message, StringComparison.Ordinal);
            Assert.Contains(Convert.ToHexStringLower(NumberKey(1)), error.Message, StringComparison.Ordinal);
            Assert.IsType<DecodeException>(error.InnerException);
            Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetBlock(hash));
            // The other blocks are intact.
            Assert.Equal(2UL, node.Chain.GetTransaction(transaction.Id)?.Block.Number);

            // The head block itself: a valid block with something after it is also corrupt.
            var head = node.Database.Get(DbColumn.L2Blocks, NumberKey(2))!;
            node.Database.Put(DbColumn.L2Blocks, NumberKey(2), [.. head, 0]);
            Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetTransaction(transaction.Id));
        }
        // Reopening finds the head block unreadable and refuses to start on it.
        var reopen = Assert.Throws<DatabaseCorruptionException>(() => ChainNode.Open(path, TestChains.Default).Dispose());
        Assert.Contains("'L2Blocks'", reopen.Message, StringComparison.Ordinal);
        directory.Succeeded();
    }

    [Fact]
    public void Corrupt_receipts_indexes_and_head_records_are_reported_with_their_column()
    {
        using var directory = TestDirectory.Create("blockstore-corrupt-other");
        var path = directory.Combine("db");
        using (var node = ChainNode.Open(path, TestChains.Default))
        {
            var transaction = Build(node);
            var blockHash = node.Chain.GetBlock(2)!.Hash;

            node.Database.Put(DbColumn.L2Receipts, NumberKey(1), [0x01, 0x02]);
            Assert.Contains("'L2Receipts'", Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetReceipts(1)).Message, StringComparison.Ordinal);

            node.Database.Put(DbColumn.L2BlockNumbers, blockHash.ToArray(), [0x01]);
            Assert.Contains("'L2BlockNumbers'", Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetBlock(blockHash)).Message, StringComparison.Ordinal);

            var id = transaction.Id.ToArray();
            node.Database.Put(DbColumn.L2Transactions, id, [0x00, 0x01, 0x02]);
            Assert.Contains("'L2Transactions'", Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetTransaction(transaction.Id)).Message, StringComparison.Ordinal);

            // A well-formed location that points at the wrong place is corruption too, not a wrong answer.
            var location = new byte[12];
            BinaryPrimitives.WriteUInt64BigEndian(location, 1);
            node.Database.Put(DbColumn.L2Transactions, id, location);
            Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetTransaction(transaction.Id));
            BinaryPrimitives.WriteUInt64BigEndian(location, 9);
            node.Database.Put(DbColumn.L2Transactions, id, location);
            Assert.Throws<DatabaseCorruptionException>(() => node.Chain.GetTransaction(transaction.Id));

            node.Database.Put(DbColumn.Metadata, "l2/head"u8, [0x01]);
        }
        var head = Assert.Throws<DatabaseCorruptionException>(() => ChainNode.Open(path, TestChains.Default).Dispose());
        Assert.Contains("'metadata'", head.Message, StringComparison.Ordinal);
        directory.Succeeded();
    }

    [Fact]
    public void A_head_that_disagrees_with_the_state_is_refused_at_startup()
    {
        using var directory = TestDirectory.Create("blockstore-head-state");
        var path = directory.Combine("db");
        using (var node = ChainNode.Open(path, TestChains.Default))
        {
            Build(node);
            // The head says block 1 while the state is at block 2.
            node.Database.Put(DbColumn.Metadata, "l2/head"u8, NumberKey(1));
        }
        Assert.Throws<DatabaseCorruptionException>(() => ChainNode.Open(path, TestChains.Default).Dispose());
        using (var database = NodeDatabase.Open(path, ChainNode.FastOptions, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
            database.Put(DbColumn.Metadata, "l2/head"u8, NumberKey(5));
        var missing = Assert.Throws<DatabaseCorruptionException>(() => ChainNode.Open(path, TestChains.Default).Dispose());
        Assert.Contains("no stored block", missing.Message, StringComparison.Ordinal);
        directory.Succeeded();
    }
}
