using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
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
/// The embedded settlement chain (SPEC §6, `-l1=embedded`), one lock over its parts: the tree of every
/// known block with the fork choice by work (<see cref="L1BlockTree"/>), the active chain
/// (<see cref="L1ActiveChain"/>), its state in a sparse Merkle tree whose version is the block height,
/// the records (<see cref="L1BlockStore"/>) and the mempool (<see cref="L1Mempool"/>). A block's state,
/// body, receipts and active-chain entry are one write batch; a reorganization first reverts to the
/// fork in one batch, then connects block by block. This file: reads, connecting, the move to the best
/// chain, invalidate/reconsider, loading. Mining and the mempool, and blocks from peers, are beside it.
/// </summary>
public sealed partial class L1Chain : IL1History
{
    /// <summary>2026-01-01T00:00:00Z, so every regtest node has the same genesis.</summary>
    public const ulong GenesisTimestamp = 1_767_225_600_000;

    private readonly L1BlockStore _store;
    private readonly SparseMerkleTree _state;
    private readonly NetworkParameters _network;
    private readonly ILogger<L1Chain> _logger;
    private readonly Lock _lock = new();
    private readonly L1BlockTree _tree = new();
    private readonly L1ActiveChain _active = new();
    private readonly L1Mempool _mempool = new();

    public L1Chain(NodeDatabase database, SparseMerkleTree state, SettlementParameters parameters, NetworkParameters network, ILogger<L1Chain> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(network);
        _store = new L1BlockStore(database);
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
                return _tree[_active.Tip];
        }
    }

    public ulong Height
    {
        get
        {
            lock (_lock)
                return _active.Height;
        }
    }

    /// <summary>The state as of the active tip: a view for reads (its changes are discarded).</summary>
    public L1StateView StateAtTip()
    {
        lock (_lock)
            return StateAtTipLocked();
    }

    public L1StateView StateAt(ulong height)
    {
        lock (_lock)
        {
            if (height > _active.Height)
                throw new ArgumentOutOfRangeException(nameof(height), height, $"the tip is at {_active.Height}");
            return new L1StateView(key => _state.Get(key, height));
        }
    }

    Hash256? IL1History.HashAt(ulong height) => GetHash(height);

    L1StateView? IL1History.StateAt(ulong height)
    {
        lock (_lock)
            return height <= _active.Height ? new L1StateView(key => _state.Get(key, height)) : null;
    }

    public Hash256? GetHash(ulong height)
    {
        lock (_lock)
            return _active.HashAt(height);
    }

    public L1BlockHeader? GetHeader(ulong height)
    {
        lock (_lock)
            return _active.HashAt(height) is { } hash ? _tree[hash] : null;
    }

    public bool IsActive(Hash256 hash)
    {
        lock (_lock)
            return _tree.TryGet(hash, out var header) && _active.Contains(header);
    }

    public L1Block? GetBlock(Hash256 hash) => _store.GetBlock(hash);

    public IReadOnlyList<L1Receipt>? GetReceipts(Hash256 hash) => _store.GetReceipts(hash);

    /// <summary>Marks <paramref name="hash"/> and its descendants invalid; if it was active, the chain reorganizes to the best valid branch.</summary>
    public void InvalidateBlock(Hash256 hash)
    {
        lock (_lock)
        {
            if (!_tree.TryGet(hash, out var header))
                throw new KeyNotFoundException($"block {hash} not found");
            if (header.Height == 0)
                throw new InvalidOperationException("the genesis block cannot be invalidated");
            var marked = _tree.Descendants(hash).Prepend(hash).ToList();
            _store.MarkInvalid(marked, invalid: true);
            _tree.MarkInvalid(marked);
            _logger.LogInformation("L1 block {Hash} (height {Height}) and {Count} descendants marked invalid", hash, header.Height, marked.Count - 1);
            ActivateBestChainLocked();
        }
    }

    /// <summary>Removes the invalid mark from <paramref name="hash"/>, its ancestors and descendants; the chain moves to the best branch.</summary>
    public void ReconsiderBlock(Hash256 hash)
    {
        lock (_lock)
        {
            if (!_tree.Contains(hash))
                throw new KeyNotFoundException($"block {hash} not found");
            var cleared = _tree.Descendants(hash).Prepend(hash).Concat(_tree.Ancestors(hash)).Where(_tree.IsInvalid).ToList();
            _store.MarkInvalid(cleared, invalid: false);
            _tree.ClearInvalid(cleared);
            ActivateBestChainLocked();
        }
    }

    private L1StateView StateAtTipLocked()
    {
        var version = _active.Height;
        return new L1StateView(key => _state.Get(key, version));
    }

    /// <summary>Moves the active chain to the valid tip with the most work: revert to the fork, connect the branch; a block that fails validation is marked invalid and the search repeats.</summary>
    private void ActivateBestChainLocked()
    {
        while (true)
        {
            var best = _tree.Best(_active);
            if (best.Hash == _active.Tip)
                return;
            var branch = _tree.BranchTo(best, _active);
            // An empty branch: the best block is on the active chain, whose tip was invalidated.
            var forkHeight = branch.Count == 0 ? best.Height : branch[0].Height - 1;
            var disconnected = DisconnectToLocked(forkHeight);
            var connected = new List<L1Block>();
            var failed = false;
            foreach (var header in branch)
            {
                var block = _store.GetBlock(header.Hash)!;
                if (ConnectLocked(block) is { } error)
                {
                    _logger.LogWarning("L1 block {Hash} at height {Height} is invalid: {Error}", header.Hash, header.Height, error);
                    var bad = _tree.Descendants(header.Hash).Prepend(header.Hash).ToList();
                    _store.MarkInvalid(bad, invalid: true);
                    _tree.MarkInvalid(bad);
                    failed = true;
                    break;
                }
                connected.Add(block);
            }
            // Transactions of disconnected blocks go back to the mempool unless the new branch has them;
            // what the new branch mined (or made stale by using its nonce) is not waiting any more, as after Mine.
            _mempool.Return(disconnected.SelectMany(b => b.Transactions), connected.SelectMany(b => b.Transactions).Select(t => t.Id).ToHashSet(), _network);
            _mempool.DropStale(StateAtTipLocked());
            if (disconnected.Count > 0)
                _logger.LogInformation("L1 reorganization at height {Fork}: {Disconnected} blocks disconnected, {Connected} connected; tip {Height} {Hash}",
                    forkHeight, disconnected.Count, connected.Count, _active.Height, _active.Tip);
            else
                _logger.LogDebug("L1 tip {Height} {Hash} ({Connected} blocks connected)", _active.Height, _active.Tip, connected.Count);
            Changed?.Invoke(new L1ChainChange(forkHeight, disconnected, connected));
            if (!failed)
                return;
        }
    }

    /// <summary>Reverts the state and the active chain to <paramref name="height"/> in one batch; returns the disconnected blocks, oldest first.</summary>
    private List<L1Block> DisconnectToLocked(ulong height)
    {
        var disconnected = new List<L1Block>();
        var tip = _active.Height;
        if (height >= tip)
            return disconnected;
        for (var h = height + 1; h <= tip; h++)
            disconnected.Add(_store.GetBlock(_active[h])!);
        using (var batch = _store.CreateBatch())
        {
            _state.StageRevert(height, batch);
            L1BlockStore.StageDisconnect(batch, height, tip);
            _store.Commit(batch);
        }
        _state.RevertCommitted(height);
        _active.TruncateTo(height);
        return disconnected;
    }

    /// <summary>Re-executes a stored block on the tip and connects it; returns why it is invalid instead.</summary>
    private string? ConnectLocked(L1Block block)
    {
        var parent = _tree[_active.Tip];
        if (block.Header.ParentHash != parent.Hash || block.Height != parent.Height + 1)
            return "does not build on the tip";
        if (block.Size > Parameters.MaxBlockBytes)
            return $"block of {block.Size} bytes is larger than the limit of {Parameters.MaxBlockBytes}";
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
        using (var batch = _store.CreateBatch())
        {
            _state.Stage(update, batch);
            L1BlockStore.StageConnect(batch, block, receipts);
            _store.Commit(batch);
        }
        _state.Committed(update);
        _tree.Add(block.Header);
        _active.Append(block.Hash);
    }

    private void Load()
    {
        foreach (var header in _store.LoadHeaders())
        {
            if (header.Height > 0 && !_tree.Contains(header.ParentHash))
                throw new DatabaseCorruptionException($"stored L1 block {header.Hash} has no stored parent");
            _tree.Add(header);
        }
        _tree.MarkInvalid(_store.LoadInvalid());
        foreach (var hash in _store.LoadActive())
        {
            if (!_tree.TryGet(hash, out var header) || header.Height != (ulong)_active.Count)
                throw new DatabaseCorruptionException($"the active L1 chain index is broken at height {_active.Count}");
            _active.Append(hash);
        }
        if (_active.Count == 0)
        {
            CreateGenesis();
            return;
        }
        if (_state.LatestVersion != _active.Height)
            throw new DatabaseCorruptionException($"the L1 tip is height {_active.Height} but its state is at {_state.LatestVersion?.ToString() ?? "none"}");
        var loaded = _active.Height;
        // A stop between storing a block and connecting it, or between marking a block invalid and
        // reorganizing away from it, is finished now (bitcoind's ActivateBestChain at start): a peer's
        // copy of a stored block is only "already known" and would not move the tip.
        ActivateBestChainLocked();
        if (_active.Height != loaded)
            _logger.LogInformation("L1 chain loaded at tip {Loaded}; blocks stored before the last stop moved it to {Height}", loaded, _active.Height);
        _logger.LogInformation("L1 chain loaded: tip {Height} {Hash}", _active.Height, _active.Tip);
    }

    private void CreateGenesis()
    {
        var execution = new L1BlockExecution(Parameters, _network, 0, Address.Zero, new L1StateView(_ => null), this);
        execution.Finish();
        var update = _state.Prepare(0, execution.State.Changes.Select(c => new SmtChange(c.Key, c.Value)));
        var header = L1BlockHeader.Solve(new L1BlockHeader(0, Hash256.Zero, update.Root, Hash256.Zero, GenesisTimestamp, Address.Zero, Parameters.PowBits, 0));
        CommitConnectLocked(new L1Block(header, []), update, []);
    }
}
