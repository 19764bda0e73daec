using Cascoin.L2.Chain;
using Cascoin.L2.Settlement.Derivation;
using Cascoin.L2.State;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Settlement.Tests;

/// <summary>An L2 chain with a kit's genesis and nothing else, fed only by <see cref="L1Derivation"/> from the kit's settlement chain.</summary>
internal sealed class DerivedChain : IDisposable
{
    private readonly NodeDatabase _database;
    private readonly StateManager _state;

    public DerivedChain(SettlementKit kit, string name = "derived")
    {
        ArgumentNullException.ThrowIfNull(kit);
        _database = NodeDatabase.Open(kit.DataPath(name), L1Node.FastOptions, NullLogger.Instance);
        _state = new StateManager(_database, new StateOptions { Tree = new SmtOptions { CacheNodes = 10_000 } }, NullLogger<StateManager>.Instance);
        Chain = new L2Blockchain(kit.L2.Parameters, _database, _state, NullLogger<L2Blockchain>.Instance);
        Chain.EnsureGenesis(new GenesisSpec(kit.L2.GetBlock(0)!.Header.Timestamp, []));
        Derivation = new L1Derivation(kit.L1.Chain, Chain, NullLogger.Instance);
    }

    public L2Blockchain Chain { get; }

    public L1Derivation Derivation { get; }

    public void Dispose()
    {
        _state.Dispose();
        _database.Dispose();
    }
}
