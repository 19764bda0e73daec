using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Network;
using Cascoin.L2.Rpc.WebSockets;
using Cascoin.L2.Sequencing.Consensus;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Storage;
using Prometheus;

namespace Cascoin.L2.Node.Metrics;

/// <summary>
/// The node's Prometheus metrics (doc/operator-guide.md, "Monitoring"), in a registry of its own.
/// Events (blocks, RPC calls) count as they happen; levels (heights, mempool, peers, RocksDB) are read
/// from the services when Prometheus scrapes, so an unscraped node pays nothing for them. Every name is
/// listed in <see cref="Names"/>; the Grafana dashboard in contrib/grafana uses only those.
/// </summary>
public sealed class NodeMetrics
{
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly TimeProvider _time;
    private readonly Counter _blocks;
    private readonly Counter _transactions;
    private readonly Counter _withdrawals;
    private readonly Counter _rounds;
    private readonly Histogram _finality;
    private readonly Counter _rpcCalls;
    private readonly Histogram _rpcSeconds;

    public NodeMetrics(NodeMetricSources sources, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _time = time;
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        _blocks = factory.CreateCounter("cascoin_l2_blocks_total", "L2 blocks this node committed since it started.");
        _transactions = factory.CreateCounter("cascoin_l2_transactions_total", "Transactions in the L2 blocks this node committed since it started.");
        _withdrawals = factory.CreateCounter("cascoin_l2_withdrawals_total", "Withdrawals in the L2 blocks this node committed since it started.");
        _rounds = factory.CreateCounter("cascoin_l2_commit_rounds_total", "Consensus rounds past the first that committed blocks needed (each is a failover).");
        // From the block's timestamp (set by its proposer) to its commit here: proposal, votes, execution, write.
        _finality = factory.CreateHistogram("cascoin_l2_block_finality_seconds", "Time from a block's timestamp to its commit at this node.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 12) });
        _rpcCalls = factory.CreateCounter("cascoin_rpc_requests_total", "JSON-RPC calls by method and outcome (ok, or the error code).",
            new CounterConfiguration { LabelNames = ["method", "outcome"] });
        _rpcSeconds = factory.CreateHistogram("cascoin_rpc_request_duration_seconds", "JSON-RPC call latency by method.",
            new HistogramConfiguration { LabelNames = ["method"], Buckets = Histogram.ExponentialBuckets(0.0005, 4, 9) });
        var alerts = factory.CreateCounter("cascoin_alerts_total", "Alerts the node's monitors raised since it started, by severity and kind (doc/monitoring.md).",
            new CounterConfiguration { LabelNames = ["severity", "kind"] });
        if (sources.Alerts is { } log)
            log.Raised += alert => alerts.WithLabels(alert.Severity.ToString().ToLowerInvariant(), alert.Kind).Inc();
        Levels(factory, sources);
        if (sources.Chain is { } chain)
            chain.BlockCommitted += (block, _) => OnCommitted(block);
    }

    /// <summary>Every metric name this node exports (the Grafana check reads it).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "cascoin_l2_blocks_total", "cascoin_l2_transactions_total", "cascoin_l2_withdrawals_total", "cascoin_l2_commit_rounds_total",
        "cascoin_l2_block_finality_seconds", "cascoin_rpc_requests_total", "cascoin_rpc_request_duration_seconds",
        "cascoin_l2_height", "cascoin_l2_base_fee", "cascoin_l1_height", "cascoin_l2_anchored_height", "cascoin_l2_finalized_height", "cascoin_l2_anchors",
        "cascoin_bridge_locked_cas", "cascoin_challenges_open", "cascoin_mempool_transactions", "cascoin_mempool_bytes",
        "cascoin_peers", "cascoin_banned_peers", "cascoin_consensus_proposals_total", "cascoin_consensus_votes_total", "cascoin_consensus_punished_total",
        "cascoin_ws_connections", "cascoin_ws_subscriptions", "cascoin_rocksdb_live_data_bytes", "cascoin_rocksdb_sst_bytes",
        "cascoin_rocksdb_memtable_bytes", "cascoin_rocksdb_pending_compaction_bytes", "cascoin_process_resident_bytes", "cascoin_dotnet_gc_heap_bytes",
        "cascoin_alerts_total",
    ];

    /// <summary>For the dispatcher: one call of <paramref name="method"/> (error code null on success).</summary>
    public void ObserveRpc(string method, TimeSpan elapsed, int? errorCode)
    {
        _rpcCalls.WithLabels(method, errorCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "ok").Inc();
        _rpcSeconds.WithLabels(method).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Writes every metric in Prometheus' text format.</summary>
    public Task WriteAsync(Stream output, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(output, cancellationToken);

    private void OnCommitted(Block block)
    {
        // The genesis block is written, not made: it is no block of the run.
        if (block.Number == 0)
            return;
        _blocks.Inc();
        _transactions.Inc(block.Transactions.Count);
        _withdrawals.Inc(block.Transactions.Count(t => t.Type == Chain.Transactions.TransactionType.Withdrawal));
        _rounds.Inc(block.CommitRound);
        if (BlockFinality.Of(block, _time) is { } finality)
            _finality.Observe(finality.TotalSeconds);
    }

    private void Levels(MetricFactory factory, NodeMetricSources sources)
    {
        var gauges = new List<(Gauge Gauge, Func<double?> Read)>();
        void Level(string name, string help, Func<double?> read) => gauges.Add((factory.CreateGauge(name, help), read));

        Level("cascoin_l2_height", "The L2 head's block number.", () => sources.Chain?.Head.Number);
        Level("cascoin_l2_base_fee", "The L2 head's base fee per gas (sat).", () => sources.Chain?.Head.BaseFee);
        Level("cascoin_l1_height", "The settlement chain's height at this node.", () => sources.Settlement?.L1.Height);
        Level("cascoin_l2_anchored_height", "The last L2 block an anchor on L1 covers.", () => ChainRecord(sources)?.LastAnchoredBlock);
        Level("cascoin_l2_finalized_height", "The last L2 block an anchor final on L1 covers (its challenge period over).", () => sources.Settlement?.LastFinalAnchor()?.LastBlock);
        Level("cascoin_l2_anchors", "Anchors of this chain on L1.", () => ChainRecord(sources)?.AnchorCount);
        Level("cascoin_bridge_locked_cas", "CAS the bridge holds on L1 for this chain.", () => ChainRecord(sources) is { } record ? (double)record.Locked.ToDecimal() : null);
        Level("cascoin_challenges_open", "Fraud-proof games open on this chain's anchors.", () => OpenChallenges(sources));
        Level("cascoin_mempool_transactions", "Transactions in the L2 mempool.", () => sources.Pool?.Count);
        Level("cascoin_mempool_bytes", "Encoded bytes of the transactions in the L2 mempool.", () => sources.Pool?.Bytes);
        Level("cascoin_peers", "Connected P2P peers.", () => sources.P2P.Peers.Count);
        Level("cascoin_banned_peers", "Addresses banned for misbehaviour.", () => sources.P2P.Banned.Count);
        Level("cascoin_consensus_proposals_total", "Consensus proposals seen since start.", () => sources.Consensus?.Counters.Proposals);
        Level("cascoin_consensus_votes_total", "Consensus votes seen since start.", () => sources.Consensus?.Counters.Votes);
        Level("cascoin_consensus_punished_total", "Consensus messages that cost their sender peer score, since start.", () => sources.Consensus?.Counters.Punished);
        Level("cascoin_ws_connections", "Open WebSocket JSON-RPC connections.", () => sources.WebSockets.OpenConnections);
        Level("cascoin_ws_subscriptions", "Open WebSocket subscriptions.", () => sources.Subscriptions.Count);
        Level("cascoin_rocksdb_pending_compaction_bytes", "Bytes RocksDB estimates compaction still has to rewrite.", () => Property(sources.Database, "rocksdb.estimate-pending-compaction-bytes"));
        Level("cascoin_process_resident_bytes", "Resident memory of the cascoind process.", () => Environment.WorkingSet);
        Level("cascoin_dotnet_gc_heap_bytes", "Managed heap size after the last garbage collection.", () => GC.GetGCMemoryInfo().HeapSizeBytes);

        var columns = Enum.GetValues<DbColumn>();
        var perColumn = new (string Name, string Help, string Property)[]
        {
            ("cascoin_rocksdb_live_data_bytes", "RocksDB's estimate of live data per column family.", "rocksdb.estimate-live-data-size"),
            ("cascoin_rocksdb_sst_bytes", "Bytes of SST files per column family.", "rocksdb.total-sst-files-size"),
            ("cascoin_rocksdb_memtable_bytes", "Bytes of memtables per column family.", "rocksdb.cur-size-all-mem-tables"),
        };
        var columnGauges = perColumn.Select(c => (Gauge: factory.CreateGauge(c.Name, c.Help, new GaugeConfiguration { LabelNames = ["column"] }), c.Property)).ToList();

        _registry.AddBeforeCollectCallback(() =>
        {
            foreach (var (gauge, read) in gauges)
            {
                if (read() is { } value)
                    gauge.Set(value);
            }
            foreach (var (gauge, property) in columnGauges)
            {
                foreach (var column in columns)
                {
                    if (Property(sources.Database, property, column) is { } value)
                        gauge.WithLabels(NodeDatabase.ColumnName(column)).Set(value);
                }
            }
        });
    }

    private static double? Property(NodeDatabase database, string name, DbColumn? column = null) =>
        (column is { } c ? database.GetProperty(name, c) : database.GetProperty(name)) is { } text
        && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    private static ChainRecord? ChainRecord(NodeMetricSources sources) => sources.Settlement?.RunningChainRecordOrNull();

    private static double? OpenChallenges(NodeMetricSources sources) =>
        ChainRecord(sources) is { } record && sources.Challenges?.Games(record.ChainId, open: true) is { Succeeded: true } games ? games.Value.Count : null;
}

/// <summary>The services the metrics read; those a node does not run are null.</summary>
public sealed record NodeMetricSources(
    NodeDatabase Database,
    P2PNode P2P,
    SubscriptionHub Subscriptions,
    RpcWebSocketHandler WebSockets,
    L2Blockchain? Chain,
    TxPool? Pool,
    SettlementQueries? Settlement,
    ChallengeQueries? Challenges,
    SequencerNetwork? Consensus)
{
    /// <summary>The alerts counted in <c>cascoin_alerts_total</c>.</summary>
    public Sequencing.Monitoring.AlertLog? Alerts { get; init; }
}
