using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing;

/// <summary>
/// Block production when this node is the chain's only sequencer (regtest, or a chain deployed
/// with one): every block time, when the mempool holds transactions, the best of them go into a
/// block that is sealed, committed and removed from the pool (confirmed L1 deposits and messages
/// waiting count as work too); when idle, an empty heartbeat block at most every
/// <see cref="BlockProducerOptions.HeartbeatInterval"/>.
/// </summary>
public sealed class SingleSequencerProducer
{
    private readonly L2Blockchain _chain;
    private readonly TxPool _pool;
    private readonly PrivateKey _key;
    private readonly BlockProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SingleSequencerProducer> _logger;
    private string? _lastBlockedReason;

    public SingleSequencerProducer(L2Blockchain chain, TxPool pool, PrivateKey sequencerKey, BlockProducerOptions options, TimeProvider time, ILogger<SingleSequencerProducer> logger)
    {
        BlockedReason = () => null;
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(sequencerKey);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _chain = chain;
        _pool = pool;
        _key = sequencerKey;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Asked before every block: null to produce, else why not (e.g. the settlement layer says the chain is in emergency mode).</summary>
    public Func<string?> BlockedReason { get; set; }

    /// <summary>Produces blocks until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.BlockTime, _time);
        var lastBlock = _time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_pool.Count == 0 && !_chain.HasQueuedEntries() && _time.GetElapsedTime(lastBlock) < _options.HeartbeatInterval)
                    continue;
                var blocked = BlockedReason();
                if (blocked != _lastBlockedReason)
                {
                    if (blocked is null)
                        _logger.LogInformation("Block production resumes");
                    else
                        _logger.LogWarning("Block production stopped: {Reason}", blocked);
                    _lastBlockedReason = blocked;
                }
                if (blocked is not null)
                    continue;
                ProduceOne();
                lastBlock = _time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the block in progress, if any, was committed whole or not at all.
        }
    }

    /// <summary>Builds, seals and commits one block from the mempool; returns it.</summary>
    public ProducedBlock ProduceOne()
    {
        var candidates = _pool.SelectForBlock(_chain.NextBaseFee, _chain.GetAccount);
        var produced = _chain.Produce(candidates, (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(), _key);
        if (!_chain.TryCommit(produced))
        {
            // The tip moved while the block was built (an L1 reorganization reverted the chain): build again next tick.
            _logger.LogDebug("Discarded block {Number}: the tip moved while it was built", produced.Block.Number);
            return produced;
        }
        _pool.RemoveCommitted(produced.Block.Transactions, _chain.GetAccount);
        // Refused for a lasting reason (not "block full", "rate limited" or funds still to come): they would be offered again forever.
        var dropped = produced.Skipped.Where(s => s.Rejection.IsLasting).ToList();
        if (dropped.Count > 0)
        {
            _pool.Remove(dropped.Select(s => s.Transaction.Id));
            foreach (var (transaction, rejection) in dropped)
                _logger.LogDebug("Dropped {Transaction} from the mempool: {Rejection}", transaction.Id, rejection);
        }
        var block = produced.Block;
        _logger.LogInformation("Produced L2 block {Number} {Hash} with {Count} transactions, gas {Gas}, state root {Root}",
            block.Number, block.Hash, block.Transactions.Count, block.Header.GasUsed, block.Header.StateRoot.ToHex());
        return produced;
    }
}
