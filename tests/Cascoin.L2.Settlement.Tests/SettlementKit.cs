using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Settlement.Tests;

/// <summary>How a <see cref="SettlementKit"/> is set up.</summary>
internal sealed record KitOptions
{
    /// <summary>Users (keys 1..n) funded on L1; key 0 is the sequencer.</summary>
    public int Users { get; init; } = 3;

    /// <summary>Block rewards each user and the sequencer receive on L1 (50 CAS each on regtest).</summary>
    public int RewardBlocksPerUser { get; init; } = 2;

    public SettlementParameters Settlement { get; init; } = SettlementParameters.Regtest;

    /// <summary>The deployed chain's challenge period (default: the network's).</summary>
    public ulong? ChallengePeriod { get; init; }

    /// <summary>
    /// Base fee pinned at 1 sat/gas and no tip: every transfer costs 21,000 sat wherever it lands, so two
    /// chains that cut the same transactions into different blocks end with the same balances.
    /// </summary>
    public bool FlatFees { get; init; }
}

/// <summary>
/// One regtest node's settlement stack, for real: the embedded L1 on RocksDB, an L2 chain deployed on it
/// (its own RocksDB), the L2 mempool and the <see cref="SettlementMonitor"/> that anchors and recovers.
/// Blocks on both layers are made only when the test says so, and the monitor's queued work runs on the
/// test's thread after every step, so each case is deterministic.
/// </summary>
internal sealed partial class SettlementKit : IDisposable
{
    private readonly TestDirectory _directory;
    private readonly NodeDatabase _l2Database;
    private readonly StateManager _l2State;
    private readonly bool _flatFees;
    private ulong _l2Clock;

    private SettlementKit(TestDirectory directory, L1Node l1, NodeDatabase l2Database, StateManager l2State, L2Blockchain l2, PrivateKey sequencer,
        IReadOnlyList<PrivateKey> users, bool flatFees)
    {
        _directory = directory;
        L1 = l1;
        _l2Database = l2Database;
        _l2State = l2State;
        L2 = l2;
        Sequencer = sequencer;
        Users = users;
        _flatFees = flatFees;
        _l2Clock = l2.Head.Timestamp;
        Pool = new TxPool(l2.Parameters, new TxPoolOptions());
        Monitor = new SettlementMonitor(new EmbeddedL1Client(l1.Chain), l2, Pool, sequencer, L1Node.Network, NullLogger<SettlementMonitor>.Instance);
        Monitor.Start();
        Sync();
    }

    public L1Node L1 { get; }

    public L2Blockchain L2 { get; }

    /// <summary>The L2 chain's state (its tree keeps every version: nothing prunes it here).</summary>
    public StateManager L2State => _l2State;

    /// <summary>The L2 chain's database, for tests that damage what the node holds.</summary>
    public NodeDatabase L2Database => _l2Database;

    public TxPool Pool { get; }

    public SettlementMonitor Monitor { get; }

    public PrivateKey Sequencer { get; }

    public Address SequencerAddress => TestKeys.AddressOf(Sequencer);

    public IReadOnlyList<PrivateKey> Users { get; }

    public ulong ChainId => L2.Parameters.ChainId;

    /// <summary>The chain's registry record at the L1 tip.</summary>
    public ChainRecord Record => L1.Chain.StateAtTip().GetChain(ChainId)!;

    public StakeRecord SequencerStake => L1.Chain.StateAtTip().GetStake(ChainId, SequencerAddress);

    /// <summary>Runs <paramref name="test"/> on a fresh kit; the directory is kept when it fails.</summary>
    public static void Run(string name, KitOptions options, Action<SettlementKit> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        using var kit = Create(name, options);
        test(kit);
        kit.Passed();
    }

    public static SettlementKit Create(string name, KitOptions? options = null)
    {
        options ??= new KitOptions();
        var directory = TestDirectory.Create(name);
        var l1 = new L1Node(directory.Combine("l1"), options.Settlement);
        var sequencer = TestKeys.Key(0);
        var users = Enumerable.Range(1, options.Users).Select(TestKeys.Key).ToList();
        l1.Fund([sequencer, .. users], options.RewardBlocksPerUser);

        // Score 60 makes the sequencer eligible (regtest minimum 50); a second bond on top of the deploy
        // stake keeps it eligible after a 10 % slash, so the chain stays active in every scenario.
        var settlement = options.Settlement;
        l1.Submit(sequencer, new SetReputationCall(TestKeys.AddressOf(sequencer), 60));
        var deploy = l1.Submit(sequencer, new DeployChainCall("settlement-tests", 100, 30_000_000,
            options.ChallengePeriod ?? settlement.DefaultChallengePeriod, settlement.MinimumSequencerStake));
        var deployBlock = l1.Mine();
        var chainId = Registry.ChainIdOf(deploy.Id);
        var bond = l1.Execute(sequencer, new BondCall(chainId, settlement.MinimumSequencerStake));
        Assert.True(bond.Success, bond.Error);
        var record = l1.Chain.StateAtTip().GetChain(chainId)!;
        Assert.Equal(ChainStatus.Active, record.Status);

        // As the node does for a deployed chain: parameters from the registry, an empty genesis at the deploy block's time.
        var parameters = ChainParameters.For(L1Node.Network, chainId) with
        {
            BlockTime = TimeSpan.FromMilliseconds(record.BlockTimeMs),
            BlockGasLimit = record.GasLimit,
        };
        if (options.FlatFees)
            parameters = parameters with { InitialBaseFee = parameters.MinGasPrice };
        var database = NodeDatabase.Open(directory.Combine("l2"), L1Node.FastOptions, NullLogger.Instance);
        var state = new StateManager(database, new StateOptions { Tree = new SmtOptions { CacheNodes = 100_000 } }, NullLogger<StateManager>.Instance);
        var l2 = new L2Blockchain(parameters, database, state, NullLogger<L2Blockchain>.Instance);
        l2.EnsureGenesis(new GenesisSpec(deployBlock.Header.Timestamp, []));
        return new SettlementKit(directory, l1, database, state, l2, sequencer, users, options.FlatFees);
    }

    /// <summary>
    /// Lets the monitor handle what it has queued (L1 changes, anchor checks), in order, on this thread.
    /// RunAsync handles every item already queued before its first real wait, so starting it, then
    /// stopping it, leaves the node exactly where a caught-up monitor would, with no sleep or polling.
    /// </summary>
    public void Sync()
    {
        using var stop = new CancellationTokenSource();
        var scheduler = SynchronizationContext.Current;
        // The stopped loop finishes on the thread pool, never on a test scheduler this thread then blocks.
        SynchronizationContext.SetSynchronizationContext(null);
        Task run;
        try
        {
            run = Monitor.RunAsync(stop.Token);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(scheduler);
        }
        stop.Cancel();
        run.GetAwaiter().GetResult();
    }

    /// <summary>Mines L1 blocks one by one, the monitor catching up after each.</summary>
    public void MineL1(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            L1.Mine();
            Sync();
        }
    }

    /// <summary>What the node's single-sequencer producer does each block time: the best of the mempool (after the confirmed L1 queue entries), sealed and committed.</summary>
    public ProducedBlock ProduceL2()
    {
        var candidates = Pool.SelectForBlock(L2.NextBaseFee, L2.GetAccount);
        var produced = L2.Produce(candidates, _l2Clock += 100, Sequencer);
        L2.Commit(produced);
        Pool.RemoveCommitted(produced.Block.Transactions, L2.GetAccount);
        // Refused for a lasting reason: the producer drops them rather than offer them forever.
        Pool.Remove(produced.Skipped.Where(s => s.Rejection.IsLasting).Select(s => s.Transaction.Id));
        Sync();
        return produced;
    }

    public void ProduceL2(int count)
    {
        for (var i = 0; i < count; i++)
            ProduceL2();
    }

    /// <summary>Makes the L2 head anchored on L1: blocks up to the batch interval, the monitor posts the batch, one L1 block mines it.</summary>
    /// <remarks>An anchor already waiting in the L1 mempool covers fewer blocks than the head: it is mined first, then the next batch follows.</remarks>
    public AnchorRecord AnchorHead()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            while (L2.Head.Number < Record.LastAnchoredBlock + L1.Parameters.BatchInterval)
                ProduceL2();
            MineL1();
            var record = Record;
            if (record.LastAnchoredBlock == L2.Head.Number)
                return L1.Chain.StateAtTip().GetAnchor(ChainId, record.AnchorCount - 1)!;
        }
        throw new InvalidOperationException($"the monitor did not anchor L2 block {L2.Head.Number} (last anchored: {Record.LastAnchoredBlock})");
    }

    /// <summary>Mines L1 blocks until <paramref name="anchor"/> is final.</summary>
    public void WaitFinal(AnchorRecord anchor)
    {
        while (!anchor.IsFinalAt(L1.Height, Record.ChallengePeriod))
            MineL1();
    }

    /// <summary>Submits an L1 call, mines it (the monitor catching up) and returns its receipt.</summary>
    public L1Receipt Execute(PrivateKey key, L1Call call)
    {
        var transaction = L1.Submit(key, call);
        MineL1();
        return L1.ReceiptOf(transaction.Id);
    }

    // ---- L2 transactions ----

    public ulong MaxFeePerGas => _flatFees ? L2.Parameters.MinGasPrice : 20;

    public ulong PriorityFee => _flatFees ? 0UL : 1UL;

    /// <summary>A signed L2 transaction with the sender's next pending nonce and the gas it needs.</summary>
    public Transaction SignL2(PrivateKey key, TransactionType type, Address to, Amount value, byte[]? data = null, ulong? nonce = null, ulong? chainId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sender = TestKeys.AddressOf(key);
        var next = nonce ?? Pool.PendingNonce(sender, L2.GetAccount(sender));
        var chain = chainId ?? ChainId;
        var probe = Transaction.CreateUnsigned(type, chain, next, to, value, MaxFeePerGas, PriorityFee, 0, data);
        return Transaction.Sign(Transaction.CreateUnsigned(type, chain, next, to, value, MaxFeePerGas, PriorityFee, IntrinsicGas.Of(probe), data), key);
    }

    public TxRejection? SubmitL2(Transaction transaction) => Pool.Add(transaction, L2.GetAccount, L2.NextBaseFee);

    /// <summary>Signs and submits to the L2 mempool, which must accept it.</summary>
    public Transaction SendL2(PrivateKey key, TransactionType type, Address to, Amount value, byte[]? data = null)
    {
        var transaction = SignL2(key, type, to, value, data);
        var rejection = SubmitL2(transaction);
        Assert.True(rejection is null, $"the L2 mempool refused {type}: {rejection}");
        return transaction;
    }

    public Amount L2Balance(Address address) => L2.GetAccount(address).Balance;

    public Amount L2Balance(PrivateKey key) => L2Balance(TestKeys.AddressOf(key));

    /// <summary>The 10 % (and rounding) of every block's fees that no one received (SPEC §2, property 18).</summary>
    public Amount BurnedFees()
    {
        var burned = Amount.Zero;
        for (ulong n = 1; n <= L2.Head.Number; n++)
        {
            var fees = L2.GetReceipts(n)!.Aggregate(Amount.Zero, (sum, r) => sum + r.Fee);
            burned += FeeSplit.Of(fees, 0).Burned;
        }
        return burned;
    }

    /// <summary>A path inside this kit's directory (for more databases of the same case).</summary>
    public string DataPath(string name) => _directory.Combine(name);

    /// <summary>Marks the run as passed: its directory is removed on dispose.</summary>
    public void Passed() => _directory.Succeeded();

    public void Dispose()
    {
        _l2State.Dispose();
        _l2Database.Dispose();
        L1.Dispose();
        _directory.Dispose();
    }
}
