using System.Collections.Concurrent;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Election;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Relay;

/// <summary>
/// Shares one deployed L2 chain between nodes: transactions accepted by any node's mempool reach
/// every node (and so the sequencer), every committed block is pushed to the peers, and a node
/// that is behind — it started late, was offline, or its settlement view lagged when a block came
/// — asks for the blocks it lacks (<c>l2getblocks</c>). Blocks are imported with full validation
/// (re-execution, roots, seals by more than 2/3 of the stake × score of the sequencers the L1
/// calls eligible), never trusted.
/// </summary>
public sealed class L2Relay
{
    private readonly P2PNode _p2p;
    private readonly L2Blockchain _chain;
    private readonly TxPool _pool;
    private readonly SequencerSchedules _schedules;
    private readonly TimeProvider _time;
    private readonly ILogger<L2Relay> _logger;
    private readonly SyncPeers _syncPeers = new();
    private readonly ConcurrentQueue<Transaction> _outgoing = new();
    private readonly FloodLimit _transactionFlood;

    public L2Relay(P2PNode p2p, L2Blockchain chain, TxPool pool, SequencerSchedules schedules, TimeProvider time, ILogger<L2Relay> logger)
    {
        ArgumentNullException.ThrowIfNull(p2p);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(schedules);
        _p2p = p2p;
        _chain = chain;
        _pool = pool;
        _schedules = schedules;
        _time = time;
        _logger = logger;
        // Well above what a busy honest peer relays (every transaction of the network once), far below what costs a core.
        _transactionFlood = new FloodLimit(40_000, 20_000, time);
    }

    private ulong ChainId => _chain.Parameters.ChainId;

    private ulong NowMs => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Registers the handlers and starts relaying; call before the P2P node starts.</summary>
    public void Start()
    {
        _p2p.Register(L2RelayMessages.Transactions, OnTransactions);
        _p2p.Register(L2RelayMessages.Block, OnBlock);
        _p2p.Register(L2RelayMessages.GetBlocks, OnGetBlocks);
        _p2p.Register(L2RelayMessages.Blocks, OnBlocks);
        _p2p.PeerConnected += peer =>
        {
            _ = peer.Closed.ContinueWith(_ => _syncPeers.Forget(peer.Id), TaskScheduler.Default);
            _syncPeers.Claim(peer.Id, peer.Version?.BestL2Height ?? 0);
            SyncIfBehind();
        };
        _pool.TransactionAdded += _outgoing.Enqueue;
        _chain.BlockCommitted += (block, _) => _p2p.Broadcast(L2RelayMessages.Block, L2RelayMessages.EncodeBlock(ChainId, block));
    }

    /// <summary>
    /// Asks a peer that claims to be ahead for the next blocks (<see cref="SyncPeers"/>: rotating, and
    /// a peer that answered with nothing is not asked again until it shows more); the host calls it
    /// every second, so a sync that stalled (the L1 view lagged) resumes.
    /// </summary>
    public void SyncIfBehind()
    {
        if (!_chain.HasGenesis)
            return;
        var head = _chain.Head.Number;
        var peers = _p2p.Peers;
        if (_syncPeers.Next(head, peers.Select(p => p.Id)) is { } id && peers.FirstOrDefault(p => p.Id == id) is { } peer)
            _p2p.Send(peer, L2RelayMessages.GetBlocks, L2RelayMessages.EncodeGetBlocks(ChainId, head + 1, L2RelayMessages.MaxBlocksPerMessage));
    }

    /// <summary>
    /// Sends what entered the mempool since the last call, up to 2,000 transactions a message; the host
    /// calls it every few milliseconds. Batching keeps the per-frame cost (framing, checksum, a
    /// handler call per transaction) off the hot path.
    /// </summary>
    public void FlushTransactions()
    {
        while (!_outgoing.IsEmpty)
        {
            var batch = new List<Transaction>(Math.Min(_outgoing.Count, L2RelayMessages.MaxTransactionsPerMessage));
            while (batch.Count < L2RelayMessages.MaxTransactionsPerMessage && _outgoing.TryDequeue(out var transaction))
                batch.Add(transaction);
            _p2p.Broadcast(L2RelayMessages.Transactions, L2RelayMessages.EncodeTransactions(ChainId, batch));
        }
    }

    private Task OnTransactions(Peer peer, byte[] payload)
    {
        var (chainId, body) = L2RelayMessages.SplitChainId(payload);
        if (chainId != ChainId)
            return Task.CompletedTask;
        var decoded = L2RelayMessages.DecodeTransactions(body.Span);
        if (!_transactionFlood.TryTake(peer, decoded.Count))
        {
            // Dropped unread: over the limit, the signature recoveries are what a flood would cost.
            _p2p.Misbehaving(peer, PeerPenalties.Points(PeerOffence.Flood), "transactions over the flood limit");
            return Task.CompletedTask;
        }
        // Known ones are skipped before their (costly) signature recovery; the others recover in parallel.
        var fresh = decoded.Where(t => !_pool.Contains(t.Id)).ToList();
        if (fresh.Count > 16)
            Parallel.ForEach(fresh, transaction => _ = transaction.Sender);
        foreach (var transaction in fresh)
        {
            // Refusals are normal here (nonce used, fee below this node's base fee); only new ones are relayed on.
            if (_pool.Add(transaction, _chain.GetAccount, _chain.NextBaseFee) is { } rejection)
                _logger.LogDebug("L2 transaction {Id} from {Peer} not taken: {Rejection}", transaction.Id, peer, rejection);
        }
        return Task.CompletedTask;
    }

    private Task OnBlock(Peer peer, byte[] payload)
    {
        var (chainId, body) = L2RelayMessages.SplitChainId(payload);
        if (chainId != ChainId)
            return Task.CompletedTask;
        var decoded = Block.Decode(body.Span);
        // The mempool's copies already know their senders.
        var block = decoded.WithTransactions(decoded.Transactions.Select(t => _pool.Get(t.Id) ?? t).ToList());
        _syncPeers.Claim(peer.Id, block.Number);
        TryImport(peer, block);
        return Task.CompletedTask;
    }

    private Task OnGetBlocks(Peer peer, byte[] payload)
    {
        var (chainId, from, count) = L2RelayMessages.DecodeGetBlocks(payload);
        if (chainId != ChainId || !_chain.HasGenesis)
            return Task.CompletedTask;
        var blocks = new List<Block>();
        var bytes = 0;
        for (var number = from; number <= _chain.Head.Number && blocks.Count < count && bytes < L2RelayMessages.MaxReplyBytes; number++)
        {
            var block = _chain.GetBlock(number)!;
            blocks.Add(block);
            bytes += block.ToBytes().Length;
        }
        _p2p.Send(peer, L2RelayMessages.Blocks, L2RelayMessages.EncodeBlocks(ChainId, blocks));
        return Task.CompletedTask;
    }

    private Task OnBlocks(Peer peer, byte[] payload)
    {
        var (chainId, blocks) = L2RelayMessages.DecodeBlocks(payload);
        if (chainId != ChainId || !_chain.HasGenesis)
            return Task.CompletedTask;
        var before = _chain.Head.Number;
        foreach (var block in blocks)
        {
            if (!TryImport(peer, block))
                break;
        }
        var head = _chain.Head.Number;
        // Nothing new from a peer that claimed more: its claim falls back, and the next request goes elsewhere.
        _syncPeers.Answered(peer.Id, (int)(head - Math.Min(head, before)), head);
        if (head > before)
            _syncPeers.Claim(peer.Id, blocks[^1].Number);
        SyncIfBehind();
        return Task.CompletedTask;
    }

    /// <returns>false when the block could not be imported now (a gap, or it does not validate here yet).</returns>
    private bool TryImport(Peer peer, Block block)
    {
        if (!_chain.HasGenesis)
            return false;
        var head = _chain.Head;
        if (block.Number <= head.Number)
            return true; // already have this height (ours or the same block)
        if (block.Number > head.Number + 1 || block.Header.ParentHash != head.Hash)
        {
            SyncIfBehind();
            return false;
        }
        if (_chain.Import(block, NowMs, _schedules.MembersAt(block.Header), signers => _schedules.CheckQuorum(block.Header, signers)) is { } rejection)
        {
            // Not scored: a follower whose settlement view lags refuses a valid block until its L1 catches up.
            _logger.LogInformation("L2 block {Number} {Hash} from {Peer} not imported: {Rejection}", block.Number, block.Hash, peer, rejection);
            return false;
        }
        _pool.RemoveCommitted(block.Transactions, _chain.GetAccount);
        _logger.LogDebug("Imported L2 block {Number} {Hash} from {Peer}", block.Number, block.Hash, peer);
        return true;
    }
}
