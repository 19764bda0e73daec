using System.Threading.Channels;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Discovery;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>
/// This sequencer's part in the epoch keys of a chain with an encrypted mempool
/// (doc/encrypted-mempool.md), over the P2P channel (<c>l2dkg</c>). At each L1 height that is a
/// multiple of <see cref="SettlementParameters.EpochKeyRunInterval"/>, when no run is under way and the
/// eligible set differs from the newest key's members, every member starts the same run: epoch
/// latest + 1, set height this height, members the set in address order with the keys of their
/// announcements. The run's messages are gossiped (each once, only when they count); its record is
/// posted on L1 by a member holding more than 2/3 of the signatures, the lower indices first. A run
/// ends with its record on L1, or when its set height is too old for one
/// (<see cref="SettlementParameters.MaxAnchorL1Age"/>); the next starts over. Thread-safe.
/// </summary>
public sealed class EpochKeyNetwork
{
    /// <summary>Messages kept for a run this node has not started yet (its L1 view is a block behind the sender's).</summary>
    private const int MaxPending = 512;

    /// <summary>Message ids remembered against gossip loops.</summary>
    private const int MaxSeen = 16_384;

    private readonly P2PNode _p2p;
    private readonly IL1Client _l1;
    private readonly ulong _chainId;
    private readonly SequencerRegistry _registry;
    private readonly PrivateKey _key;
    private readonly Address _self;
    private readonly EpochShareStore _shares;
    private readonly NetworkParameters _network;
    private readonly ILogger<EpochKeyNetwork> _logger;
    private readonly Lock _lock = new();
    private readonly Channel<ulong> _heights = Channel.CreateUnbounded<ulong>(new() { SingleReader = true });
    private readonly HashSet<Hash256> _seen = [];
    private readonly Queue<Hash256> _seenOrder = new();
    private readonly List<DkgMessage> _pending = [];
    private readonly FloodLimit _flood;
    private EpochKeyRun? _run;
    private bool _posted;

    public EpochKeyNetwork(P2PNode p2p, IL1Client l1, ulong chainId, SequencerRegistry registry, PrivateKey key, EpochShareStore shares, NetworkParameters network,
        TimeProvider time, ILogger<EpochKeyNetwork> logger)
    {
        ArgumentNullException.ThrowIfNull(p2p);
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(shares);
        ArgumentNullException.ThrowIfNull(network);
        (_p2p, _l1, _chainId, _registry, _key, _shares, _network, _logger) = (p2p, l1, chainId, registry, key, shares, network, logger);
        _self = Address.FromPublicKey(key.PublicKey.AsSpan());
        // A member sends a handful of messages per phase; every member relays each once.
        _flood = new FloodLimit(2_000, 200, time);
    }

    /// <summary>The run under way, if any (epoch, set height, phase results).</summary>
    public EpochKeyRun? Run
    {
        get
        {
            lock (_lock)
                return _run;
        }
    }

    /// <summary>This member's share of <paramref name="record"/>'s key, or null when it holds none.</summary>
    public KeyShare? ShareOf(EpochKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _shares.Get(record.ChainId, record.Epoch, record.SetHeight);
    }

    /// <summary>Registers the P2P handler (before the P2P node starts) and follows the L1 tip.</summary>
    public void Start()
    {
        _p2p.Register(EncryptionMessages.Dkg, OnMessageAsync);
        _l1.Changed += change =>
        {
            foreach (var block in change.Connected)
                _heights.Writer.TryWrite(block.Header.Height);
        };
    }

    /// <summary>Plays the runs as the L1 tip moves, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var height in _heights.Reader.ReadAllAsync(cancellationToken))
                OnHeight(height);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>L1 block <paramref name="height"/> was connected.</summary>
    public void OnHeight(ulong height)
    {
        var tip = _l1.Tip.Height;
        if (_l1.GetChain(_chainId) is not { Encryption: not EncryptionPolicy.Off })
            return;
        var latest = _l1.GetEpochKey(_chainId);
        List<DkgMessage> outgoing = [];
        lock (_lock)
        {
            if (_run is { } run)
            {
                if (latest is { } committed && committed.Epoch >= run.Epoch)
                    End(committed.SetHeight == run.SetHeight && committed.PublicKey.AsSpan().SequenceEqual(run.Computed?.PublicKey)
                        ? $"its key is committed at L1 height {committed.CommittedHeight}; {(run.Share is null ? "this node holds no share of it" : $"this node holds share {run.Index}")}"
                        : $"epoch {committed.Epoch} was committed by another run (set height {committed.SetHeight})");
                else if (height > run.SetHeight + _l1.Parameters.MaxAnchorL1Age)
                    End($"no record reached L1 before its set height grew too old (computed: {(run.Computed is null ? "no key" : "a key")})", LogLevel.Warning);
                else
                    outgoing.AddRange(run.OnHeight(height));
            }
            // A node catching up does not start runs at heights long gone: its messages would be late.
            if (_run is null && height == tip && height % _l1.Parameters.EpochKeyRunInterval == 0)
                outgoing.AddRange(TryStart(height, latest));
        }
        foreach (var message in outgoing)
            Send(message);
        PostIfHeld(tip);
    }

    private List<DkgMessage> TryStart(ulong height, EpochKeyRecord? latest)
    {
        if (_l1.EligibleSequencers(_chainId, height) is not { Count: > 0 } set)
            return [];
        var members = set.OrderBy(s => s.Address).ToList();
        var addresses = members.Select(m => m.Address).ToList();
        if (!addresses.Contains(_self) || latest is not null && latest.Members.SequenceEqual(addresses))
            return [];
        var announced = _registry.List().ToDictionary(k => k.Address, k => k.Announcement.PublicKey.ToArray());
        announced[_self] = _key.PublicKey.ToArray();
        if (addresses.Where(a => !announced.ContainsKey(a)).ToList() is { Count: > 0 } silent)
        {
            _logger.LogWarning("Epoch key: no run at L1 height {Height}: no announcement (and so no key) from {Silent}", height, string.Join(", ", silent));
            return [];
        }
        var epoch = (latest?.Epoch ?? 0) + 1;
        var run = new EpochKeyRun(_chainId, epoch, height, _l1.Parameters.EpochKeyPhaseBlocks, addresses, addresses.Select(a => announced[a]).ToList(),
            members.Select(m => StakeQuorum.Weight(m.Stake, m.Score)).ToList(), _key)
        {
            ShareComputed = share => _shares.Put(_chainId, epoch, height, share),
        };
        (_run, _posted) = (run, false);
        _logger.LogInformation("Epoch key: run for epoch {Epoch} of chain {Chain} started at L1 height {Height}: {Members} members, threshold {Threshold}, this node is member {Index}",
            epoch, _chainId, height, addresses.Count, ThresholdKey.ThresholdFor(addresses.Count), run.Index);
        var outgoing = run.OnHeight(height).ToList();
        // Messages that arrived before this node saw the set height.
        foreach (var early in _pending.Where(m => m.Epoch == epoch && m.SetHeight == height).ToList())
        {
            _pending.Remove(early);
            run.OnMessage(early);
        }
        _pending.RemoveAll(m => m.SetHeight <= height);
        return outgoing;
    }

    private void End(string outcome, LogLevel level = LogLevel.Information)
    {
        var run = _run!;
        _logger.Log(level, "Epoch key: run for epoch {Epoch} (set height {SetHeight}) ended: {Outcome}", run.Epoch, run.SetHeight, outcome);
        _run = null;
    }

    private Task OnMessageAsync(Peer peer, byte[] payload)
    {
        if (PeerMessages.Read(_p2p, _flood, peer, payload, b => DkgMessage.Decode(b), PeerOffence.BadDkgMessage, "DKG message") is not { } message
            || message.ChainId != _chainId || !Remember(new Hash256(Hashes.Sha256(payload))))
            return Task.CompletedTask;
        string? refusal = null;
        var counts = false;
        lock (_lock)
        {
            if (_run is { } run && run.Epoch == message.Epoch && run.SetHeight == message.SetHeight)
            {
                refusal = run.OnMessage(message);
                counts = refusal is null;
            }
            else if (message.SetHeight > (_run?.SetHeight ?? 0) && message.SetHeight <= _l1.Tip.Height + _l1.Parameters.EpochKeyPhaseBlocks)
            {
                // A run this node starts at its next L1 block: kept (bounded) and judged then.
                if (_pending.Count >= MaxPending)
                    _pending.RemoveAt(0);
                _pending.Add(message);
            }
        }
        if (refusal is not null)
            _p2p.Misbehaving(peer, PeerPenalties.Points(PeerOffence.BadDkgMessage), $"DKG message refused: {refusal}");
        else if (counts)
        {
            _p2p.Broadcast(EncryptionMessages.Dkg, payload, except: peer);
            PostIfHeld(_l1.Tip.Height);
        }
        return Task.CompletedTask;
    }

    private bool Remember(Hash256 id)
    {
        lock (_lock)
        {
            if (!_seen.Add(id))
                return false;
            _seenOrder.Enqueue(id);
            if (_seenOrder.Count > MaxSeen)
                _seen.Remove(_seenOrder.Dequeue());
            return true;
        }
    }

    private void Send(DkgMessage message)
    {
        var bytes = message.ToBytes();
        Remember(new Hash256(Hashes.Sha256(bytes)));
        _p2p.Broadcast(EncryptionMessages.Dkg, bytes);
    }

    /// <summary>
    /// Posts the record once this member holds more than 2/3 of the signatures: member i waits
    /// min(i − 1, phase blocks) L1 blocks into the signature phase, and not when the record is on L1
    /// or waiting in its mempool already, so the set posts it about once.
    /// </summary>
    private void PostIfHeld(ulong tip)
    {
        EpochKeyCall record;
        lock (_lock)
        {
            if (_run is not { } run || _posted || run.Record is not { } held)
                return;
            var signatureStart = run.SetHeight + (EpochKeyRun.Phases - 1) * run.PhaseBlocks;
            if (tip < signatureStart + Math.Min((ulong)run.Index - 1, run.PhaseBlocks) || _l1.PendingEpochKeys(_chainId).Contains(run.Epoch))
                return;
            (record, _posted) = (held, true);
        }
        var payload = record.ToBytes();
        var transaction = L1Transaction.Sign(L1TransactionKind.CommitEpochKey, _l1.PendingNonce(_self),
            _l1.Parameters.FeeFor(L1TransactionKind.CommitEpochKey, payload.Length), payload, _key, _network);
        if (_l1.Submit(transaction, refuseFailingCall: true) is { } refusal)
            _logger.LogWarning("Epoch key: the record of epoch {Epoch} was refused: {Refusal}", record.Epoch, refusal);
        else
            _logger.LogInformation("Epoch key: posted the record of epoch {Epoch} ({Signatures} signatures): L1 transaction {Id}",
                record.Epoch, record.Signatures.Count, transaction.Id);
    }
}
