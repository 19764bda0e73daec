using System.Threading.Channels;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Contracts;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>Regtest fault injection for the encrypted mempool (never set otherwise).</summary>
public sealed record EnvelopeOpenerOptions
{
    /// <summary>-l2withholdshares: make no decryption shares, as a sequencer that withholds them would.</summary>
    public bool Withhold { get; init; }

    /// <summary>-l2badshares: send batches whose first share is wrong, as a sequencer that tries to break the decryption would.</summary>
    public bool Corrupt { get; init; }

    /// <summary>-l2earlyshares: release batches that name no certificate, as a member that made them before its block was final would.</summary>
    public bool Early { get; init; }
}

/// <summary>
/// The decryption of ordered envelopes (doc/encrypted-mempool.md). When a block with envelopes is final
/// here, this member makes its shares of them (one batch per key epoch, one proof) and gossips them on
/// <c>l2decshare</c>; never before, since a share of a block that is not final reveals envelopes whose
/// order is not fixed. The next block's leader combines any t batches into each envelope's secret
/// (optimistically: the key commitments tell whether the result is right) and opens the envelopes
/// first. A batch whose proof fails is dropped and costs its sender peer score; a withheld batch only
/// waits for another member's. When checked batches give a secret that an envelope's commitment does
/// not match (its sender wrote a false one), the leader asks for single shares of that envelope, t of
/// which prove that it opens to nothing. Each batch carries its member's signed release naming the
/// commit certificate it held: the signature is checked on arrival, the certificate once the block is
/// final here, and a release whose certificate does not certify the block is reported on L1
/// (<see cref="ShareReleaseCheck"/>).
/// (A batch that arrives while the block is being committed may miss that check: a missed report,
/// never a wrong one.) Thread-safe.
/// </summary>
public sealed class EnvelopeOpener
{
    /// <summary>Blocks whose shares are kept (an opening waits a block or two; what waits longer is sent again).</summary>
    private const int KeptBlocks = 64;

    private readonly P2PNode _p2p;
    private readonly L2Blockchain _chain;
    private readonly IL1Client _l1;
    private readonly EpochKeyNetwork _keys;
    private readonly EnvelopeOpenerOptions _options;
    private readonly ILogger<EnvelopeOpener> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<(Hash256 Block, ulong Epoch), BlockShares> _shares = [];
    private readonly Queue<(Hash256, ulong)> _order = new();
    private readonly Channel<Block> _final = Channel.CreateUnbounded<Block>(new() { SingleReader = true });
    private readonly FloodLimit _flood;
    private readonly PrivateKey _key;
    private readonly ShareReleaseCheck _releases;

    public EnvelopeOpener(P2PNode p2p, L2Blockchain chain, IL1Client l1, EpochKeyNetwork keys, PrivateKey key, NetworkParameters network, EnvelopeOpenerOptions options,
        TimeProvider time, ILogger<EnvelopeOpener> logger)
    {
        ArgumentNullException.ThrowIfNull(p2p);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        (_p2p, _chain, _l1, _keys, _key, _options, _logger) = (p2p, chain, l1, keys, key, options, logger);
        _releases = new ShareReleaseCheck(chain, l1, key, network, logger);
        // Every member's batch per block, relayed once by each peer, and a few single shares.
        _flood = new FloodLimit(4_000, 1_000, time);
    }

    private ulong ChainId => _chain.Parameters.ChainId;

    /// <summary>Registers the P2P handler (before the P2P node starts), follows final blocks and gives the chain its openings.</summary>
    public void Start()
    {
        // A chain without an encrypted mempool has no envelopes: no share, no state read per block.
        if (_chain.Parameters.Encryption == EncryptionPolicy.Off)
            return;
        _p2p.Register(DecryptionShareMessage.Command, OnMessageAsync);
        _chain.BlockCommitted += (block, _) =>
        {
            if (block.Transactions.Any(t => t.Type == TransactionType.Envelope) || _chain.Envelopes.Waiting > 0)
                _final.Writer.TryWrite(block);
        };
        _chain.OpenEnvelopes = Openings;
    }

    /// <summary>
    /// Makes this member's shares of each final block with envelopes, until cancelled. (Combining waits
    /// for the leader that needs it: every member combining every block costs the set more CPU than the
    /// leader's wait costs time, measured with cascoin-bench e2e --encrypted.)
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var block in _final.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    CheckKeptReleases(block);
                    Share(block);
                    ShareAgainIfStuck(block.Number);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _logger.LogError(ex, "Decryption shares of L2 block {Number} failed", block.Number);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>This member's batch for each key epoch of a final block's envelopes.</summary>
    private void Share(Block block)
    {
        foreach (var (epoch, envelopes) in EnvelopesByEpoch(block))
        {
            if (_l1.GetEpochKey(ChainId, epoch) is not { } record || _keys.ShareOf(record) is not { } share || _options.Withhold)
                continue;
            if (Batch(block, epoch, envelopes) is not { } batch)
                continue;
            var bytes = BatchDecryptionShare.Create(share, batch);
            if (_options.Corrupt)
                bytes[7] ^= 1; // the first D_i: its proof no longer checks
            var message = new DecryptionShareMessage(ChainId, block.Number, block.Hash, epoch, DecryptionShareKind.Batch, 0, bytes)
            {
                // The certificate this node committed the block with: its release says the block was final.
                Certificate = _options.Early ? CommitCertificate.Empty : block.Certificate,
            };
            message = message with { Signature = _key.SignRecoverable(message.ReleaseDigest.ToArray()).ToArray() };
            Take(message, null);
            _p2p.Broadcast(DecryptionShareMessage.Command, message.ToBytes());
        }
    }

    /// <summary>
    /// Envelopes that still wait several blocks after theirs (too few members sent shares, or this
    /// node's kept shares were evicted while they waited): this member sends its batch for that block
    /// again every few blocks, so the openings heal once t members are back.
    /// </summary>
    private void ShareAgainIfStuck(ulong head)
    {
        if (_chain.WaitingEnvelopes() is not [var (_, oldest), ..] || oldest.Block + ResendAfter > head || (head - oldest.Block) % ResendAfter != 0)
            return;
        if (_chain.GetBlock(oldest.Block) is { } stuck)
        {
            _logger.LogInformation("Envelopes of L2 block {Number} still wait to be opened {Blocks} blocks later: sending this member's shares again", stuck.Number, head - stuck.Number);
            Share(stuck);
        }
    }

    /// <summary>Blocks after which a member sends its shares of still-waiting envelopes again.</summary>
    private const ulong ResendAfter = 8;

    private static IEnumerable<(ulong Epoch, List<Transaction> Envelopes)> EnvelopesByEpoch(Block block) =>
        block.Transactions.Where(t => t.Type == TransactionType.Envelope)
            .GroupBy(t => Envelope.Parse(t)!.Value.Epoch)
            .Select(g => (g.Key, g.ToList()));

    private CiphertextBatch? Batch(Block block, ulong epoch, List<Transaction> envelopes) =>
        CiphertextBatch.OfOrdered(envelopes.Select(e => Envelope.Parse(e)!.Value.Ciphertext).ToList(),
            envelopes.Select(e => Envelope.LabelOf(e, e.Sender!.Value, epoch)).ToList(),
            ShareRelease.Context(ChainId, block.Number, block.Hash, epoch));

    private Task OnMessageAsync(Peer peer, byte[] payload)
    {
        if (PeerMessages.Read(_p2p, _flood, peer, payload, b => DecryptionShareMessage.Decode(b), PeerOffence.BadDecryptionShare, "decryption share message") is not { } message
            || message.ChainId != ChainId)
            return Task.CompletedTask;
        // Not relayed: each member sends its own shares to its peers (the sequencers reach one another),
        // so a share that fails its proof is always charged to the peer that made it, never to a relay.
        if (message.Kind == DecryptionShareKind.Request)
            AnswerRequest(peer, message);
        else
            Take(message, peer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Keeps a batch or single share (its proof unchecked: checked when a combination needs it); true
    /// when it is new. A peer's batch for a block final here has its release checked first; one for a
    /// block not final here yet is checked when it is (<see cref="CheckKeptReleases"/>).
    /// </summary>
    private bool Take(DecryptionShareMessage message, Peer? from)
    {
        // Only for blocks this node has or is about to have: junk for made-up blocks cannot evict real shares.
        if (message.Kind == DecryptionShareKind.Batch && message.Share.Length < 2 || message.Block > _chain.Head.Number + 2)
            return false;
        var member = message.Kind == DecryptionShareKind.Batch ? (message.Share[0] << 8) | message.Share[1] : ThresholdEncryption.ShareIndex(message.Share) ?? -1;
        var final = _chain.GetBlock(message.Block);
        if (final is not null && final.Hash != message.BlockHash)
        {
            // Shares of a block that is not the final one at its height: released before finality.
            _logger.LogWarning("Decryption shares of member {Member} for L2 block {Number} {Hash}, which is not final (the final block is {Final}): shares released before finality",
                member, message.Block, message.BlockHash, final.Hash);
            return false;
        }
        var peerBatch = message.Kind == DecryptionShareKind.Batch && from is not null;
        var record = peerBatch ? _l1.GetEpochKey(ChainId, message.Epoch) : null;
        if (record is not null && !ShareReleaseCheck.IsSigned(message, member, record))
        {
            // Before it can take the member's place: a batch its member did not sign is nobody's.
            _p2p.Misbehaving(from!, PeerPenalties.Points(PeerOffence.BadDecryptionShare), $"a batch of decryption shares for L2 block {message.Block} that member {member} did not sign");
            return false;
        }
        // The signature is checked once: here when the epoch's key is known, else with the certificate.
        var signed = record is not null;
        var checkedNow = peerBatch && final is not null;
        if (checkedNow && !ReleaseHolds(message, member, final!, from, signed))
            return false;
        lock (_lock)
        {
            var shares = SharesOf(message.BlockHash, message.Epoch);
            if (message.Kind != DecryptionShareKind.Batch)
                return shares.Singles.TryAdd((message.Index, member), message.Share);
            if (!shares.Batches.TryAdd(member, (message.Share, from)))
                return false;
            if (from is not null && !checkedNow)
                shares.Unchecked[member] = (message, signed);
            return true;
        }
    }

    /// <summary>The releases of peers' batches kept before <paramref name="block"/> was final here, checked now that it is.</summary>
    private void CheckKeptReleases(Block block)
    {
        foreach (var (epoch, _) in EnvelopesByEpoch(block))
        {
            List<(int Member, DecryptionShareMessage Message, bool Signed, Peer? From)> kept;
            lock (_lock)
            {
                var shares = SharesOf(block.Hash, epoch);
                kept = [.. shares.Unchecked.Select(u => (u.Key, u.Value.Message, u.Value.Signed, shares.Batches.TryGetValue(u.Key, out var batch) ? batch.From : null))];
                shares.Unchecked.Clear();
            }
            foreach (var (member, message, signed, from) in kept)
            {
                if (!ReleaseHolds(message, member, block, from, signed))
                {
                    lock (_lock)
                        SharesOf(block.Hash, epoch).Batches.Remove(member);
                }
            }
        }
    }

    /// <summary>
    /// Whether a peer's batch comes with a release that holds (<see cref="ShareReleaseCheck"/>): an
    /// unsigned one is dropped and its peer scored; an early one is also reported on L1.
    /// </summary>
    private bool ReleaseHolds(DecryptionShareMessage message, int member, Block block, Peer? from, bool signed)
    {
        if (_l1.GetEpochKey(ChainId, message.Epoch) is not { } record || member < 1 || member > record.Members.Count)
            return true; // not a member's batch: its proof fails when a combination checks it
        // The envelopes' points only for evidence: a release that holds costs no parsing.
        IReadOnlyList<byte[]> Points() =>
            [.. EnvelopesByEpoch(block).Where(e => e.Epoch == message.Epoch).SelectMany(e => e.Envelopes).Select(e => Envelope.Parse(e)!.Value.Ciphertext[..33])];
        var outcome = _releases.Check(message, member, block, record, Points, signed);
        if (outcome != ShareReleaseCheck.Outcome.Holds && from is not null)
        {
            var reason = outcome == ShareReleaseCheck.Outcome.Unsigned ? "is not signed by its member" : "names a certificate that does not certify the block";
            _p2p.Misbehaving(from, PeerPenalties.Points(PeerOffence.BadDecryptionShare), $"the release of member {member}'s decryption shares of L2 block {block.Number} {reason}");
        }
        return outcome == ShareReleaseCheck.Outcome.Holds;
    }

    private BlockShares SharesOf(Hash256 block, ulong epoch)
    {
        if (!_shares.TryGetValue((block, epoch), out var shares))
        {
            _shares[(block, epoch)] = shares = new BlockShares();
            _order.Enqueue((block, epoch));
            while (_order.Count > KeptBlocks)
                _shares.Remove(_order.Dequeue());
        }
        return shares;
    }

    /// <summary>A leader asks for single shares of one envelope of a final block: answered when this node is a member and the block is final here.</summary>
    private void AnswerRequest(Peer peer, DecryptionShareMessage request)
    {
        if (_options.Withhold || _chain.GetBlock(request.Block) is not { } block || block.Hash != request.BlockHash
            || _l1.GetEpochKey(ChainId, request.Epoch) is not { } record || _keys.ShareOf(record) is not { } share)
            return;
        var envelopes = EnvelopesByEpoch(block).FirstOrDefault(e => e.Epoch == request.Epoch).Envelopes;
        if (envelopes is null || request.Index >= envelopes.Count)
            return;
        var envelope = envelopes[(int)request.Index];
        var (epoch, ciphertext) = Envelope.Parse(envelope)!.Value;
        if (ThresholdEncryption.CreateShare(share, ciphertext, Envelope.LabelOf(envelope, envelope.Sender!.Value, epoch)) is not { } single)
            return;
        _p2p.Send(peer, DecryptionShareMessage.Command, (request with { Kind = DecryptionShareKind.Single, Share = single }).ToBytes());
    }

    /// <summary>The openings of the waiting envelopes this node can make now: a prefix, in order.</summary>
    private List<Transaction> Openings(IReadOnlyList<(ulong Sequence, QueuedEnvelope Envelope)> waiting)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var openings = OpeningsOf(waiting);
        _logger.LogDebug("Openings of {Count} of {Waiting} waiting envelopes made in {Ms:F1} ms", openings.Count, waiting.Count,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return openings;
    }

    private List<Transaction> OpeningsOf(IReadOnlyList<(ulong Sequence, QueuedEnvelope Envelope)> waiting)
    {
        var openings = new List<Transaction>(waiting.Count);
        foreach (var group in waiting.GroupBy(w => w.Envelope.Block))
        {
            if (_chain.GetBlock(group.Key) is not { } block)
                return openings;
            foreach (var (sequence, queued) in group)
            {
                if (Opening(block, sequence, queued) is not { } opening)
                    return openings;
                openings.Add(opening);
            }
        }
        return openings;
    }

    private Transaction? Opening(Block block, ulong sequence, QueuedEnvelope queued)
    {
        var (epoch, ciphertext) = Envelope.Parse(queued.Envelope)!.Value;
        BlockShares shares;
        lock (_lock)
            shares = SharesOf(block.Hash, epoch);
        if ((shares.Record ??= _l1.GetEpochKey(ChainId, epoch)) is not { } record)
            return null;
        // The block's envelopes of this epoch and their positions, worked out once per block.
        var envelopes = shares.Envelopes ??= EnvelopesByEpoch(block).First(e => e.Epoch == epoch).Envelopes;
        var positions = shares.Positions ??= envelopes.Select((e, i) => (e.Id, i)).ToDictionary(p => p.Id, p => p.i);
        if (!positions.TryGetValue(queued.Envelope.Id, out var index))
            return null;
        if (Secrets(block, epoch, envelopes, record, shares) is not { } secrets)
            return null;
        if (secrets[index] is { } secret)
            return Decryption.WithSecret(ChainId, sequence, secret);
        // Checked batches give a secret the commitment does not match: t single shares prove it.
        var label = Envelope.LabelOf(queued.Envelope, queued.Sender, epoch);
        List<byte[]> singles;
        bool ask;
        lock (_lock)
        {
            singles = shares.Singles.Where(s => s.Key.Index == index).Select(s => s.Value).ToList();
            ask = shares.Requested.Add((uint)index);
        }
        var valid = singles.Where(s => ThresholdEncryption.VerifyShare(record.Key, ciphertext, label, s)).Take(record.Threshold).ToList();
        if (valid.Count == record.Threshold)
            return Decryption.WithShares(ChainId, sequence, valid);
        if (ask)
            _p2p.Broadcast(DecryptionShareMessage.Command, new DecryptionShareMessage(ChainId, block.Number, block.Hash, epoch, DecryptionShareKind.Request, (uint)index, []).ToBytes());
        return null;
    }

    /// <summary>
    /// The block's secrets once t batches combine: the first t by arrival, optimistically; when they do
    /// not give t checked batches, every batch is checked, the invalid ones are dropped and their
    /// senders scored, and the next try waits for more.
    /// </summary>
    private byte[]?[]? Secrets(Block block, ulong epoch, List<Transaction> envelopes, EpochKeyRecord record, BlockShares shares)
    {
        List<(int Member, byte[] Batch, Peer? From)> batches;
        lock (_lock)
        {
            if (shares.Secrets is { } known)
                return known;
            batches = shares.Batches.Where(b => b.Key >= 1 && b.Key <= record.Members.Count).Select(b => (b.Key, b.Value.Batch, b.Value.From)).ToList();
        }
        if (batches.Count < record.Threshold || Batch(block, epoch, envelopes) is not { } ciphertexts)
            return null;
        var key = record.Key;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var secrets = BatchDecryptionShare.CombineSecrets(key, ciphertexts, batches.Take(record.Threshold).Select(b => b.Batch));
        _logger.LogDebug("Combined the shares of L2 block {Number}'s {Count} envelopes in {Ms:F1} ms", block.Number, envelopes.Count,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (secrets is null)
        {
            var invalid = BatchDecryptionShare.Invalid(key, ciphertexts, batches.Select(b => b.Batch)).ToHashSet();
            lock (_lock)
            {
                foreach (var bad in batches.Where(b => invalid.Contains(b.Member)))
                {
                    shares.Batches.Remove(bad.Member);
                    _logger.LogWarning("Refused the decryption shares of member {Member} for L2 block {Number}: their proof does not check{From}",
                        bad.Member, block.Number, bad.From is null ? " (this node's own)" : $" (from peer {bad.From.Id})");
                    if (bad.From is { } peer)
                        _p2p.Misbehaving(peer, PeerPenalties.Points(PeerOffence.BadDecryptionShare), $"invalid decryption shares of member {bad.Member} for L2 block {block.Number}");
                }
            }
            return null;
        }
        lock (_lock)
            shares.Secrets = secrets;
        return secrets;
    }

    private sealed class BlockShares
    {
        public Dictionary<int, (byte[] Batch, Peer? From)> Batches { get; } = [];

        public Dictionary<(uint Index, int Member), byte[]> Singles { get; } = [];

        /// <summary>Peers' batches kept before the block was final here, whose releases are checked when it is.</summary>
        public Dictionary<int, (DecryptionShareMessage Message, bool Signed)> Unchecked { get; } = [];

        public HashSet<uint> Requested { get; } = [];

        public byte[]?[]? Secrets { get; set; }

        public EpochKeyRecord? Record { get; set; }

        public List<Transaction>? Envelopes { get; set; }

        public Dictionary<Hash256, int>? Positions { get; set; }
    }
}
