using Cascoin.L2.Chain;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing;
using Cascoin.L2.Sequencing.Consensus;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Derivation;
using Cascoin.L2.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

/// <summary>
/// Starts the L2 chain: creates or checks the genesis block before RPC answers, then runs block
/// production — the sequencer network on a deployed chain, the single-sequencer producer on the
/// development chain — the state pruner (woken by each committed block) and, for a node that follows
/// its peers, the fallback to L1 derivation when they withhold anchored blocks, and the fraud watcher
/// (doc/fraud-proofs.md), until the node stops.
/// </summary>
public sealed class L2ChainService : BackgroundService
{
    private readonly L2Blockchain _chain;
    private readonly SingleSequencerProducer _producer;
    private readonly StatePruner _pruner;
    private readonly SettlementMonitor? _settlement;
    private readonly SequencerNetwork? _sequencers;
    private readonly L1Derivation? _derivation;
    private readonly L1Fallback? _fallback;
    private readonly FraudWatcher? _watcher;
    private readonly TimeProvider _time;
    private readonly GenesisSpec _genesis;
    private readonly PrivateKey _sequencerKey;
    private readonly NetworkParameters _network;
    private readonly ILogger<L2ChainService> _logger;

    public L2ChainService(L2Blockchain chain, SingleSequencerProducer producer, StatePruner pruner, SettlementMonitor? settlement, SequencerNetwork? sequencers,
        L1Derivation? derivation, L1Fallback? fallback, FraudWatcher? watcher, GenesisSpec genesis, PrivateKey sequencerKey, NetworkParameters network, TimeProvider time, ILogger<L2ChainService> logger)
    {
        _derivation = derivation;
        _fallback = fallback;
        _watcher = watcher;
        _time = time;
        _chain = chain;
        _producer = producer;
        _pruner = pruner;
        _settlement = settlement;
        _sequencers = sequencers;
        _genesis = genesis;
        _sequencerKey = sequencerKey;
        _network = network;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _chain.EnsureGenesis(_genesis);
        }
        catch (InvalidOperationException ex)
        {
            throw new NodeStartupException(ex.Message, ex);
        }
        // Deriving from L1, the node neither produces nor follows peers, and its monitor stays idle: the derivation follows L1 reorganizations itself.
        if (_settlement is not null && _derivation is null)
        {
            _settlement.Start();
            _producer.BlockedReason = _settlement.ProductionBlockedReason;
            if (_sequencers is not null)
            {
                _sequencers.BlockedReason = _settlement.ProductionBlockedReason;
                _sequencers.EvidenceFound = _settlement.ReportDoubleSign;
            }
        }
        var head = _chain.Head;
        _logger.LogInformation("L2 chain {ChainId}: head block {Number} {Hash}, state root {Root}; sequencer {Sequencer}, block time {BlockTime} ms",
            _chain.Parameters.ChainId, head.Number, head.Hash, head.StateRoot.ToHex(),
            Address.FromPublicKey(_sequencerKey.PublicKey.AsSpan()).ToBase58(_network), _chain.Parameters.BlockTime.TotalMilliseconds);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _chain.BlockCommitted += (_, _) => _pruner.NotifyCommitted();
        var pruning = _pruner.RunAsync(stoppingToken);
        var settling = _derivation is null ? _settlement?.RunAsync(stoppingToken) ?? Task.CompletedTask : Task.CompletedTask;
        var fallingBack = _derivation is null && _settlement is { IsDeployed: true } ? _fallback?.RunAsync(_time, stoppingToken) ?? Task.CompletedTask : Task.CompletedTask;
        var watching = _settlement is { IsDeployed: true } ? _watcher?.RunAsync(stoppingToken) ?? Task.CompletedTask : Task.CompletedTask;
        try
        {
            if (_derivation is not null)
            {
                _logger.LogInformation("L2 blocks are derived from the settlement chain's batches alone (-l2sync=l1); blocks from peers are ignored");
                await _derivation.RunAsync(_time, stoppingToken);
            }
            else if (_sequencers is not null)
                await _sequencers.RunAsync(stoppingToken);
            else
                await _producer.RunAsync(stoppingToken);
        }
        finally
        {
            try
            {
                await pruning;
                await settling;
                await fallingBack;
                await watching;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: a pruning batch is one write batch, so none is left half done.
            }
        }
    }
}
