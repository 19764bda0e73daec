using Cascoin.L2.Network;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Relay;

/// <summary>
/// Keeps the embedded settlement chain the same on every connected node: a new tip is pushed to
/// all peers (<c>l1block</c>), a block whose parent is unknown — or a peer that says it is ahead at
/// the handshake — starts a locator sync (<c>l1getblocks</c> → <c>l1blocks</c>, 200 blocks at a
/// time), and every transaction that enters the mempool is relayed (<c>l1tx</c>). The longest
/// valid chain wins on every node, so they converge after a partition heals. Loops end by
/// themselves: a node re-relays only what was new to it.
/// </summary>
public sealed class L1Relay
{
    private readonly P2PNode _p2p;
    private readonly L1Chain _chain;
    private readonly TimeProvider _time;
    private readonly ILogger<L1Relay> _logger;

    public L1Relay(P2PNode p2p, L1Chain chain, TimeProvider time, ILogger<L1Relay> logger)
    {
        ArgumentNullException.ThrowIfNull(p2p);
        ArgumentNullException.ThrowIfNull(chain);
        _p2p = p2p;
        _chain = chain;
        _time = time;
        _logger = logger;
    }

    /// <summary>Registers the handlers and starts relaying; call before the P2P node starts.</summary>
    public void Start()
    {
        _p2p.Register(L1RelayMessages.Block, OnBlock);
        _p2p.Register(L1RelayMessages.Transaction, OnTransaction);
        _p2p.Register(L1RelayMessages.GetBlocks, OnGetBlocks);
        _p2p.Register(L1RelayMessages.Blocks, OnBlocks);
        _p2p.PeerConnected += peer =>
        {
            if (peer.Version is { } version && version.BestL1Height > _chain.Height)
                RequestBlocks(peer);
        };
        // Only the new tip: a peer missing its ancestors asks for them.
        _chain.Changed += change =>
        {
            if (change.Connected.Count > 0)
                _p2p.Broadcast(L1RelayMessages.Block, change.Connected[^1].ToBytes());
        };
        _chain.TransactionAccepted += transaction => _p2p.Broadcast(L1RelayMessages.Transaction, transaction.ToBytes());
    }

    private ulong NowMs => (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds();

    private void RequestBlocks(Peer peer) => _p2p.Send(peer, L1RelayMessages.GetBlocks, L1RelayMessages.EncodeLocator(_chain.Locator()));

    private Task OnBlock(Peer peer, byte[] payload)
    {
        var block = L1Block.Decode(payload);
        Accept(peer, block);
        return Task.CompletedTask;
    }

    /// <returns>false when the block's ancestors are missing (a sync was requested).</returns>
    private bool Accept(Peer peer, L1Block block)
    {
        var (outcome, reason) = _chain.AcceptBlock(block, NowMs);
        switch (outcome)
        {
            case L1BlockAcceptance.MissingParent:
                RequestBlocks(peer);
                return false;
            case L1BlockAcceptance.Invalid:
                // Not scored: a block this node invalidated on purpose (invalidateblock) is honest elsewhere.
                _logger.LogInformation("L1 block {Hash} at height {Height} from {Peer} refused: {Reason}", block.Hash, block.Height, peer, reason);
                return true;
            case L1BlockAcceptance.Connected:
                _logger.LogDebug("L1 block {Hash} at height {Height} from {Peer} connected", block.Hash, block.Height, peer);
                return true;
            default:
                return true;
        }
    }

    private Task OnTransaction(Peer peer, byte[] payload)
    {
        var transaction = L1Transaction.Decode(payload);
        // A refusal is normal (already held, already mined, not yet valid here): nothing to relay.
        if (_chain.Submit(transaction) is { } error)
            _logger.LogDebug("L1 transaction {Id} from {Peer} not taken: {Error}", transaction.Id, peer, error);
        return Task.CompletedTask;
    }

    private Task OnGetBlocks(Peer peer, byte[] payload)
    {
        var locator = L1RelayMessages.DecodeLocator(payload);
        var blocks = _chain.BlocksAfter(locator, L1RelayMessages.MaxBlocksPerMessage);
        _p2p.Send(peer, L1RelayMessages.Blocks, L1RelayMessages.EncodeBlocks(blocks));
        return Task.CompletedTask;
    }

    private Task OnBlocks(Peer peer, byte[] payload)
    {
        var blocks = L1RelayMessages.DecodeBlocks(payload);
        foreach (var block in blocks)
        {
            if (!Accept(peer, block))
                return Task.CompletedTask;
        }
        // A full message means the peer has more.
        if (blocks.Count == L1RelayMessages.MaxBlocksPerMessage)
            RequestBlocks(peer);
        return Task.CompletedTask;
    }
}
