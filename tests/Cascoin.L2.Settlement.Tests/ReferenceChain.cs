using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.State;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Settlement.Tests;

/// <summary>
/// The L2 chain a node would build from scratch against the L1 as it is now: the same genesis, one block
/// with every confirmed L1 queue entry and then the given user transactions in order. With flat fees a
/// transaction costs the same in any block, so its balances and nonces are what any L2 following this
/// L1 with these transactions must end with.
/// </summary>
internal sealed class ReferenceChain : IDisposable
{
    private readonly NodeDatabase _database;
    private readonly StateManager _state;

    public ReferenceChain(SettlementKit kit, IEnumerable<Transaction> userTransactions)
    {
        ArgumentNullException.ThrowIfNull(kit);
        _database = NodeDatabase.Open(kit.DataPath($"reference-{Guid.NewGuid():N}"), L1Node.FastOptions, NullLogger.Instance);
        _state = new StateManager(_database, new StateOptions { Tree = new SmtOptions { CacheNodes = 10_000 } }, NullLogger<StateManager>.Instance);
        Chain = new L2Blockchain(kit.L2.Parameters, _database, _state, NullLogger<L2Blockchain>.Instance);
        var genesis = kit.L2.GetBlock(0)!.Header;
        Chain.EnsureGenesis(new GenesisSpec(genesis.Timestamp, []));
        Chain.Settlement = new SettlementLayerView(new EmbeddedL1Client(kit.L1.Chain), kit.ChainId);
        var produced = Chain.Produce(userTransactions, genesis.Timestamp + 100, kit.Sequencer);
        Chain.Commit(produced);
        Skipped = produced.Skipped.Select(s => s.Transaction.Id).ToHashSet();
    }

    public L2Blockchain Chain { get; }

    /// <summary>One more block with what the L1 has queued since (deposits that came back later) and no user transactions.</summary>
    public void ProduceQueued(SettlementKit kit)
    {
        ArgumentNullException.ThrowIfNull(kit);
        Chain.Commit(Chain.Produce([], Chain.Head.Timestamp + 100, kit.Sequencer));
    }

    /// <summary>The user transactions that do not apply on this L1.</summary>
    public IReadOnlySet<Primitives.Hash256> Skipped { get; }

    public void Dispose()
    {
        _state.Dispose();
        _database.Dispose();
    }
}
