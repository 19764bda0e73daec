using System.Collections.Concurrent;
using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Application;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Relay;

/// <summary>What sampling a batch found: how many random shards came back with a valid proof, how many with a false one, how many not at all.</summary>
public sealed record SampleReport(ulong ChainId, ulong Batch, int Requested, int Good, int Bad, int Missing, int Peers)
{
    /// <summary>
    /// With m = k parity shards the data is unavailable only if more than half of the shards are
    /// withheld, so each uniformly drawn shard that comes back halves the chance of being fooled: 1 − 2⁻ˢ.
    /// </summary>
    public double Confidence => Bad > 0 ? 0 : 1 - Math.Pow(2, -Good);
}

/// <summary>
/// Any full node serves any shard of an anchored batch with its Merkle proof (<c>getshard</c> →
/// <c>shard</c>), computed from the batch data on its settlement chain; a sampler asks random peers for
/// random shards and checks every proof against the DA root the anchor recorded. A peer whose proof
/// does not verify is scored as misbehaving; one that does not answer is only counted as missing.
/// </summary>
public sealed class ShardRelay
{
    private const int CachedBatches = 8;

    /// <summary>Misbehaviour points for a shard whose proof does not verify against the anchored root.</summary>
    public const int BadProofPenalty = 50;

    private readonly P2PNode _p2p;
    private readonly BatchQueries _batches;
    private readonly Random _random;
    private readonly ILogger<ShardRelay> _logger;
    private readonly ConcurrentDictionary<(long Peer, ulong Chain, ulong Batch, int Index), TaskCompletionSource<ShardProof?>> _pending = new();
    private readonly Lock _cacheLock = new();
    private readonly LinkedList<((ulong Chain, ulong Batch, Hash256 Root) Key, byte[][] Shards)> _cache = new();

    public ShardRelay(P2PNode p2p, BatchQueries batches, Random random, ILogger<ShardRelay> logger)
    {
        ArgumentNullException.ThrowIfNull(p2p);
        ArgumentNullException.ThrowIfNull(batches);
        _p2p = p2p;
        _batches = batches;
        _random = random;
        _logger = logger;
    }

    /// <summary>Registers the handlers; call before the P2P node starts.</summary>
    public void Start()
    {
        _p2p.Register(ShardMessages.GetShard, OnGetShard);
        _p2p.Register(ShardMessages.Shard, OnShard);
    }

    /// <summary>Shard <paramref name="index"/> of batch <paramref name="batch"/> with its proof, from this node's settlement chain; null when there is no such batch or shard.</summary>
    public ShardProof? LocalShard(ulong chainId, ulong batch, int index)
    {
        if (_batches.Batch(chainId, batch) is not { Succeeded: true } found)
            return null;
        var anchored = found.Value;
        var shards = ShardsOf(chainId, batch, anchored.Anchor.DataRoot, anchored.Call.Data);
        return index >= 0 && index < shards.Length ? ShardCommitment.Prove(shards, index) : null;
    }

    /// <summary>
    /// Asks connected peers for <paramref name="samples"/> distinct random shards of the batch (each from a
    /// random peer) and checks each proof against the anchor's DA root on this node's settlement chain.
    /// </summary>
    public async Task<Outcome<SampleReport>> SampleAsync(ulong chainId, ulong batch, int samples, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var found = _batches.Batch(chainId, batch);
        if (found.Error is { } error)
            return error;
        var anchor = found.Value.Anchor;
        var commitment = new ShardCommitment(anchor.DataRoot, anchor.DataLength);
        var peers = _p2p.Peers.Where(p => p.HandshakeComplete && p.CloseReason is null).ToList();
        var total = commitment.Layout.TotalShards;
        int[] indices;
        lock (_random)
            indices = Enumerable.Range(0, total).OrderBy(_ => _random.Next()).Take(Math.Min(samples, total)).ToArray();
        if (peers.Count == 0)
            return new SampleReport(chainId, batch, indices.Length, 0, 0, indices.Length, 0);
        var requests = indices.Select(index =>
        {
            Peer peer;
            lock (_random)
                peer = peers[_random.Next(peers.Count)];
            return (Peer: peer, Task: RequestAsync(peer, chainId, batch, index, timeout, cancellationToken));
        }).ToList();
        int good = 0, bad = 0, missing = 0;
        foreach (var (peer, task) in requests)
        {
            var proof = await task.ConfigureAwait(false);
            if (proof is null)
                missing++;
            else if (commitment.Verifies(proof))
                good++;
            else
            {
                bad++;
                _p2p.Misbehaving(peer, BadProofPenalty, $"shard {proof.Index} of batch {batch} does not verify against its DA root");
            }
        }
        return new SampleReport(chainId, batch, indices.Length, good, bad, missing, peers.Count);
    }

    private async Task<ShardProof?> RequestAsync(Peer peer, ulong chainId, ulong batch, int index, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var key = (peer.Id, chainId, batch, index);
        var reply = new TaskCompletionSource<ShardProof?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, reply))
            return await _pending[key].Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_p2p.Send(peer, ShardMessages.GetShard, ShardMessages.EncodeRequest(chainId, batch, index)))
                return null;
            return await reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    private Task OnGetShard(Peer peer, byte[] payload)
    {
        var (chainId, batch, index) = ShardMessages.DecodeRequest(payload);
        _p2p.Send(peer, ShardMessages.Shard, ShardMessages.EncodeReply(chainId, batch, index, LocalShard(chainId, batch, index)));
        return Task.CompletedTask;
    }

    private Task OnShard(Peer peer, byte[] payload)
    {
        var (chainId, batch, index, proof) = ShardMessages.DecodeReply(payload);
        // An answer nobody asked for (or one that came too late) is dropped unjudged.
        if (_pending.TryGetValue((peer.Id, chainId, batch, index), out var reply))
            reply.TrySetResult(proof);
        else
            _logger.LogDebug("Unrequested shard {Index} of batch {Batch} from {Peer} ignored", index, batch, peer);
        return Task.CompletedTask;
    }

    /// <summary>The shards of a batch's data, from a small cache (encoding a 1 MiB batch takes milliseconds; samplers ask for many shards of one batch).</summary>
    private byte[][] ShardsOf(ulong chainId, ulong batch, Hash256 root, byte[] data)
    {
        var key = (chainId, batch, root);
        lock (_cacheLock)
        {
            for (var node = _cache.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    _cache.Remove(node);
                    _cache.AddFirst(node);
                    return node.Value.Shards;
                }
            }
        }
        var shards = ShardCommitment.Shards(data);
        lock (_cacheLock)
        {
            _cache.AddFirst((key, shards));
            while (_cache.Count > CachedBatches)
                _cache.RemoveLast();
        }
        return shards;
    }
}
