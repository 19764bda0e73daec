using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Crypto;
using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Rpc;
using Cascoin.L2.Rpc.Modules;
using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Sequencing;
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
        services.AddSingleton(_ => OpenWallet(settings));
        services.AddSingleton<IRpcModule, WalletRpcModule>();
        if (!settings.RunsL2Chain)
            return services;

        var defaults = ChainParameters.For(settings.Network, settings.EffectiveL2ChainId);
        var parameters = settings.L2BlockTimeMs is { } blockTime ? defaults with { BlockTime = TimeSpan.FromMilliseconds(blockTime) } : defaults;
        services.AddSingleton(parameters);
        // Dormant-account archiving stays off here: restoring an archived account needs a user-facing
        // restore transaction, which does not exist yet, so an archived account could not be paid.
        services.AddSingleton(provider => new StateManager(
            provider.GetRequiredService<NodeDatabase>(), new StateOptions(), provider.GetRequiredService<ILogger<StateManager>>()));
        services.AddSingleton(provider => new L2Blockchain(parameters, provider.GetRequiredService<NodeDatabase>(),
            provider.GetRequiredService<StateManager>(), provider.GetRequiredService<ILogger<L2Blockchain>>()));
        services.AddSingleton(new TxPool(parameters, new TxPoolOptions { MaxTransactions = settings.MaxMempoolTransactions }));
        services.AddSingleton(_ => SequencerKeyFile.LoadOrCreate(settings.SequencerKeyPath, settings.Network));
        services.AddSingleton(provider => new SingleSequencerProducer(
            provider.GetRequiredService<L2Blockchain>(),
            provider.GetRequiredService<TxPool>(),
            provider.GetRequiredService<PrivateKey>(),
            new BlockProducerOptions { BlockTime = parameters.BlockTime },
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<SingleSequencerProducer>>()));
        services.AddSingleton(provider => new StatePruner(provider.GetRequiredService<StateManager>(), provider.GetRequiredService<ILogger<StatePruner>>()));
        services.AddHostedService(provider => new L2ChainService(
            provider.GetRequiredService<L2Blockchain>(),
            provider.GetRequiredService<SingleSequencerProducer>(),
            provider.GetRequiredService<StatePruner>(),
            settings.L2GenesisPath is { } path ? GenesisFile.Load(path, settings.Network) : DevelopmentChain.Genesis,
            provider.GetRequiredService<PrivateKey>(),
            settings.Network,
            provider.GetRequiredService<ILogger<L2ChainService>>()));
        services.AddSingleton<IRpcModule, L2RpcModule>();
        return services;
    }

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
