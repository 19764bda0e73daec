using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Crypto;
using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Rpc;
using Cascoin.L2.Rpc.Modules;
using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Sequencing;
using Cascoin.L2.Sequencing.Consensus;
using Cascoin.L2.Sequencing.Election;
using Cascoin.L2.Sequencing.Encryption;
using Cascoin.L2.Sequencing.Relay;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Derivation;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State;
using Cascoin.L2.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

public static class ChainServices
{
    /// <summary>
    /// The wallet (always), and on a node that runs an L2 chain: state, chain, mempool, the
    /// sequencer key and block producer, and the l2_* RPC methods.
    /// </summary>
    public static IServiceCollection AddCascoinChain(this IServiceCollection services, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.RunsEmbeddedSettlement || settings.RunsL2Chain)
            services.AddSingleton(_ => SequencerKeyFile.LoadOrCreate(settings.SequencerKeyPath, settings.Network));
        services.AddSingleton(provider =>
        {
            var wallet = OpenWallet(settings);
            // The sequencer key signs deployments, stakes and anchors and receives mined rewards, so
            // wallet calls may spend from it; it stays in sequencer.key, not in wallet.keys.
            if (provider.GetService<PrivateKey>() is { } sequencerKey)
                wallet.AddUnsaved(sequencerKey);
            return wallet;
        });
        services.AddSingleton<IRpcModule, WalletRpcModule>();
        if (!settings.RunsL2Chain)
            return services;

        services.AddSingleton(provider => ChainParametersFor(settings, provider.GetService<L1Chain>()));
        services.AddSingleton(provider => GenesisFor(settings, provider.GetService<L1Chain>()));
        // Dormant-account archiving stays off here: restoring an archived account needs a user-facing
        // restore transaction, which does not exist yet, so an archived account could not be paid.
        services.AddSingleton(provider => new StateManager(
            provider.GetRequiredService<NodeDatabase>(), new StateOptions(), provider.GetRequiredService<ILogger<StateManager>>()));
        services.AddSingleton(provider => new L2Blockchain(provider.GetRequiredService<ChainParameters>(), provider.GetRequiredService<NodeDatabase>(),
            provider.GetRequiredService<StateManager>(), provider.GetRequiredService<ILogger<L2Blockchain>>())
        {
            FaultyAt = settings.L2FaultyRoot,
        });
        services.AddSingleton(provider => new TxPool(provider.GetRequiredService<ChainParameters>(), new TxPoolOptions { MaxTransactions = settings.MaxMempoolTransactions }));
        if (settings.RunsEmbeddedSettlement)
        {
            services.AddSingleton(provider => new SettlementMonitor(
                provider.GetRequiredService<IL1Client>(),
                provider.GetRequiredService<L2Blockchain>(),
                provider.GetRequiredService<TxPool>(),
                provider.GetRequiredService<PrivateKey>(),
                settings.Network,
                provider.GetRequiredService<ILogger<SettlementMonitor>>()));
            // A deployed chain is shared with the other nodes that follow it; the development chain is this node's alone.
            if (settings.EffectiveL2ChainId != DevelopmentChain.ChainId)
            {
                services.AddSingleton(provider =>
                {
                    var chain = provider.GetRequiredService<L2Blockchain>();
                    var schedules = new SequencerSchedules(chain, provider.GetRequiredService<IL1Client>());
                    // From now on blocks carry their parent's certificate, and its signers share the fees.
                    chain.SetWeights = schedules.WeightsFor;
                    return schedules;
                });
                // The node watches itself: withdrawal surges, reputation drops, failovers, pauses, anchors its execution disagrees with.
                services.AddSingleton(provider => new Monitoring.SecurityMonitor(provider.GetRequiredService<L2Blockchain>(), provider.GetRequiredService<L1Chain>(),
                    provider.GetRequiredService<Sequencing.Monitoring.AlertLog>(), provider.GetRequiredService<TimeProvider>(), settings.Network,
                    provider.GetRequiredService<ILogger<Monitoring.SecurityMonitor>>()));
                services.AddHostedService(provider =>
                {
                    var monitor = provider.GetRequiredService<Monitoring.SecurityMonitor>();
                    provider.GetRequiredService<FraudWatcher>().FraudFound += monitor.OnAnchorDisagreement;
                    return monitor;
                });
                // Every node checks anchors against its own execution and defends its signers' anchors; with -l2challenge it challenges too.
                services.AddSingleton(provider => new FraudWatcher(provider.GetRequiredService<L1Chain>(), provider.GetRequiredService<L2Blockchain>(),
                    provider.GetRequiredService<StateManager>().Tree, provider.GetRequiredService<PrivateKey>(), settings.Network,
                    provider.GetRequiredService<ILoggerFactory>().CreateLogger<FraudWatcher>())
                {
                    Challenge = settings.L2Challenge,
                });
                if (settings.L2SyncFromL1)
                {
                    // Blocks come from the settlement chain's batches alone: no relay of L2 blocks, no consensus.
                    services.AddSingleton(provider =>
                    {
                        provider.GetRequiredService<SequencerSchedules>();
                        return new L1Derivation(provider.GetRequiredService<L1Chain>(), provider.GetRequiredService<L2Blockchain>(),
                            provider.GetRequiredService<ILoggerFactory>().CreateLogger<L1Derivation>());
                    });
                    return AddProduction(services, settings);
                }
                // Peers that withhold anchored blocks cannot keep this node from them: it derives them from L1.
                services.AddSingleton(provider => new L1Fallback(provider.GetRequiredService<L1Chain>(), provider.GetRequiredService<L2Blockchain>(),
                    provider.GetRequiredService<ILoggerFactory>().CreateLogger<L1Fallback>())
                {
                    Stall = settings.Network.Kind == Primitives.NetworkKind.Regtest ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30),
                });
                services.AddSingleton(provider => new L2Relay(provider.GetRequiredService<Network.P2PNode>(), provider.GetRequiredService<L2Blockchain>(),
                    provider.GetRequiredService<TxPool>(), provider.GetRequiredService<SequencerSchedules>(), provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILogger<L2Relay>>()));
                services.AddSingleton(provider =>
                {
                    var network = new SequencerNetwork(provider.GetRequiredService<Network.P2PNode>(), provider.GetRequiredService<L2Blockchain>(),
                        provider.GetRequiredService<TxPool>(), provider.GetRequiredService<SequencerSchedules>(),
                        new SigningJournal(provider.GetRequiredService<NodeDatabase>()), provider.GetRequiredService<PrivateKey>(),
                        new ConsensusOptions
                        {
                            BlockTime = provider.GetRequiredService<ChainParameters>().BlockTime,
                            LeaderTimeout = settings.L2LeaderTimeout,
                            Equivocate = settings.L2Equivocate,
                            Endpoint = $"127.0.0.1:{settings.P2PPort}",
                        },
                        provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<SequencerNetwork>>());
                    // The votes it hears feed the collusion detector, one reputation epoch at a time (doc/monitoring.md).
                    var watch = new Sequencing.Monitoring.CollusionWatch(provider.GetRequiredService<Sequencing.Monitoring.AlertLog>(),
                        provider.GetRequiredService<ChainParameters>().ReputationEpochBlocks);
                    network.VoteObserved += watch.Observe;
                    return network;
                });
                // On a chain with an encrypted mempool, the sequencers make each epoch's key together (it idles on others).
                services.AddSingleton(provider => new EpochKeyNetwork(provider.GetRequiredService<Network.P2PNode>(), provider.GetRequiredService<IL1Client>(),
                    settings.EffectiveL2ChainId, provider.GetRequiredService<SequencerNetwork>().Registry, provider.GetRequiredService<PrivateKey>(),
                    new EpochShareStore(provider.GetRequiredService<NodeDatabase>()), settings.Network, provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILogger<EpochKeyNetwork>>()));
                services.AddSingleton(provider => new EnvelopeOpener(provider.GetRequiredService<Network.P2PNode>(), provider.GetRequiredService<L2Blockchain>(),
                    provider.GetRequiredService<IL1Client>(), provider.GetRequiredService<EpochKeyNetwork>(), provider.GetRequiredService<PrivateKey>(), settings.Network,
                    new EnvelopeOpenerOptions { Withhold = settings.L2WithholdShares, Corrupt = settings.L2BadShares, Early = settings.L2EarlyShares },
                    provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILogger<EnvelopeOpener>>()));
            }
        }
        return AddProduction(services, settings);
    }

    /// <summary>The block producer, the pruner and the hosted service that starts the chain and runs them (or the derivation from L1), and the l2_* RPC methods.</summary>
    private static IServiceCollection AddProduction(IServiceCollection services, NodeSettings settings)
    {
        services.AddSingleton(provider => new SingleSequencerProducer(
            provider.GetRequiredService<L2Blockchain>(),
            provider.GetRequiredService<TxPool>(),
            provider.GetRequiredService<PrivateKey>(),
            new BlockProducerOptions { BlockTime = provider.GetRequiredService<ChainParameters>().BlockTime },
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<SingleSequencerProducer>>()));
        services.AddSingleton(provider => new StatePruner(provider.GetRequiredService<StateManager>(), provider.GetRequiredService<ILogger<StatePruner>>()));
        services.AddHostedService(provider => new L2ChainService(
            provider.GetRequiredService<L2Blockchain>(),
            provider.GetRequiredService<SingleSequencerProducer>(),
            provider.GetRequiredService<StatePruner>(),
            provider.GetService<SettlementMonitor>(),
            provider.GetService<SequencerNetwork>(),
            provider.GetService<L1Derivation>(),
            provider.GetService<L1Fallback>(),
            provider.GetService<FraudWatcher>(),
            provider.GetRequiredService<GenesisSpec>(),
            provider.GetRequiredService<PrivateKey>(),
            settings.Network,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<L2ChainService>>()));
        services.AddHostedService(provider => new Rpc.WebSockets.SubscriptionFeeds(
            provider.GetRequiredService<Rpc.WebSockets.SubscriptionHub>(),
            provider.GetRequiredService<L2Blockchain>(),
            provider.GetRequiredService<TxPool>(),
            provider.GetService<Settlement.Application.SettlementQueries>(),
            settings.Network,
            provider.GetRequiredService<ILogger<Rpc.WebSockets.SubscriptionFeeds>>()));
        services.AddSingleton<IRpcModule, L2RpcModule>();
        return services;
    }

    /// <summary>
    /// The development chain's parameters are the network's defaults; a deployed chain's come from
    /// its registry record on the settlement chain (-l2blocktime still overrides the block time).
    /// </summary>
    private static ChainParameters ChainParametersFor(NodeSettings settings, L1Chain? l1)
    {
        var parameters = ChainParameters.For(settings.Network, settings.EffectiveL2ChainId);
        if (settings.EffectiveL2ChainId != DevelopmentChain.ChainId)
        {
            var record = DeployedRecord(settings, l1);
            parameters = parameters with
            {
                BlockTime = TimeSpan.FromMilliseconds(record.BlockTimeMs),
                BlockGasLimit = record.GasLimit,
                MaxWithdrawalPerTransaction = l1!.Parameters.MaxWithdrawalPerTransaction,
                Encryption = record.Encryption,
            };
        }
        return settings.L2BlockTimeMs is { } blockTime ? parameters with { BlockTime = TimeSpan.FromMilliseconds(blockTime) } : parameters;
    }

    /// <summary>A deployed chain starts empty (its funds arrive as deposits) at its deploy block's time; the development chain from -l2genesis or the development account.</summary>
    private static GenesisSpec GenesisFor(NodeSettings settings, L1Chain? l1)
    {
        if (settings.EffectiveL2ChainId == DevelopmentChain.ChainId)
            return settings.L2GenesisPath is { } path ? GenesisFile.Load(path, settings.Network) : DevelopmentChain.Genesis;
        var record = DeployedRecord(settings, l1);
        var deployBlock = l1!.GetBlock(l1.GetHash(record.DeployHeight)!.Value)!;
        return new GenesisSpec(deployBlock.Header.Timestamp, []);
    }

    private static Settlement.Contracts.ChainRecord DeployedRecord(NodeSettings settings, L1Chain? l1) =>
        l1?.StateAtTip().GetChain(settings.EffectiveL2ChainId)
        ?? throw new ChainNotDeployedException(settings.EffectiveL2ChainId,
            $"L2 chain {settings.EffectiveL2ChainId} is not deployed on the settlement chain: deploy it with l2_deploy and mine the deployment (generate), or see l2_listchains; with -addnode/-connect peers the node syncs the settlement chain first");

    private static KeyWallet OpenWallet(NodeSettings settings)
    {
        try
        {
            return KeyWallet.Open(settings.WalletPath, settings.Network);
        }
        catch (InvalidDataException ex)
        {
            throw new NodeStartupException(ex.Message, ex);
        }
    }
}
