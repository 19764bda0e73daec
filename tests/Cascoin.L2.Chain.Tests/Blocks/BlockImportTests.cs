using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>
/// SPEC §5's block validation through <see cref="L2Blockchain.Import"/>: a block with one thing wrong
/// is refused for that reason, leaves the chain and state as they were, and the genuine block is then
/// accepted. A field changed after sealing breaks the seal (the signer is someone else), so the
/// tampered blocks that must reach the later checks are re-sealed by the real sequencer: they are
/// what a faulty or malicious sequencer would send.
/// </summary>
public sealed class BlockImportTests : IDisposable
{
    private static readonly PrivateKey Sequencer = TestKeys.Key(100);
    private static readonly PrivateKey Stranger = TestKeys.Key(101);
    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly PrivateKey BobKey = TestKeys.Key(2);
    private static readonly ChainParameters Parameters = TestChains.Default;
    private static readonly HashSet<Address> Sequencers = [TestKeys.AddressOf(Sequencer)];

    private static readonly GenesisSpec Genesis = new(TestChains.GenesisTime,
    [
        new GenesisAllocation(TestKeys.AddressOf(AliceKey), Amount.FromCas(100)),
        new GenesisAllocation(TestKeys.AddressOf(BobKey), Amount.FromCas(100)),
    ]);

    private readonly TestDirectory _directory = TestDirectory.Create("chain-import");
    private readonly ChainNode _validator;
    private readonly Block _genuine;
    private readonly Hash256 _genesisRoot;
    private bool _failed = true;

    public BlockImportTests()
    {
        using (var producer = ChainNode.Open(_directory.Combine("producer"), Parameters))
        {
            producer.Chain.EnsureGenesis(Genesis);
            var produced = producer.Chain.Produce(
                [Tx.Transfer(AliceKey, 0, TestKeys.AddressOf(BobKey), 1_000), Tx.Withdrawal(BobKey, 0, TestKeys.Outsider(1), 500), Tx.Transfer(AliceKey, 1, TestKeys.Outsider(2), 7)],
                TestChains.GenesisTime + 500, Sequencer);
            Assert.Empty(produced.Skipped);
            producer.Chain.Commit(produced);
            _genuine = producer.Chain.GetBlock(1)!;
        }
        _validator = ChainNode.Open(_directory.Combine("validator"), Parameters);
        _validator.Chain.EnsureGenesis(Genesis);
        _genesisRoot = _validator.State.GetStateRoot();
    }

    private static ulong Now => TestChains.GenesisTime + 1_000;

    private static BlockHeader With(BlockHeader h, ulong? number = null, Hash256? parent = null, Hash256? stateRoot = null,
        Hash256? transactionsRoot = null, Hash256? receiptsRoot = null, Hash256? l1MessagesRoot = null, Address? sequencer = null,
        ulong? timestamp = null, ulong? gasUsed = null, ulong? baseFee = null, QueueCursor? processed = null) => new(
        number ?? h.Number, parent ?? h.ParentHash, stateRoot ?? h.StateRoot, transactionsRoot ?? h.TransactionsRoot,
        receiptsRoot ?? h.ReceiptsRoot, l1MessagesRoot ?? h.L1MessagesRoot, sequencer ?? h.Sequencer, timestamp ?? h.Timestamp,
        h.GasLimit, gasUsed ?? h.GasUsed, baseFee ?? h.BaseFee, h.L1AnchorHeight, h.L1AnchorHash, processed ?? h.Processed);

    private static Block Sealed(BlockHeader header, IReadOnlyList<Transaction> transactions, PrivateKey? key = null) =>
        new(header, transactions, [Block.Seal(Tx.ChainId, header, key ?? Sequencer)]);

    private static Hash256 TransactionsRoot(IEnumerable<Transaction> transactions) => MerkleRoot.Compute(transactions.Select(t => t.Id).ToList());

    /// <summary>Imports <paramref name="block"/>, expects <paramref name="reason"/>, and checks nothing moved.</summary>
    private BlockRejection AssertRefused(Block block, BlockRejectReason reason, ulong? now = null)
    {
        var rejection = _validator.Chain.Import(block, now ?? Now, Sequencers);
        Assert.True(rejection?.Reason == reason, $"expected {reason}, got {rejection?.ToString() ?? "accepted"}");
        Assert.Equal(0UL, _validator.Chain.Head.Number);
        Assert.Equal(_genesisRoot, _validator.State.GetStateRoot());
        Assert.Null(_validator.Chain.GetBlock(1));
        return rejection!;
    }

    private void AssertGenuineStillImports()
    {
        Assert.Null(_validator.Chain.Import(_genuine, Now, Sequencers));
        Assert.Equal(_genuine.Hash, _validator.Chain.Head.Hash);
        Assert.Equal(_genuine.Header.StateRoot, _validator.State.GetStateRoot());
        _failed = false;
    }

    [Fact]
    public void The_genuine_block_imports()
    {
        Assert.Equal(Amount.Zero, _validator.Chain.GetAccount(TestKeys.Outsider(2)).Balance);
        AssertGenuineStillImports();
        Assert.Equal(Amount.FromSat(7), _validator.Chain.GetAccount(TestKeys.Outsider(2)).Balance);
        // The same block twice is no longer a child of the head.
        Assert.Equal(BlockRejectReason.WrongParent, _validator.Chain.Import(_genuine, Now, Sequencers)?.Reason);
    }

    [Fact]
    public void A_wrong_state_root_is_refused()
    {
        var header = With(_genuine.Header, stateRoot: new Hash256([.. Enumerable.Repeat((byte)1, 32)]));
        var rejection = AssertRefused(Sealed(header, _genuine.Transactions), BlockRejectReason.BadStateRoot);
        Assert.Contains(_genuine.Header.StateRoot.ToHex(), rejection.Message, StringComparison.Ordinal);
        AssertGenuineStillImports();
    }

    [Fact]
    public void A_wrong_gas_used_is_refused()
    {
        AssertRefused(Sealed(With(_genuine.Header, gasUsed: _genuine.Header.GasUsed - 1), _genuine.Transactions), BlockRejectReason.WrongGasUsed);
        AssertRefused(Sealed(With(_genuine.Header, gasUsed: _genuine.Header.GasUsed + 21_000), _genuine.Transactions), BlockRejectReason.WrongGasUsed);
        AssertRefused(Sealed(With(_genuine.Header, gasUsed: Parameters.BlockGasLimit + 1), _genuine.Transactions), BlockRejectReason.GasOverLimit);
        // The queue cursor is what the anchors' certificates carry to L1: a header may not claim more (or less) than it processed.
        AssertRefused(Sealed(With(_genuine.Header, processed: new QueueCursor(1, 0)), _genuine.Transactions), BlockRejectReason.WrongQueueCursor);
        AssertRefused(Sealed(With(_genuine.Header, processed: new QueueCursor(0, 3)), _genuine.Transactions), BlockRejectReason.WrongQueueCursor);
        AssertGenuineStillImports();
    }

    [Fact]
    public void A_transaction_swapped_out_is_refused()
    {
        var other = Tx.Transfer(AliceKey, 1, TestKeys.Outsider(2), 8);
        Transaction[] swapped = [_genuine.Transactions[0], _genuine.Transactions[1], other];
        // Under the original header, the transactions no longer match its root.
        AssertRefused(new Block(_genuine.Header, swapped, _genuine.Signatures), BlockRejectReason.BadTransactionsRoot);
        // With the root fixed and re-sealed, re-execution gives other receipts (and another state).
        AssertRefused(Sealed(With(_genuine.Header, transactionsRoot: TransactionsRoot(swapped)), swapped), BlockRejectReason.BadReceiptsRoot);
        // Reordered: Bob's withdrawal first is valid too, but it is not what the header committed to.
        Transaction[] reordered = [_genuine.Transactions[1], _genuine.Transactions[0], _genuine.Transactions[2]];
        AssertRefused(new Block(_genuine.Header, reordered, _genuine.Signatures), BlockRejectReason.BadTransactionsRoot);
        // Dropped.
        AssertRefused(new Block(_genuine.Header, _genuine.Transactions.Take(2).ToList(), _genuine.Signatures), BlockRejectReason.BadTransactionsRoot);
        AssertGenuineStillImports();
    }

    [Fact]
    public void A_block_with_an_invalid_transaction_is_refused_and_names_it()
    {
        var invalid = Tx.Transfer(AliceKey, 5, TestKeys.Outsider(2), 7);
        Transaction[] transactions = [_genuine.Transactions[0], _genuine.Transactions[1], invalid];
        var rejection = AssertRefused(Sealed(With(_genuine.Header, transactionsRoot: TransactionsRoot(transactions)), transactions), BlockRejectReason.InvalidTransaction);
        Assert.Contains("transaction 2", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("nonce-too-high", rejection.Message, StringComparison.Ordinal);

        var wrongChain = Tx.Transfer(AliceKey, 1, TestKeys.Outsider(2), 7, chainId: Tx.ChainId + 1);
        transactions = [_genuine.Transactions[0], _genuine.Transactions[1], wrongChain];
        rejection = AssertRefused(Sealed(With(_genuine.Header, transactionsRoot: TransactionsRoot(transactions)), transactions), BlockRejectReason.InvalidTransaction);
        Assert.Contains("wrong-chain-id", rejection.Message, StringComparison.Ordinal);
        AssertGenuineStillImports();
    }

    [Fact]
    public void A_wrong_receipts_root_is_refused()
    {
        AssertRefused(Sealed(With(_genuine.Header, receiptsRoot: Hash256.Zero), _genuine.Transactions), BlockRejectReason.BadReceiptsRoot);
        AssertGenuineStillImports();
    }

    [Fact]
    public void L1_messages_are_not_processed_yet_so_their_root_must_be_zero()
    {
        AssertRefused(Sealed(With(_genuine.Header, l1MessagesRoot: _genuine.Header.StateRoot), _genuine.Transactions), BlockRejectReason.BadL1MessagesRoot);
        AssertGenuineStillImports();
    }

    [Fact]
    public void A_seal_by_anyone_but_the_producer_or_outside_the_sequencer_set_is_refused()
    {
        // Sealed by a stranger, naming the real sequencer as producer.
        AssertRefused(Sealed(_genuine.Header, _genuine.Transactions, Stranger), BlockRejectReason.UnknownSequencer);
        // Naming and sealed by the stranger, who is not an active sequencer.
        var stranger = With(_genuine.Header, sequencer: TestKeys.AddressOf(Stranger));
        AssertRefused(Sealed(stranger, _genuine.Transactions, Stranger), BlockRejectReason.UnknownSequencer);
        // The real seal plus the stranger's.
        AssertRefused(new Block(_genuine.Header, _genuine.Transactions, [.. _genuine.Signatures, Block.Seal(Tx.ChainId, _genuine.Header, Stranger)]), BlockRejectReason.UnknownSequencer);
        // A seal for another chain recovers someone else.
        AssertRefused(new Block(_genuine.Header, _genuine.Transactions, [Block.Seal(Tx.ChainId + 1, _genuine.Header, Sequencer)]), BlockRejectReason.UnknownSequencer);
        // No seal, or bytes that are no signature.
        AssertRefused(new Block(_genuine.Header, _genuine.Transactions, []), BlockRejectReason.BadSignature);
        AssertRefused(new Block(_genuine.Header, _genuine.Transactions, [new byte[RecoverableSignature.Size]]), BlockRejectReason.BadSignature);
        AssertGenuineStillImports();
    }

    [Fact]
    public void A_header_changed_after_sealing_no_longer_carries_the_sequencers_seal()
    {
        // The old seal over a new state root: it recovers a key that is not the sequencer's.
        var header = With(_genuine.Header, stateRoot: Hash256.Zero);
        AssertRefused(new Block(header, _genuine.Transactions, _genuine.Signatures), BlockRejectReason.UnknownSequencer);
        AssertGenuineStillImports();
    }

    [Fact]
    public void Header_rules_come_first()
    {
        AssertRefused(Sealed(With(_genuine.Header, parent: Hash256.Zero), _genuine.Transactions), BlockRejectReason.WrongParent);
        AssertRefused(Sealed(With(_genuine.Header, number: 2), _genuine.Transactions), BlockRejectReason.WrongNumber);
        AssertRefused(Sealed(With(_genuine.Header, timestamp: TestChains.GenesisTime), _genuine.Transactions), BlockRejectReason.TimestampNotIncreasing);
        AssertRefused(_genuine, BlockRejectReason.TimestampInFuture, now: _genuine.Header.Timestamp - 30_001);
        AssertRefused(Sealed(With(_genuine.Header, baseFee: _genuine.Header.BaseFee + 1), _genuine.Transactions), BlockRejectReason.WrongBaseFee);
        // Exactly 30 s ahead is still fine.
        Assert.Null(_validator.Chain.Import(_genuine, _genuine.Header.Timestamp - 30_000, Sequencers));
        _failed = false;
    }

    public void Dispose()
    {
        _validator.Dispose();
        if (!_failed)
            _directory.Succeeded();
        _directory.Dispose();
    }
}
