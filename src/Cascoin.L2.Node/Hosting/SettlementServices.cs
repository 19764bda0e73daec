using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Primitives;
using Cascoin.L2.Rpc;
using Cascoin.L2.Rpc.Modules.Settlement;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Sequencing.Relay;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Hosting;

/// <summary>The embedded settlement chain's database (<c>&lt;network&gt;/l1</c>), separate from the L2 chain's: each has its own state tree.</summary>
public sealed class SettlementStorage : IDisposable
{
    public SettlementStorage(NodeDatabase database)
    {
        Database = database;
        State = new SparseMerkleTree(database, new SmtOptions { CacheNodes = 200_000 });
    }

    public NodeDatabase Database { get; }

    public SparseMerkleTree State { get; }

    public void Dispose()
    {
        State.Dispose();
        Database.Dispose();
    }
}

public static class SettlementServices
{
    /// <summary>On regtest, the embedded settlement chain (SPEC §6, -l1=embedded) and its RPC methods.</summary>
    public static IServiceCollection AddCascoinSettlement(this IServiceCollection services, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.RunsEmbeddedSettlement)
            return services;
        services.AddSingleton(SettlementParameters.For(settings.Network));
        services.AddSingleton(provider => new SettlementStorage(NodeDatabase.Open(settings.L1DatabaseDirectory,
            provider.GetRequiredService<DatabaseOptions>(), provider.GetRequiredService<ILoggerFactory>().CreateLogger<NodeDatabase>())));
        services.AddSingleton(provider => new L1Chain(
            provider.GetRequiredService<SettlementStorage>().Database,
            provider.GetRequiredService<SettlementStorage>().State,
            provider.GetRequiredService<SettlementParameters>(),
            settings.Network,
            provider.GetRequiredService<ILogger<L1Chain>>()));
        // The L2 side reaches the settlement layer only through this port.
        services.AddSingleton<IL1Client>(provider => new EmbeddedL1Client(provider.GetRequiredService<L1Chain>()));
        services.AddSingleton(provider => new L1Relay(provider.GetRequiredService<Network.P2PNode>(), provider.GetRequiredService<L1Chain>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<L1Relay>>()));
        // The settlement application layer (convention 14): the RPC modules only bind and map.
        services.AddSingleton(provider => new L1Wallet(provider.GetRequiredService<L1Chain>(), provider.GetRequiredService<KeyWallet>(), settings.Network));
        services.AddSingleton(provider => new SettlementQueries(provider.GetRequiredService<L1Chain>(), provider.GetService<L2Blockchain>()));
        services.AddSingleton(provider => new BatchQueries(provider.GetRequiredService<L1Chain>()));
        services.AddSingleton(provider => new ChallengeQueries(provider.GetRequiredService<L1Chain>()));
        services.AddSingleton<IRpcModule, FraudProofRpcModule>();
        services.AddSingleton<IRpcModule, EncryptionKeyRpcModule>();
        services.AddSingleton<IRpcModule, ReputationRpcModule>();
        services.AddSingleton<IRpcModule, CircuitBreakerRpcModule>();
        services.AddSingleton(provider => new SettlementCommands(
            provider.GetRequiredService<L1Wallet>(),
            provider.GetRequiredService<SettlementQueries>(),
            Address.FromPublicKey(provider.GetRequiredService<Crypto.PrivateKey>().PublicKey.AsSpan()),
            provider.GetService<L2Blockchain>() is { } chain && provider.GetService<TxPool>() is { } pool
                ? new L2Wallet(chain, pool, provider.GetRequiredService<KeyWallet>(), settings.Network)
                : null));
        // Any full node serves the shards of the batches on its settlement chain; samplers ask peers for them.
        services.AddSingleton(provider => new ShardRelay(provider.GetRequiredService<Network.P2PNode>(), provider.GetRequiredService<BatchQueries>(),
            new Random(), provider.GetRequiredService<ILogger<ShardRelay>>()));
        services.AddSingleton<IRpcModule, DataAvailabilityRpcModule>();
        services.AddSingleton<IRpcModule, L1RpcModule>();
        services.AddSingleton<IRpcModule, SettlementRpcModule>();
        if (settings.L1BlockTimeSeconds is { } seconds)
        {
            services.AddHostedService(provider => new L1MinerService(
                provider.GetRequiredService<L1Chain>(),
                provider.GetRequiredService<Crypto.PrivateKey>(),
                TimeSpan.FromSeconds(seconds),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<L1MinerService>>()));
        }
        return services;
    }
}
