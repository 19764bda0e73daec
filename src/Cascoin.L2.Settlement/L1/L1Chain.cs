using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using System.Numerics;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Settlement.L1;

/// <summary>A change of the active L1 chain: blocks disconnected (a reorganization) and connected, oldest first.</summary>
public sealed record L1ChainChange(ulong ForkHeight, IReadOnlyList<L1Block> Disconnected, IReadOnlyList<L1Block> Connected)
{
    /// <summary>Not a change: a follower's start-up check of what it relies on against the chain as it is.</summary>
    public bool Startup { get; init; }
}

/// <summary>
/// The embedded settlement chain (SPEC §6, `-l1=embedded`): every known block and branch, the active
/// chain (the longest valid one; the first seen wins a tie), its state in a sparse Merkle tree whose
/// version is the block height, mining for regtest, and reorganization by invalidateblock /
/// reconsiderblock. A block's state, block record, receipts and active-chain entry are one write
/// batch; a reorganization first reverts to the fork in one batch, then connects block by block.
/// </summary>
public sealed partial class L1Chain : IL1History
{
    /// <summary>2026-01-01T00:00:00Z, so every regtest node has the same genesis.</summary>
    public const ulong GenesisTimestamp = 1_767_225_600_000;

    private static readonly byte[] TipKey = "l1/tip"u8.ToArray();

    private readonly NodeDatabase _database;
    private readonly SparseMerkleTree _state;
    private readonly NetworkParameters _network;
    private readonly ILogger<L1Chain> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<Hash256, L1BlockHeader> _headers = [];

    /// <summary>The cumulative proof of work of each stored header's chain, from the genesis.</summary>
    private readonly Dictionary<Hash256, BigInteger> _work = [];

    /// <summary>The header with the most work seen (the first seen among equals), kept as blocks come; recomputed after an invalidation.</summary>
    private Hash256 _bestTip;
    private bool _bestStale = true;
    private readonly HashSet<Hash256> _invalid = [];
    private readonly List<Hash256> _active = [];
    private readonly List<L1Transaction> _mempool = [];

    public L1Chain(NodeDatabase database, SparseMerkleTree state, SettlementParameters parameters, NetworkParameters network, ILogger<L1Chain> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(network);
        _database = database;
        _state = state;
        Parameters = parameters;
        _network = network;
        _logger = logger;
        Load();
    }

    public SettlementParameters Parameters { get; }

    /// <summary>Raised (under the chain's lock, in order) after every change of the active chain.</summary>
    public event Action<L1ChainChange>? Changed;

    public L1BlockHeader Tip
    {
        get
        {
            lock (_lock)
                return _headers[_active[^1]];
        }
    }

    public ulong Height
    {
        get
        {
            lock (_lock)
                return (ulong)_active.Count - 1;
        }
    }

    /// <summary>The state as of the active tip: a view for reads (its changes are discarded).</summary>
    public L1StateView StateAtTip()
    {
        lock (_lock)
        {
            var version = (ulong)_active.Count - 1;
            return new L1StateView(key => _state.Get(key, version));
        }
    }

    public L1StateView StateAt(ulong height)
    {
        lock (_lock)
        {
            if (height >= (ulong)_active.Count)
                throw new ArgumentOutOfRangeException(nameof(height), height, $"the tip is at {_active.Count - 1}");
            return new L1StateView(key => _state.Get(key, height));
        }
    }

    Hash256? IL1History.HashAt(ulong height) => GetHash(height);

    L1StateView? IL1History.StateAt(ulong height)
    {
        lock (_lock)
            return height < (ulong)_active.Count ? new L1StateView(key => _state.Get(key, height)) : null;
    }

    public Hash256? GetHash(ulong height)
    {
        lock (_lock)
            return height < (ulong)_active.Count ? _active[(int)height] : null;
    }

    public L1BlockHeader? GetHeader(ulong height)
    {
        lock (_lock)
            return height < (ulong)_active.Count ? _headers[_active[(int)height]] : null;
    }

    public bool IsActive(Hash256 hash)
    {
        lock (_lock)
            return _headers.TryGetValue(hash, out var header) && header.Height < (ulong)_active.Count && _active[(int)header.Height] == hash;
    }

    public L1Block? GetBlock(Hash256 hash)
    {
        var bytes = _database.Get(DbColumn.L1Blocks, hash.ToArray());
        if (bytes is null)
            return null;
        try
        {
            return L1Block.Decode(bytes);
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.L1Blocks, hash.ToArray(), ex);
        }
    }

    public IReadOnlyList<L1Receipt>? GetReceipts(Hash256 hash)
    {
        var bytes = _database.Get(DbColumn.L1Receipts, hash.ToArray());
        if (bytes is null)
            return null;
        try
        {
            var reader = new SpanReader(bytes);
            var count = (int)reader.ReadCompactSize(L1Block.MaxTransactions);
            var receipts = new List<L1Receipt>(count);
            for (var i = 0; i < count; i++)
                receipts.Add(L1Receipt.Read(ref reader));
            reader.EnsureEnd();
            return receipts;
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.L1Receipts, hash.ToArray(), ex);
        }
    }

    /// <summary>Mines one block on the tip with the mempool's transactions, paying <paramref name="miner"/>.</summary>
    public L1Block Mine(Address miner, ulong timestampMs)
    {
        lock (_lock)
        {
            var parent = _headers[_active[^1]];
            var height = parent.Height + 1;
            var execution = new L1BlockExecution(Parameters, _network, height, miner, StateAtTipLocked(), this);
            var included = new List<L1Transaction>();
            var waiting = _mempool.OrderBy(t => t.RecoverSender(_network)?.ToHex()).ThenBy(t => t.Nonce).ToList();
            bool progress;
            do
            {
                progress = false;
                foreach (var transaction in waiting.ToList())
                {
                    if (execution.TryApply(transaction) is null)
                    {
                        included.Add(transaction);
                        waiting.Remove(transaction);
                        progress = true;
                    }
                }
            }
            while (progress && waiting.Count > 0);
            execution.Finish();
            var update = _state.Prepare(height, execution.State.Changes.Select(c => new SmtChange(c.Key, c.Value)));
            var header = L1BlockHeader.Solve(new L1BlockHeader(height, parent.Hash, update.Root, MerkleRoot.Compute(included.Select(t => t.Id).ToList()),
                Math.Max(timestampMs, parent.Timestamp + 1), miner, Parameters.PowBits, 0));
            var block = new L1Block(header, included);
            CommitConnectLocked(block, update, execution.Receipts);
            // What could not be mined now (bad nonce after a reorg, no funds) stays for a later block unless it can never be valid.
            _mempool.RemoveAll(t => included.Contains(t) || StateAtTipLocked().GetAccount(t.RecoverSender(_network) ?? Address.Zero).Nonce > t.Nonce);
            Changed?.Invoke(new L1ChainChange(parent.Height, [], [block]));
            return block;
        }
    }

    /// <summary>Marks <paramref name="hash"/> and its descendants invalid; if it was active, the chain reorganizes to the best valid branch.</summary>
    public void InvalidateBlock(Hash256 hash)
    {
        lock (_lock)
        {
            if (!_headers.TryGetValue(hash, out var header))
                throw new KeyNotFoundException($"block {hash} not found");
            if (header.Height == 0)
                throw new InvalidOperationException("the genesis block cannot be invalidated");
            var marked = Descendants(hash).Prepend(hash).ToList();
            using (var batch = _database.CreateBatch())
            {
                foreach (var block in marked)
                    batch.Put(DbColumn.L1Invalid, block.ToArray(), [1]);
                _database.Commit(batch);
            }
            _invalid.UnionWith(marked);
            _bestStale = true;
            _logger.LogInformation("L1 block {Hash} (height {Height}) and {Count} descendants marked invalid", hash, header.Height, marked.Count - 1);
            ActivateBestChainLocked();
        }
    }

    /// <summary>Removes the invalid mark from <paramref name="hash"/>, its ancestors and descendants; the chain moves to the best branch.</summary>
    public void ReconsiderBlock(Hash256 hash)
    {
        lock (_lock)
        {
            if (!_headers.TryGetValue(hash, out _))
                throw new KeyNotFoundException($"block {hash} not found");
            var cleared = Descendants(hash).Prepend(hash).Concat(Ancestors(hash)).Where(_invalid.Contains).ToList();
            using (var batch = _database.CreateBatch())
            {
                foreach (var block in cleared)
                    batch.Delete(DbColumn.L1Invalid, block.ToArray());
                _database.Commit(batch);
            }
            _invalid.ExceptWith(cleared);
            _bestStale = true;
            ActivateBestChainLocked();
        }
    }

    private L1StateView StateAtTipLocked()
    {
        var version = (ulong)_active.Count - 1;
        return new L1StateView(key => _state.Get(key, version));
    }

    /// <summary>Moves the active chain to the highest valid tip: revert to the fork, connect the branch; a block that fails validation is marked invalid and the search repeats.</summary>
    private void ActivateBestChainLocked()
    {
        while (true)
        {
            var best = BestTip();
            var current = _headers[_active[^1]];
            if (best.Hash == current.Hash)
                return;
            var branch = new List<L1BlockHeader>();
            for (var header = best; !(header.Height < (ulong)_active.Count && _active[(int)header.Height] == header.Hash); header = _headers[header.ParentHash])
                branch.Add(header);
            branch.Reverse();
            // An empty branch: the best block is on the active chain, whose tip was invalidated.
            var forkHeight = branch.Count == 0 ? best.Height : branch[0].Height - 1;
            var disconnected = DisconnectToLocked(forkHeight);
            var connected = new List<L1Block>();
            var failed = false;
            foreach (var header in branch)
            {
                var block = GetBlock(header.Hash)!;
                if (ConnectLocked(block) is { } error)
                {
                    _logger.LogWarning("L1 block {Hash} at height {Height} is invalid: {Error}", header.Hash, header.Height, error);
                    using (var batch = _database.CreateBatch())
                    {
                        foreach (var bad in Descendants(header.Hash).Prepend(header.Hash))
                        {
                            batch.Put(DbColumn.L1Invalid, bad.ToArray(), [1]);
                            _invalid.Add(bad);
                            _bestStale = true;
                        }
                        _database.Commit(batch);
                    }
                    failed = true;
                    break;
                }
                connected.Add(block);
            }
            // Transactions of disconnected blocks go back to the mempool unless the new branch has them.
            var kept = connected.SelectMany(b => b.Transactions).Select(t => t.Id).ToHashSet();
            foreach (var transaction in disconnected.SelectMany(b => b.Transactions))
            {
                if (!kept.Contains(transaction.Id) && _mempool.All(t => t.Id != transaction.Id))
                    _mempool.Add(transaction);
            }
            // What the new branch mined (or made stale by using its nonce) is not waiting any more, as after Mine.
            var tip = StateAtTipLocked();
            _mempool.RemoveAll(t => tip.GetAccount(t.RecoverSender(_network) ?? Address.Zero).Nonce > t.Nonce);
            if (disconnected.Count > 0)
                _logger.LogInformation("L1 reorganization at height {Fork}: {Disconnected} blocks disconnected, {Connected} connected; tip {Height} {Hash}",
                    forkHeight, disconnected.Count, connected.Count, _active.Count - 1, _active[^1]);
            else
                _logger.LogDebug("L1 tip {Height} {Hash} ({Connected} blocks connected)", _active.Count - 1, _active[^1], connected.Count);
            Changed?.Invoke(new L1ChainChange(forkHeight, disconnected, connected));
            if (!failed)
                return;
        }
    }

    /// <summary>
    /// The valid header with the most cumulative work; among equals the current chain (cut back to its
    /// last valid block) wins. Kept as blocks arrive (a new header wins only with strictly more work),
    /// so a received block costs its own work sum; a full scan runs only after a block was marked
    /// invalid or reconsidered. Every descendant of an invalid block is marked too, so "not marked" is
    /// "on a valid branch".
    /// </summary>
    private L1BlockHeader BestTip()
    {
        if (_bestStale)
        {
            var height = _active.Count - 1;
            while (height > 0 && _invalid.Contains(_active[height]))
                height--;
            var best = _active[height];
            foreach (var (hash, work) in _work)
            {
                if (work > _work[best] && !_invalid.Contains(hash))
                    best = hash;
            }
            _bestTip = best;
            _bestStale = false;
        }
        return _headers[_bestTip];
    }

    /// <summary>Stores <paramref name="header"/>'s place in the fork choice: its chain's work, and whether it is the new best.</summary>
    private void AddHeaderLocked(L1BlockHeader header)
    {
        _headers[header.Hash] = header;
        if (_work.ContainsKey(header.Hash))
            return;
        var work = (header.Height == 0 ? BigInteger.Zero : _work[header.ParentHash]) + L1ProofOfWork.Work(header.Bits);
        _work[header.Hash] = work;
        if (!_bestStale && work > _work[_bestTip] && !_invalid.Contains(header.Hash))
            _bestTip = header.Hash;
    }

    /// <summary>Reverts the state and the active chain to <paramref name="height"/> in one batch; returns the disconnected blocks, oldest first.</summary>
    private List<L1Block> DisconnectToLocked(ulong height)
    {
        var disconnected = new List<L1Block>();
        if (height + 1 >= (ulong)_active.Count)
            return disconnected;
        for (var h = height + 1; h < (ulong)_active.Count; h++)
            disconnected.Add(GetBlock(_active[(int)h])!);
        using (var batch = _database.CreateBatch())
        {
            _state.StageRevert(height, batch);
            for (var h = height + 1; h < (ulong)_active.Count; h++)
                batch.Delete(DbColumn.L1ActiveChain, HeightKey(h));
            batch.Put(DbColumn.Metadata, TipKey, HeightKey(height));
            _database.Commit(batch);
        }
        _state.RevertCommitted(height);
        _active.RemoveRange((int)height + 1, _active.Count - (int)height - 1);
        return disconnected;
    }

    /// <summary>Re-executes a stored block on the tip and connects it; returns why it is invalid instead.</summary>
    private string? ConnectLocked(L1Block block)
    {
        var parent = _headers[_active[^1]];
        if (block.Header.ParentHash != parent.Hash || block.Height != parent.Height + 1)
            return "does not build on the tip";
        var execution = new L1BlockExecution(Parameters, _network, block.Height, block.Header.Miner, StateAtTipLocked(), this);
        foreach (var transaction in block.Transactions)
        {
            if (execution.TryApply(transaction) is { } error)
                return $"transaction {transaction.Id}: {error}";
        }
        execution.Finish();
        if (MerkleRoot.Compute(block.Transactions.Select(t => t.Id).ToList()) != block.Header.TransactionsRoot)
            return "transactions root mismatch";
        var update = _state.Prepare(block.Height, execution.State.Changes.Select(c => new SmtChange(c.Key, c.Value)));
        if (update.Root != block.Header.StateRoot)
            return $"state root {update.Root.ToHex()} differs from the header's {block.Header.StateRoot.ToHex()}";
        CommitConnectLocked(block, update, execution.Receipts);
        return null;
    }

    private void CommitConnectLocked(L1Block block, SmtPendingUpdate update, IReadOnlyList<L1Receipt> receipts)
    {
        using (var batch = _database.CreateBatch())
        {
            _state.Stage(update, batch);
            batch.Put(DbColumn.L1Blocks, block.Hash.ToArray(), block.ToBytes());
            var writer = new SpanWriter(64 * receipts.Count + 9);
            writer.WriteCompactSize((ulong)receipts.Count);
            foreach (var receipt in receipts)
                receipt.WriteTo(writer);
            batch.Put(DbColumn.L1Receipts, block.Hash.ToArray(), writer.WrittenSpan);
            batch.Put(DbColumn.L1ActiveChain, HeightKey(block.Height), block.Hash.ToArray());
            batch.Put(DbColumn.Metadata, TipKey, HeightKey(block.Height));
            _database.Commit(batch);
        }
        _state.Committed(update);
        AddHeaderLocked(block.Header);
        _active.Add(block.Hash);
    }

    private IEnumerable<Hash256> Descendants(Hash256 hash)
    {
        var frontier = new Queue<Hash256>([hash]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var child in _headers.Values.Where(h => h.ParentHash == current && h.Height > 0))
            {
                yield return child.Hash;
                frontier.Enqueue(child.Hash);
            }
        }
    }

    private IEnumerable<Hash256> Ancestors(Hash256 hash)
    {
        for (var header = _headers[hash]; header.Height > 0; header = _headers[header.ParentHash])
            yield return header.ParentHash;
    }

    private void Load()
    {
        foreach (var (key, value) in _database.IterateByPrefix(DbColumn.L1Blocks, []))
        {
            try
            {
                var reader = new SpanReader(value);
                var header = L1BlockHeader.Read(ref reader);
                _headers[header.Hash] = header;
            }
            catch (DecodeException ex)
            {
                throw DatabaseCorruptionException.ForRecord(DbColumn.L1Blocks, key, ex);
            }
        }
        foreach (var (key, _) in _database.IterateByPrefix(DbColumn.L1Invalid, []))
            _invalid.Add(new Hash256(key));
        foreach (var header in _headers.Values.OrderBy(h => h.Height).ToList())
        {
            if (header.Height > 0 && !_work.ContainsKey(header.ParentHash))
                throw new DatabaseCorruptionException($"stored L1 block {header.Hash} has no stored parent");
            AddHeaderLocked(header);
        }
        foreach (var (key, value) in _database.IterateByPrefix(DbColumn.L1ActiveChain, []))
        {
            var hash = new Hash256(value);
            if (!_headers.ContainsKey(hash) || BinaryPrimitives.ReadUInt64BigEndian(key) != (ulong)_active.Count)
                throw new DatabaseCorruptionException($"the active L1 chain index is broken at height {BinaryPrimitives.ReadUInt64BigEndian(key)}");
            _active.Add(hash);
        }
        if (_active.Count == 0)
        {
            CreateGenesis();
            return;
        }
        if (_state.LatestVersion != (ulong)_active.Count - 1)
            throw new DatabaseCorruptionException($"the L1 tip is height {_active.Count - 1} but its state is at {_state.LatestVersion?.ToString() ?? "none"}");
        _logger.LogInformation("L1 chain loaded: tip {Height} {Hash}", _active.Count - 1, _active[^1]);
        // A stop between marking a block invalid and reorganizing away from it is finished now.
        if (_invalid.Contains(_active[^1]))
            ActivateBestChainLocked();
    }

    private void CreateGenesis()
    {
        var execution = new L1BlockExecution(Parameters, _network, 0, Address.Zero, new L1StateView(_ => null), this);
        execution.Finish();
        var update = _state.Prepare(0, execution.State.Changes.Select(c => new SmtChange(c.Key, c.Value)));
        var header = L1BlockHeader.Solve(new L1BlockHeader(0, Hash256.Zero, update.Root, Hash256.Zero, GenesisTimestamp, Address.Zero, Parameters.PowBits, 0));
        CommitConnectLocked(new L1Block(header, []), update, []);
    }

    private static byte[] HeightKey(ulong height)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, height);
        return key;
    }
}
