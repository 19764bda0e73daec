using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Storage;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.State;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Chain;

/// <summary>A block built and sealed by this node but not yet committed, with what its execution refused.</summary>
public sealed record ProducedBlock(Block Block, BlockOutcome Outcome, PendingStateCommit State, IReadOnlyList<(Transaction Transaction, TxRejection Rejection)> Skipped);

/// <summary>A stored transaction with its block and receipt.</summary>
public sealed record StoredTransaction(Transaction Transaction, Block Block, int Index, Receipt Receipt);

/// <summary>
/// The L2 chain of this node: the committed tip, block production and import, and the queries RPC
/// serves. Every block — state, block, receipts, transaction index — is committed in one RocksDB
/// write batch, and the state version of a block is its number, so a restart resumes exactly at
/// the last committed block. One writer at a time; readers never wait for it.
/// </summary>
public sealed partial class L2Blockchain
{
    private readonly NodeDatabase _database;
    private readonly StateManager _state;
    private readonly BlockStore _blocks;
    private readonly ILogger<L2Blockchain> _logger;
    private readonly Lock _writeLock = new();

    /// <summary>Blocks with at least this many transactions recover their senders in parallel before execution.</summary>
    private const int ParallelRecoveryThreshold = 64;
    private volatile BlockHeader? _head;

    /// <summary>The head's hash and the finality certificate it was committed with (the next block carries it).</summary>
    private volatile Tuple<Hash256, CommitCertificate>? _headCommit;

    public L2Blockchain(ChainParameters parameters, NodeDatabase database, StateManager state, ILogger<L2Blockchain> logger)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(state);
        Parameters = parameters;
        _database = database;
        _state = state;
        _blocks = new BlockStore(database);
        _logger = logger;
        if (_blocks.ReadHead() is { } head)
        {
            var block = _blocks.GetBlock(head) ?? throw new DatabaseCorruptionException($"the L2 head {head} has no stored block");
            if (_state.LatestBlock != head)
                throw new DatabaseCorruptionException($"the L2 head is block {head} but the state is at block {_state.LatestBlock?.ToString() ?? "none"}");
            _head = block.Header;
        }
    }

    public ChainParameters Parameters { get; }

    /// <summary>The settlement chain this chain is deployed on; null for a chain without one (the regtest development chain).</summary>
    public ISettlementView? Settlement { get; set; }

    /// <summary>Most L1 queue entries one block takes.</summary>
    public int MaxQueuedPerBlock { get; init; } = L1QueueEntries.MaxPerBlock;

    /// <summary>
    /// The sequencer set of an L2 height with each member's weight (null when it is not known here),
    /// set by the sequencing layer on a chain with a sequencer set. With it, every block after the
    /// first carries its parent's finality certificate, which must hold more than 2/3 of the parent's
    /// set, and whose other signers share the block's fees by weight. Without it (a development or
    /// test chain) blocks carry none and the producer keeps the sequencers' share.
    /// </summary>
    public Func<ulong, IReadOnlyDictionary<Address, UInt128>?>? SetWeights { get; set; }

    /// <summary>A non-account state record at the tip (bridge records, the queue cursor).</summary>
    public byte[]? GetRecord(Hash256 key) => _state.GetRecord(key);

    public (State.Smt.SmtProof Proof, ulong Block, Hash256 Root) GetRecordProof(Hash256 key, Hash256? root = null) => _state.GetRecordProof(key, root);

    /// <summary>How far the chain has consumed its L1 queues.</summary>
    public QueueCursor Cursor => GetRecord(BridgeKeys.Cursor) is { } bytes ? QueueCursor.FromBytes(bytes) : default;

    /// <summary>The newest committed block's header; throws before genesis.</summary>
    public BlockHeader Head => _head ?? throw new InvalidOperationException("the L2 chain has no genesis block yet");

    public bool HasGenesis => _head is not null;

    /// <summary>Raised after each committed block (on the committing thread).</summary>
    public event Action<Block, BlockOutcome>? BlockCommitted;

    /// <summary>The base fee the next block will have.</summary>
    public ulong NextBaseFee
    {
        get
        {
            var head = Head;
            return FeeMarket.NextBaseFee(head.BaseFee, head.GasUsed, head.GasLimit, Parameters.MinGasPrice);
        }
    }

    /// <summary>The account at the committed tip.</summary>
    public AccountState GetAccount(Address address) => _state.GetAccount(address);

    public AccountState GetAccount(Address address, ulong block) => _state.GetAccount(address, block);

    public AccountProof GetProof(Address address, Hash256? atRoot = null) => _state.GetProof(address, atRoot);

    /// <summary>The account in the state whose root is <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentException">the root is not a retained state.</exception>
    public AccountState GetAccountAt(Address address, Hash256 root) =>
        _state.Tree.TryGetVersion(root, out var block) ? _state.GetAccount(address, block) : throw new ArgumentException($"state root {root.ToHex()} is not retained", nameof(root));

    public Block? GetBlock(ulong number) => _blocks.GetBlock(number);

    /// <summary>The header of block <paramref name="number"/> without decoding its transactions; null above the head.</summary>
    public BlockHeader? GetHeader(ulong number) => _blocks.GetHeader(number);

    public Block? GetBlock(Hash256 hash) => _blocks.GetNumber(hash) is { } number ? _blocks.GetBlock(number) : null;

    public IReadOnlyList<Receipt>? GetReceipts(ulong number) => _blocks.GetReceipts(number);

    public StoredTransaction? GetTransaction(Hash256 id)
    {
        if (_blocks.GetLocation(id) is not { } location)
            return null;
        var block = _blocks.GetBlock(location.Block) ?? throw new DatabaseCorruptionException($"transaction {id} points at missing block {location.Block}");
        var receipts = _blocks.GetReceipts(location.Block) ?? throw new DatabaseCorruptionException($"block {location.Block} has no receipts");
        if (location.Index >= block.Transactions.Count || location.Index >= receipts.Count || block.Transactions[location.Index].Id != id)
            throw new DatabaseCorruptionException($"the index of transaction {id} does not match block {location.Block}");
        return new StoredTransaction(block.Transactions[location.Index], block, location.Index, receipts[location.Index]);
    }

    /// <summary>
    /// Creates block 0 from <paramref name="genesis"/> when the chain is empty; otherwise checks that
    /// the stored genesis is this one (a data directory never silently switches chains).
    /// </summary>
    public void EnsureGenesis(GenesisSpec genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        lock (_writeLock)
        {
            var changes = new Dictionary<Address, AccountState>();
            foreach (var allocation in genesis.Allocations)
            {
                if (!changes.TryAdd(allocation.Address, new AccountState(allocation.Balance, 0, Hash256.Zero, Hash256.Zero, allocation.HatScore, 0)))
                    throw new ArgumentException($"genesis allocates {allocation.Address} twice", nameof(genesis));
            }
            if (_head is not null)
            {
                var stored = _blocks.GetBlock(0) ?? throw new DatabaseCorruptionException("the L2 chain has a head but no genesis block");
                // The whole header, state root included, computed without the tree: block 0's tree
                // version may be pruned, and every allocation (not just the listed ones) must match.
                // Equals, not !=: BlockHeader compares by value only through Equals.
                if (!stored.Header.Equals(GenesisHeader(genesis, GenesisStateRoot(changes))))
                    throw new InvalidOperationException($"the data directory holds a different L2 chain (genesis {stored.Hash}); use another -datadir or the genesis it was created with");
                return;
            }
            var state = _state.Prepare(0, changes);
            var block = new Block(GenesisHeader(genesis, state.StateRoot), [], []);
            var outcome = new BlockOutcome(changes, [], 0, FeeSplit.Of(Amount.Zero, 0), Amount.Zero);
            CommitLocked(new ProducedBlock(block, outcome, state, []));
            _logger.LogInformation("Created L2 genesis block {Hash} with {Count} funded accounts", block.Hash, changes.Count);
        }
    }

    /// <summary>SPEC §4's root of the genesis accounts (empty ones are absent), from the hashing rules alone.</summary>
    private static Hash256 GenesisStateRoot(Dictionary<Address, AccountState> accounts)
    {
        var leaves = new List<(Hash256 Key, Hash256 Hash)>(accounts.Count);
        foreach (var (address, account) in accounts)
        {
            if (account.IsEmpty)
                continue;
            var key = StateKeys.ForAccount(address);
            leaves.Add((key, SmtHashing.LeafHash(key, SmtHashing.ValueHash(account.ToBytes()))));
        }
        return Subtree(leaves, 0);

        // A lone key's leaf sits where its path leaves the others'; otherwise split on the next bit.
        static Hash256 Subtree(List<(Hash256 Key, Hash256 Hash)> leaves, int depth) => leaves.Count switch
        {
            0 => Hash256.Zero,
            1 => leaves[0].Hash,
            _ => SmtHashing.InnerHash(
                Subtree(leaves.Where(l => l.Key.GetBit(depth) == 0).ToList(), depth + 1),
                Subtree(leaves.Where(l => l.Key.GetBit(depth) == 1).ToList(), depth + 1)),
        };
    }

    private BlockHeader GenesisHeader(GenesisSpec genesis, Hash256 stateRoot) => new(
        0, Hash256.Zero, stateRoot, Hash256.Zero, Hash256.Zero, Hash256.Zero, Address.Zero, genesis.Timestamp,
        Parameters.BlockGasLimit, 0, Parameters.InitialBaseFee, 0, Hash256.Zero);

    /// <summary>
    /// Builds the next block from <paramref name="candidates"/> (in order, skipping what cannot be
    /// included), seals it with <paramref name="sequencerKey"/>; nothing is committed.
    /// </summary>
    public ProducedBlock Produce(IEnumerable<Transaction> candidates, ulong timestampMs, PrivateKey sequencerKey)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(sequencerKey);
        var parent = Head;
        var number = parent.Number + 1;
        var producer = Address.FromPublicKey(sequencerKey.PublicKey.AsSpan());
        var (anchorHeight, anchorHash) = Settlement?.ConfirmedTip ?? (parent.L1AnchorHeight, parent.L1AnchorHash);
        var parentCommit = SetWeights is null || parent.Number == 0 ? CommitCertificate.Empty : CommitOf(parent);
        var (sharers, commitRejection) = ParentCommits.FeeSharers(Parameters.ChainId, SetWeights, parent, parentCommit, producer);
        if (commitRejection is not null)
            throw new InvalidOperationException($"the head's certificate cannot be carried: {commitRejection}");
        var execution = NewExecution(number, NextBaseFee, producer, Math.Max(anchorHeight, parent.L1AnchorHeight), sharers);
        var included = new List<Transaction>();
        var skipped = new List<(Transaction, TxRejection)>();
        // The entries due by the L1 block the header will reference: validation requires exactly these, first.
        foreach (var queued in QueuedEntries(execution.Cursor, Math.Max(anchorHeight, parent.L1AnchorHeight)))
        {
            if (execution.TryApply(queued) is { } rejection)
                throw new InvalidOperationException($"an L1 queue entry did not apply: {rejection}");
            included.Add(queued);
        }
        // The envelopes of earlier blocks next, as far as their keys are here: nothing of this block's own applies before them.
        foreach (var opening in Openings())
        {
            if (execution.TryApply(opening) is not null)
                break;
            included.Add(opening);
        }
        foreach (var transaction in candidates)
        {
            if (execution.TryApply(transaction) is { } rejection)
                skipped.Add((transaction, rejection));
            else
                included.Add(transaction);
        }
        var outcome = execution.Finish();
        var state = _state.Prepare(number, outcome.Changes, outcome.Records);
        var header = new BlockHeader(number, parent.Hash, state.StateRoot,
            MerkleRoot.Compute(included.Select(t => t.Id).ToList()),
            MerkleRoot.Compute(outcome.Receipts.Select(r => r.Hash()).ToList()),
            L1QueueEntries.Root(included), producer, Math.Max(timestampMs, parent.Timestamp + 1), Parameters.BlockGasLimit, outcome.GasUsed,
            execution.BaseFee, Math.Max(anchorHeight, parent.L1AnchorHeight), anchorHeight >= parent.L1AnchorHeight ? anchorHash : parent.L1AnchorHash,
            execution.Cursor, parentCommit.Hash);
        var block = new Block(header, included, [Block.Seal(Parameters.ChainId, header, sequencerKey)], 0, parentCommit);
        return new ProducedBlock(block, outcome, state, skipped);
    }

    /// <summary>Commits a block made by <see cref="Produce"/> on the current tip.</summary>
    /// <exception cref="InvalidOperationException">the tip is no longer the block's parent.</exception>
    public void Commit(ProducedBlock produced)
    {
        if (!TryCommit(produced))
            throw new InvalidOperationException($"block {produced.Block.Number} was built on {produced.Block.Header.ParentHash}, the tip is now {Head.Hash}");
    }

    /// <summary>Commits a block made by <see cref="Produce"/>; false (nothing written) when the tip is no longer its parent.</summary>
    public bool TryCommit(ProducedBlock produced)
    {
        ArgumentNullException.ThrowIfNull(produced);
        lock (_writeLock)
        {
            if (produced.Block.Header.ParentHash != Head.Hash)
                return false;
            CommitLocked(produced);
            return true;
        }
    }

    /// <summary>
    /// Validates <paramref name="block"/> fully — header, its certificate's precommits by distinct
    /// <paramref name="sequencers"/> (<paramref name="quorum"/> satisfied when given; the producer one of the set), re-execution of every
    /// transaction, roots and gas — and commits it; or says why it is invalid.
    /// </summary>
    /// <param name="quorum">Why the signers are not enough (null: they are); null: any one sequencer's seal suffices.</param>
    public BlockRejection? Import(Block block, ulong nowMs, IReadOnlySet<Address> sequencers, Func<IReadOnlyList<Address>, string?>? quorum = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(sequencers);
        var header = block.Header;
        var signers = block.RecoverSigners(Parameters.ChainId);
        if (signers is null || signers.Count == 0)
            return new BlockRejection(BlockRejectReason.BadSignature, "the block carries no valid sequencer signature");
        // The producer need not be among the precommits (it may have crashed after proposing), but it is one of the set.
        if (!sequencers.Contains(header.Sequencer) || !signers.All(sequencers.Contains) || signers.Distinct().Count() != signers.Count)
            return new BlockRejection(BlockRejectReason.UnknownSequencer, $"block sealed by {string.Join(", ", signers)}, producer {header.Sequencer}: not distinct active sequencers of this chain");
        if (quorum?.Invoke(signers) is { } missing)
            return new BlockRejection(BlockRejectReason.UnknownSequencer, missing);
        lock (_writeLock)
        {
            var (produced, rejection) = Validate(block, nowMs);
            if (produced is null)
                return rejection;
            CommitLocked(produced);
            return null;
        }
    }

    /// <summary>
    /// Checks a block proposed on the head — everything but its seals: header rules, the L1 messages,
    /// transactions and receipts roots, gas, and the state root by re-execution — and prepares its
    /// state. Nothing is written: <see cref="TryCommit"/> commits the result (with the block's final
    /// signatures) while the head is still its parent.
    /// </summary>
    public (ProducedBlock? Produced, BlockRejection? Rejection) Validate(Block block, ulong nowMs)
    {
        ArgumentNullException.ThrowIfNull(block);
        lock (_writeLock)
        {
            var parent = Head;
            var header = block.Header;
            if (HeaderRules.Check(parent, header, Parameters, nowMs) is { } headerRejection)
                return (null, headerRejection);
            if (L1Binding.Check(parent, header, Settlement, Parameters) is { } bindingRejection)
                return (null, bindingRejection);
            if (header.L1MessagesRoot != L1QueueEntries.Root(block.Transactions))
                return (null, new BlockRejection(BlockRejectReason.BadL1MessagesRoot, "the L1 messages root does not match the block's queue entries"));
            if (L1QueueEntries.Check(block, QueuedEntries(Cursor, header.L1AnchorHeight)) is { } queueRejection)
                return (null, queueRejection);
            if (MerkleRoot.Compute(block.Transactions.Select(t => t.Id).ToList()) != header.TransactionsRoot)
                return (null, new BlockRejection(BlockRejectReason.BadTransactionsRoot, "the transactions root does not match the transactions"));

            // Senders are recovered in parallel first (cached on each transaction); execution is sequential.
            if (block.Transactions.Count >= ParallelRecoveryThreshold)
                Parallel.ForEach(block.Transactions, transaction => _ = transaction.Sender);
            if (header.ParentCommitHash != block.ParentCommit.Hash)
                return (null, new BlockRejection(BlockRejectReason.BadParentCommit, "the parent's certificate is not the one the header commits to"));
            var (sharers, commitRejection) = ParentCommits.FeeSharers(Parameters.ChainId, SetWeights, parent, block.ParentCommit, header.Sequencer);
            if (commitRejection is not null)
                return (null, commitRejection);
            var execution = NewExecution(header.Number, header.BaseFee, header.Sequencer, header.L1AnchorHeight, sharers);
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                if (execution.TryApply(block.Transactions[i]) is { } rejection)
                    return (null, new BlockRejection(BlockRejectReason.InvalidTransaction, $"transaction {i} ({block.Transactions[i].Id}): {rejection}"));
            }
            var cursor = execution.Cursor;
            var outcome = execution.Finish();
            if (cursor != header.Processed)
                return (null, new BlockRejection(BlockRejectReason.WrongQueueCursor,
                    $"after re-execution {cursor.L1Messages} L1 messages and {cursor.Forced} forced transactions are processed, the header says {header.Processed.L1Messages} and {header.Processed.Forced}"));
            if (outcome.GasUsed != header.GasUsed)
                return (null, new BlockRejection(BlockRejectReason.WrongGasUsed, $"gas used is {outcome.GasUsed}, the header says {header.GasUsed}"));
            if (MerkleRoot.Compute(outcome.Receipts.Select(r => r.Hash()).ToList()) != header.ReceiptsRoot)
                return (null, new BlockRejection(BlockRejectReason.BadReceiptsRoot, "the receipts root does not match re-execution"));
            var state = _state.Prepare(header.Number, outcome.Changes, outcome.Records);
            if (state.StateRoot != header.StateRoot)
                return (null, new BlockRejection(BlockRejectReason.BadStateRoot, $"re-execution gives state root {state.StateRoot.ToHex()}, the header says {header.StateRoot.ToHex()}"));
            return (new ProducedBlock(block, outcome, state, []), null);
        }
    }

    private BlockExecution NewExecution(ulong number, ulong baseFee, Address producer, ulong l1AnchorHeight, IReadOnlyList<FeeSharer> sharers)
    {
        var settlement = Settlement;
        return new BlockExecution(Parameters, number, baseFee, producer, sharers, _state.GetAccount, _state.GetRecord,
            settlement is null ? null : settlement.GetQueued)
        {
            L1AnchorHeight = l1AnchorHeight,
            InjectFault = number == FaultyAt,
            EpochKeys = settlement is null ? null : settlement.EpochKey,
        };
    }

    /// <summary>Regtest fault injection (-l2faultyroot): the L2 block this node executes wrongly (<see cref="BlockExecution.InjectFault"/>), producing or validating.</summary>
    public ulong? FaultyAt { get; init; }

    /// <summary>The certificate <paramref name="header"/> was committed with here (the head's is kept; another is read from the block store).</summary>
    private CommitCertificate CommitOf(BlockHeader header)
    {
        if (_headCommit is { } known && known.Item1 == header.Hash)
            return known.Item2;
        var block = _blocks.GetBlock(header.Number);
        if (block?.Hash != header.Hash)
            throw new InvalidOperationException($"block {header.Number} {header.Hash} is no longer on this chain");
        _headCommit = Tuple.Create(header.Hash, block.Certificate);
        return block.Certificate;
    }

    /// <summary>The queue entries the next block takes: in order from the cursor, from L1 blocks up to <paramref name="confirmedHeight"/>.</summary>
    private List<Transaction> QueuedEntries(QueueCursor cursor, ulong confirmedHeight, int? limit = null) =>
        L1QueueEntries.Due(Settlement, Parameters.ChainId, cursor, confirmedHeight, limit ?? MaxQueuedPerBlock);

    /// <summary>
    /// Runs <paramref name="transactions"/> in order on the head as the next block would — after the
    /// confirmed L1 queue entries it takes first, but without the block's gas or per-sender limits —
    /// and says for each whether it applies (null) or why not. Nothing is written. A revert uses it to
    /// decide which undone transactions still hold, including those paid by a deposit or a transfer
    /// that comes back with them.
    /// </summary>
    public IReadOnlyList<TxRejection?> Simulate(IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        lock (_writeLock)
        {
            var parent = Head;
            var anchorHeight = Math.Max(Settlement?.ConfirmedTip.Height ?? parent.L1AnchorHeight, parent.L1AnchorHeight);
            var unlimited = Parameters with { BlockGasLimit = ulong.MaxValue, RateLimitPerBlock = int.MaxValue, HighScoreRateLimit = int.MaxValue };
            var settlement = Settlement;
            var execution = new BlockExecution(unlimited, parent.Number + 1, NextBaseFee, Address.Zero, [], _state.GetAccount, _state.GetRecord,
                settlement is null ? null : settlement.GetQueued)
            {
                L1AnchorHeight = anchorHeight,
                EpochKeys = settlement is null ? null : settlement.EpochKey,
                WaitForOpenings = false,
            };
            foreach (var queued in QueuedEntries(execution.Cursor, anchorHeight, int.MaxValue))
                execution.TryApply(queued);
            return transactions.Select(execution.TryApply).ToList();
        }
    }

    /// <summary>
    /// Why a block made now on the head would break the L1 binding (its confirmed L1 block is more than
    /// <see cref="ChainParameters.MaxL1TimestampDrift"/> old: the settlement chain is stalled), or null.
    /// </summary>
    public string? ProductionBlockedReason(ulong nowMs)
    {
        if (Settlement is not { } settlement || !HasGenesis)
            return null;
        var parent = Head;
        var (height, hash) = settlement.ConfirmedTip;
        var probe = new BlockHeader(parent.Number + 1, parent.Hash, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Address.Zero,
            Math.Max(nowMs, parent.Timestamp + 1), Parameters.BlockGasLimit, 0, NextBaseFee, Math.Max(height, parent.L1AnchorHeight),
            height >= parent.L1AnchorHeight ? hash : parent.L1AnchorHash);
        return L1Binding.Check(parent, probe, settlement, Parameters)?.Message;
    }

    /// <summary>Whether confirmed L1 queue entries wait for a block (so an idle producer should make one).</summary>
    public bool HasQueuedEntries()
    {
        if (Settlement is null || !HasGenesis)
            return false;
        return QueuedEntries(Cursor, Settlement.ConfirmedTip.Height, limit: 1).Count > 0;
    }

    /// <summary>The Merkle root of the ids of a block's L1 queue entries (zero when it has none).</summary>

    /// <summary>
    /// Makes block <paramref name="number"/> the tip again (an L1 reorganization removed what later
    /// blocks relied on): state, blocks, receipts and index in one batch. Returns the removed blocks, oldest first.
    /// </summary>
    public IReadOnlyList<Block> RevertTo(ulong number)
    {
        lock (_writeLock)
        {
            var head = Head;
            if (number >= head.Number)
                return [];
            var removed = new List<Block>();
            for (var n = number + 1; n <= head.Number; n++)
                removed.Add(_blocks.GetBlock(n) ?? throw new DatabaseCorruptionException($"L2 block {n} is missing"));
            var target = _blocks.GetBlock(number) ?? throw new DatabaseCorruptionException($"L2 block {number} is missing");
            using (var batch = _database.CreateBatch())
            {
                _state.StageRevert(number, batch);
                foreach (var block in removed)
                    BlockStore.StageRemove(block, batch);
                BlockStore.StageHead(number, batch);
                _database.Commit(batch);
            }
            _state.RevertCommitted(number);
            _headCommit = Tuple.Create(target.Hash, target.Certificate);
            _head = target.Header;
            _logger.LogWarning("L2 chain reverted to block {Number} {Hash}: {Count} blocks undone", number, target.Hash, removed.Count);
            return removed;
        }
    }

    private void CommitLocked(ProducedBlock produced)
    {
        using (var batch = _database.CreateBatch())
        {
            _state.Stage(produced.State, batch);
            _blocks.Stage(produced.Block, produced.Outcome.Receipts, produced.Outcome.Openings, batch);
            _database.Commit(batch);
        }
        _state.Committed(produced.State);
        _headCommit = Tuple.Create(produced.Block.Hash, produced.Block.Certificate);
        _head = produced.Block.Header;
        BlockCommitted?.Invoke(produced.Block, produced.Outcome);
    }
}
