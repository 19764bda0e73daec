using System.Diagnostics;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.Derivation;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Bench.Da;

/// <summary>
/// The rebuild from L1 alone, in one process and on disk as a node has it: a regtest settlement chain
/// on RocksDB with an L2 chain deployed on it (one staked sequencer), the transfers executed into L2
/// blocks of the gas target and anchored by the node's own <see cref="SettlementMonitor"/> (batch data
/// and all), then an empty L2 database that <see cref="L1Derivation"/> fills from those anchors:
/// opened, verified (headers, certificates, transaction roots), executed and committed, each anchored
/// state root reached. Only that last part is timed. The accounts are funded in the genesis that both
/// L2 databases share (deposits would add one L1 message per account, not transfers).
/// </summary>
internal sealed class L1RebuildMeasurement : IDisposable
{
    private const int TransactionsPerBlock = 714; // 15,000,000 gas target / 21,000: the base fee stays where it is
    private const ulong L2BlockMs = 50;

    private static readonly NetworkParameters Network = NetworkParameters.Regtest;
    /// <summary>For what is only set-up (the settlement chain, the producing L2): no fsync per commit.</summary>
    private static readonly DatabaseOptions Fast = new() { SyncWrites = false };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cascoin-bench-da-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _owned = [];
    private ulong _clock = L1Chain.GenesisTimestamp;

    public sealed record Measured(long Transactions, ulong Blocks, ulong Anchors, TimeSpan Elapsed)
    {
        public double TransactionsPerSecond => Transactions / Elapsed.TotalSeconds;
    }

    private readonly PrivateKey _sequencer = PrivateKey.FromBytes(System.Security.Cryptography.SHA256.HashData("da-bench sequencer"u8))!;
    private L1Chain? _l1;
    private ChainParameters? _parameters;
    private ulong _genesisTime;

    /// <summary>Deploys the chain on a new settlement chain; returns its id (the transfers are signed for it).</summary>
    public ulong Deploy()
    {
        Directory.CreateDirectory(_directory);
        _l1 = OpenL1();
        (_parameters, _genesisTime) = Deploy(_l1, _sequencer);
        return _parameters.ChainId;
    }

    public Measured Run(IReadOnlyList<Transaction> transactions, IReadOnlyList<Address> accounts, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(accounts);
        var (l1, parameters, sequencer) = (_l1 ?? throw new InvalidOperationException("Deploy first"), _parameters!, _sequencer);
        var genesis = new GenesisSpec(_genesisTime, accounts.Select(a => new GenesisAllocation(a, Amount.FromCas(1_000))).ToList());

        var producer = OpenL2(parameters, genesis, "l2", Fast);
        var monitor = new SettlementMonitor(new EmbeddedL1Client(l1), producer, new TxPool(parameters, new TxPoolOptions()), sequencer, Network,
            NullLogger<SettlementMonitor>.Instance);
        monitor.Start();
        var blocks = 0UL;
        for (var start = 0; start < transactions.Count; start += TransactionsPerBlock)
        {
            var body = transactions.Skip(start).Take(TransactionsPerBlock).ToList();
            var produced = producer.Produce(body, _clock += L2BlockMs, sequencer);
            if (produced.Skipped.Count > 0)
                throw new InvalidOperationException($"block {produced.Block.Number} skipped a transfer: {produced.Skipped[0].Rejection}");
            producer.Commit(produced);
            blocks++;
            monitor.PostAnchorIfDue();
            // An L1 block every second of L2 time, as a fast settlement chain would have.
            if (blocks % (1000 / L2BlockMs) == 0)
                l1.Mine(Address.Zero, _clock);
        }
        // The tail: empty L2 blocks (a node makes one each block time) until a batch interval is due, and L1 blocks until it is anchored.
        for (var i = 0; i < 100 && l1.StateAtTip().GetChain(parameters.ChainId)!.LastAnchoredBlock < producer.Head.Number; i++)
        {
            producer.Commit(producer.Produce([], _clock += L2BlockMs, sequencer));
            blocks++;
            monitor.PostAnchorIfDue();
            l1.Mine(Address.Zero, _clock);
        }
        var chain = l1.StateAtTip().GetChain(parameters.ChainId)!;
        if (chain.LastAnchoredBlock != producer.Head.Number)
            throw new InvalidOperationException($"L2 block {producer.Head.Number} was not anchored (last anchored {chain.LastAnchoredBlock})");
        progress.WriteLine($"da: {chain.AnchorCount} anchors on L1 cover {blocks} L2 blocks; rebuilding from L1 alone");

        // The rebuilt database is the node's: every commit synced, as -l2sync=l1 writes it.
        var rebuilt = OpenL2(parameters, genesis, "rebuilt", new DatabaseOptions());
        var derivation = new L1Derivation(l1, rebuilt, NullLogger.Instance);
        var watch = Stopwatch.StartNew();
        var outcome = derivation.CatchUp((ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 86_400_000UL);
        watch.Stop();
        if (outcome.Halted is { } halted)
            throw new InvalidOperationException($"the rebuild halted: {halted}");
        if (rebuilt.Head.Hash != producer.Head.Hash || rebuilt.Head.StateRoot != producer.Head.StateRoot)
            throw new InvalidOperationException($"the rebuild ended at block {rebuilt.Head.Number} {rebuilt.Head.Hash}, not the producer's {producer.Head.Number} {producer.Head.Hash}");
        return new Measured(transactions.Count, blocks, chain.AnchorCount, watch.Elapsed);
    }

    private L1Chain OpenL1()
    {
        var database = Own(NodeDatabase.Open(Path.Combine(_directory, "l1"), Fast, NullLogger.Instance));
        var state = Own(new SparseMerkleTree(database, new SmtOptions { CacheNodes = 200_000 }));
        return new L1Chain(database, state, SettlementParameters.Regtest, Network, NullLogger<L1Chain>.Instance);
    }

    /// <summary>Funds <paramref name="sequencer"/> on L1, deploys a chain with it as the staked sequencer, and returns the chain's L2 parameters and genesis time.</summary>
    private (ChainParameters Parameters, ulong GenesisTime) Deploy(L1Chain l1, PrivateKey sequencer)
    {
        var settlement = l1.Parameters;
        var address = Address.FromPublicKey(sequencer.PublicKey.AsSpan());
        l1.Mine(address, _clock += 1000);
        for (var i = 0UL; i < settlement.CoinbaseMaturity; i++)
            l1.Mine(Address.Zero, _clock += 1000);
        Submit(l1, sequencer, new SetReputationCall(address, 60));
        var deploy = Submit(l1, sequencer, new DeployChainCall("da-bench", L2BlockMs, 30_000_000, settlement.DefaultChallengePeriod, settlement.MinimumSequencerStake));
        var deployBlock = l1.Mine(Address.Zero, _clock += 1000);
        var chainId = Registry.ChainIdOf(deploy.Id);
        Submit(l1, sequencer, new BondCall(chainId, settlement.MinimumSequencerStake));
        l1.Mine(Address.Zero, _clock += 1000);
        var record = l1.StateAtTip().GetChain(chainId);
        if (record?.Status != ChainStatus.Active)
            throw new InvalidOperationException($"the bench chain is not active after deployment ({record?.Status})");
        var parameters = ChainParameters.For(Network, chainId) with { BlockTime = TimeSpan.FromMilliseconds(record.BlockTimeMs), BlockGasLimit = record.GasLimit };
        return (parameters, deployBlock.Header.Timestamp);
    }

    private static L1Transaction Submit(L1Chain l1, PrivateKey key, L1Call call)
    {
        var payload = call.ToBytes();
        var transaction = L1Transaction.Sign(call.Kind, l1.PendingNonce(Address.FromPublicKey(key.PublicKey.AsSpan())),
            l1.Parameters.FeeFor(call.Kind, payload.Length), payload, key, Network);
        if (l1.Submit(transaction, refuseFailingCall: true) is { } refusal)
            throw new InvalidOperationException($"the settlement chain refused {call.Kind}: {refusal}");
        return transaction;
    }

    /// <summary>An L2 chain with the node's state options and <paramref name="genesis"/>.</summary>
    private L2Blockchain OpenL2(ChainParameters parameters, GenesisSpec genesis, string name, DatabaseOptions options)
    {
        var database = Own(NodeDatabase.Open(Path.Combine(_directory, name), options, NullLogger.Instance));
        var state = Own(new StateManager(database, new StateOptions(), NullLogger<StateManager>.Instance));
        var chain = new L2Blockchain(parameters, database, state, NullLogger<L2Blockchain>.Instance);
        chain.EnsureGenesis(genesis);
        return chain;
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        // Trees and state before their databases: the reverse of opening.
        for (var i = _owned.Count - 1; i >= 0; i--)
            _owned[i].Dispose();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
