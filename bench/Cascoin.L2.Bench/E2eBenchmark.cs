using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cascoin.L2.Bench.E2e;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Bench;

/// <summary>
/// End to end: starts a real <c>cascoind -regtest</c> whose genesis funds <c>--accounts</c> accounts,
/// pre-signs <c>--txs</c> transfers, submits them over JSON-RPC in batches from several connections,
/// and waits until every one is in a committed block. Reports committed transactions per second
/// (first submission to last commit), confirmation latency, and how that compares with
/// single-thread signature verification of the same transactions. With <c>--nodes N</c> (N ≥ 2)
/// it runs a deployed chain with N staked sequencers instead: the accounts are funded through the
/// bridge (deposits, then transfers), the connections submit to every node in turn, and a
/// transaction counts once node 0 commits its block, which is when more than 2/3 of the
/// sequencers signed it (<c>finality_*_ms</c>).
/// </summary>
internal sealed class E2eBenchmark : IBenchmark
{
    private const ulong DevelopmentChainId = 1;
    /// <summary>
    /// Fee caps far above the starting base fee (10 sat/gas): a sustained load above half the block
    /// gas raises the base fee 12.5 % per block (EIP-1559), and a transaction whose cap falls behind
    /// would be refused mid-run. A deployed chain's accounts are funded through the bridge, where the
    /// cap's reserve (gas limit × cap per pending transaction) costs real deposits, so its cap is lower.
    /// </summary>
    private const ulong MaxFeePerGas = 50_000;

    private const ulong NetworkMaxFeePerGas = 1_000;
    private const ulong PriorityFeePerGas = 1;
    private static readonly Amount FundingPerAccount = Amount.FromCas(1_000);
    private static readonly Amount TransferValue = Amount.FromSat(1_000);

    public string Name => "e2e";

    public string Description => "a real cascoind -regtest: pre-signed transfers over JSON-RPC until committed; tps, confirmation latency";

    public IReadOnlyList<BenchOption> Options { get; } =
    [
        new("accounts", "funded sending accounts", "200"),
        new("nodes", "1: the development chain on one node; N ≥ 2: a deployed chain with N sequencer nodes", "1"),
        new("txs", "transfers submitted", "20000"),
        new("connections", "concurrent RPC connections submitting", "4"),
        new("batch", "transactions per JSON-RPC batch request", "100"),
        new("rate", "offered load in transactions per second over all connections (0: as fast as they go)", "0"),
        // A closed loop: new transactions go out as earlier ones commit. Without a bound, a burst of
        // 20,000 measures only how long the queue behind the 2/3 votes is, not the time to finality.
        new("inflight", "most transactions submitted but not yet committed (0: no bound; auto: 800 with --nodes ≥ 2, else 0)", "auto"),
        // 50 ms: at ~10,000 tps, 100 ms blocks run above half their gas, and the base fee then climbs
        // 12.5 % a block past any fee cap a funded account can reserve (EIP-1559 working as designed).
        new("blocktime", "the node's -l2blocktime in ms", "50"),
        // Settlement blocks come during the load, as on a live network: anchors go out as the L2 grows,
        // and each L2 block references a recent L1 block (an anchor's last block may be at most 20
        // L1 blocks old on regtest, so a backlog that waits for a burst of L1 blocks can never be anchored).
        new("l1blocktime", "with --nodes ≥ 2: node 0 mines a settlement block every <s> seconds (-l1blocktime)", "2"),
        new("encrypted", "with --nodes ≥ 2: 1 deploys the chain with an encrypted mempool and sends every transfer sealed in an envelope to the sequencers' epoch key; finality is when its opening executes it", "0"),
        new("observers", "1: while the load runs, a WebSocket newHeads subscriber, the dashboard (its subscriptions and /l2/api/stats every 5 s) and a Prometheus scrape of /metrics every 5 s watch node 0", "0"),
        new("rebuild", "with --nodes ≥ 2: 1 anchors everything after the load and times a new node rebuilding the L2 from L1 alone (-l2sync=l1)", "0"),
        new("cascoind", "path of cascoind.dll (default: the Release build of this checkout)", ""),
        new("datadir", "data directory for the node (default: a new temporary directory, deleted afterwards)", ""),
    ];

    public void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress) =>
        RunAsync(arguments, result, progress).GetAwaiter().GetResult();

    private static async Task RunAsync(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress)
    {
        var accountCount = arguments.GetInt("accounts", 2, 100_000);
        var txCount = arguments.GetInt("txs", 1, 10_000_000);
        var connections = arguments.GetInt("connections", 1, 256);
        var batchSize = arguments.GetInt("batch", 1, 1000);
        var offered = arguments.GetInt("rate", 0, 10_000_000);
        var blockTime = arguments.GetInt("blocktime", 10, 60_000);
        var nodeCount = arguments.GetInt("nodes", 1, 16);
        var inflight = arguments.GetString("inflight") == "auto" ? (nodeCount >= 2 ? 800 : 0) : arguments.GetInt("inflight", 0, 10_000_000);
        if (inflight > 0 && inflight < batchSize)
            throw new BenchUsageException($"--inflight {inflight} is below one batch ({batchSize}): nothing could be sent");
        if ((txCount + accountCount - 1) / accountCount > 1000)
            throw new BenchUsageException("at most 1,000 transactions per account (the mempool's per-sender limit): raise --accounts");
        var daemon = arguments.GetString("cascoind") is { Length: > 0 } given ? given : RegtestNode.FindDaemon();
        var directory = arguments.GetString("datadir") is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "cascoin-bench-e2e-" + Guid.NewGuid().ToString("N"));
        var keepDirectory = arguments.GetString("datadir").Length > 0;
        try
        {
            var keys = Enumerable.Range(0, accountCount).Select(DeterministicKey).ToArray();
            var addresses = keys.Select(k => Address.FromPublicKey(k.PublicKey.AsSpan())).ToArray();
            Directory.CreateDirectory(directory);
            var chainArguments = new[] { $"-l2blocktime={blockTime}", $"-maxmempooltx={Math.Max(100_000, txCount + 1000)}" };
            if (nodeCount == 1)
            {
                progress.WriteLine($"e2e: signing {txCount} transfers from {accountCount} accounts");
                var transactions = Sign(keys, addresses, txCount, DevelopmentChainId, MaxFeePerGas);
                var verifyRate = MeasureVerification(transactions);
                var genesis = Path.Combine(directory, "genesis.json");
                await File.WriteAllTextAsync(genesis, GenesisJson(addresses));
                using var node = await RegtestNode.StartAsync(daemon, directory, [$"-l2genesis={genesis}", .. chainArguments], progress);
                progress.WriteLine($"e2e: cascoind up on RPC port {node.RpcPort}; submitting over {connections} connections in batches of {batchSize}");
                var outcome = await SubmitAndWatchAsync([node], transactions, accountCount, connections, batchSize, new Load(offered, inflight), progress,
                    (i, maxFee) => SignOne(keys, addresses, i, DevelopmentChainId, maxFee));
                WriteResult(result, 1, accountCount, txCount, outcome, verifyRate, finality: false, inflight);
                return;
            }

            var encrypted = arguments.GetInt("encrypted", 0, 1) == 1;
            // An envelope pays for its gas limit when ordered: its own bytes and the transfer inside.
            var gasPerTransfer = encrypted ? Envelope.GasFor(SignOne(keys, addresses, 0, 1, NetworkMaxFeePerGas)) : IntrinsicGas.Base;
            var perAccount = Amount.FromSat(((txCount + accountCount - 1) / accountCount) * ((long)gasPerTransfer * (long)NetworkMaxFeePerGas + TransferValue.Sat) + 1_000_000);
            var funding = BridgeFunding.Plan(accountCount, perAccount);
            var l1BlockTime = arguments.GetInt("l1blocktime", 1, 3600);
            using var network = await SequencerNetworkSetup.StartAsync(daemon, directory, nodeCount, funding.L1Blocks, [.. chainArguments], progress,
                [$"-l1blocktime={l1BlockTime}"], encrypted ? "optional" : "off");
            await funding.FundAsync(network, keys, addresses, progress);
            Func<int, ulong, Transaction> sign = (i, maxFee) => SignOne(keys, addresses, i, network.ChainId, maxFee);
            if (encrypted)
            {
                var (epoch, epochKey) = await network.EpochKeyAsync(TimeSpan.FromMinutes(5));
                progress.WriteLine($"e2e: the sequencers committed the key of epoch {epoch}; sealing every transfer to it");
                sign = (i, maxFee) => Envelope.Seal(SignOne(keys, addresses, i, network.ChainId, maxFee), epoch, epochKey, maxFee, PriorityFeePerGas, keys[i % keys.Length]);
            }
            progress.WriteLine($"e2e: signing {txCount} transfers from {accountCount} accounts");
            var signed = new Transaction[txCount];
            Parallel.For(0, txCount, i => signed[i] = sign(i, NetworkMaxFeePerGas));
            var networkVerifyRate = MeasureVerification(signed);
            progress.WriteLine($"e2e: submitting over {connections} connections to {nodeCount} nodes in batches of {batchSize}");
            var observers = arguments.GetInt("observers", 0, 1) == 1 ? Observers.Start(network.Nodes[0]) : null;
            Outcome measured;
            try
            {
                measured = await SubmitAndWatchAsync(network.Nodes, signed, accountCount, connections, batchSize, new Load(offered, inflight), progress, sign, encrypted);
            }
            finally
            {
                if (observers is not null)
                    await observers.DisposeAsync();
            }
            WriteResult(result, nodeCount, accountCount, txCount, measured, networkVerifyRate, finality: true, inflight);
            observers?.Write(result);
            result.WriteBoolean("encrypted", encrypted);
            if (encrypted)
            {
                var ordered = measured.OrderedMs!;
                Array.Sort(ordered);
                // Ordered: the envelope is in a final block (nobody can read it yet); final: its opening executed the transfer.
                result.WriteNumber("ordered_p50_ms", Math.Round(Percentile(ordered, 0.50), 1));
                result.WriteNumber("ordered_p99_ms", Math.Round(Percentile(ordered, 0.99), 1));
            }
            if (arguments.GetInt("rebuild", 0, 1) == 1)
            {
                var rebuild = await L1Rebuild.MeasureAsync(network, daemon, directory, progress);
                result.WriteNumber("rebuild_batches", rebuild.Batches);
                result.WriteNumber("rebuild_blocks", rebuild.Blocks);
                result.WriteNumber("rebuild_txs", rebuild.Transactions);
                result.WriteNumber("rebuild_s", Math.Round(rebuild.Elapsed.TotalSeconds, 2));
                result.WriteNumber("rebuild_tx_per_s", Math.Round(rebuild.TransactionsPerSecond));
            }
        }
        finally
        {
            if (!keepDirectory && Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    private static void WriteResult(Utf8JsonWriter result, int nodes, int accounts, int txs, Outcome outcome, double verifyRate, bool finality, int inflight)
    {
        var confirm = outcome.ConfirmMs;
        Array.Sort(confirm);
        var tps = txs / outcome.Elapsed.TotalSeconds;
        result.WriteNumber("nodes", nodes);
        result.WriteNumber("accounts", accounts);
        result.WriteNumber("txs", txs);
        result.WriteNumber("inflight", inflight);
        result.WriteNumber("tps", Math.Round(tps));
        result.WriteNumber("p50_confirm_ms", Math.Round(Percentile(confirm, 0.50), 1));
        result.WriteNumber("p99_confirm_ms", Math.Round(Percentile(confirm, 0.99), 1));
        if (finality)
        {
            // Node 0 commits a block once more than 2/3 of the sequencers' weight signed it: confirmation is finality.
            result.WriteNumber("finality_p50_ms", Math.Round(Percentile(confirm, 0.50), 1));
            result.WriteNumber("finality_p99_ms", Math.Round(Percentile(confirm, 0.99), 1));
        }
        result.WriteNumber("blocks", outcome.Blocks);
        result.WriteNumber("verify_per_s", Math.Round(verifyRate));
        result.WriteNumber("tps_over_verify", Math.Round(tps / verifyRate, 3));
        result.WriteString("secp256k1", Secp256k1Backends.Best.Name);
    }

    internal static PrivateKey DeterministicKey(int index)
    {
        var seed = SHA256.HashData(BitConverter.GetBytes(index).Concat("cascoin-bench e2e"u8.ToArray()).ToArray());
        return PrivateKey.FromBytes(seed) ?? throw new InvalidOperationException("seed is not a key");
    }

    /// <summary>Account i sends its k-th transfer to account i+1+k: every account sends and receives.</summary>
    private static Transaction[] Sign(PrivateKey[] keys, Address[] addresses, int count, ulong chainId, ulong maxFeePerGas)
    {
        var transactions = new Transaction[count];
        var n = keys.Length;
        Parallel.For(0, n, account =>
        {
            for (var index = account; index < count; index += n)
                transactions[index] = SignOne(keys, addresses, index, chainId, maxFeePerGas);
        });
        return transactions;
    }

    /// <summary>Transfer <paramref name="index"/> of the run (account index mod n, its nonce index div n), signed with <paramref name="maxFeePerGas"/>.</summary>
    private static Transaction SignOne(PrivateKey[] keys, Address[] addresses, int index, ulong chainId, ulong maxFeePerGas)
    {
        var n = keys.Length;
        var account = index % n;
        var nonce = index / n;
        var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, chainId, (ulong)nonce, addresses[(account + 1 + nonce) % n],
            TransferValue, maxFeePerGas, PriorityFeePerGas, IntrinsicGas.Base);
        return Transaction.Sign(unsigned, keys[account]);
    }

    /// <summary>
    /// What a wallet offers when the base fee overtook a pre-signed cap: twice the next block's
    /// highest possible base fee (EIP-1559 moves it at most 1/8 per block), plus the tip.
    /// </summary>
    private static ulong WalletMaxFee(ulong baseFee) => 2 * (baseFee + baseFee / 8 + 1) + PriorityFeePerGas;

    /// <summary>Sender recovery of freshly decoded copies, one thread: what admitting a transaction costs at least.</summary>
    private static double MeasureVerification(Transaction[] transactions)
    {
        var sample = transactions.Take(Math.Min(transactions.Length, 20_000)).Select(t => t.ToBytes()).ToArray();
        var watch = Stopwatch.StartNew();
        foreach (var bytes in sample)
        {
            if (Transaction.Decode(bytes).Sender is null)
                throw new InvalidOperationException("a signed transaction did not verify");
        }
        return sample.Length / watch.Elapsed.TotalSeconds;
    }

    private static string GenesisJson(Address[] addresses)
    {
        var alloc = addresses.ToDictionary(a => a.ToBase58(NetworkParameters.Regtest), _ => new Dictionary<string, string> { ["balance"] = FundingPerAccount.ToString() });
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["alloc"] = alloc });
    }

    /// <param name="OrderedMs">With envelopes: from submission to the envelope's final block (the transfer runs when it is opened, later).</param>
    private sealed record Outcome(TimeSpan Elapsed, double[] ConfirmMs, int Blocks, double[]? OrderedMs = null);

    /// <summary>How transactions are offered: <paramref name="Rate"/> per second (0: unpaced), at most <paramref name="InFlight"/> uncommitted at once (0: unbounded).</summary>
    private sealed record Load(int Rate, int InFlight);

    /// <param name="resign">Signs transfer i again with another fee cap (a wallet's answer to a base fee above the cap it signed with).</param>
    /// <param name="envelopes">
    /// The transactions are envelopes: one counts as confirmed when a later block opens it. Openings
    /// come in the order the envelopes were ordered, so the watcher pairs each opening (a block's
    /// transaction that is not one of the run's) with the oldest envelope not opened yet; during the
    /// load nothing else sends transactions.
    /// </param>
    private static async Task<Outcome> SubmitAndWatchAsync(IReadOnlyList<RegtestNode> nodes, Transaction[] transactions, int accounts, int connections, int batchSize, Load load,
        TextWriter progress, Func<int, ulong, Transaction> resign, bool envelopes = false)
    {
        var ordered = new long[transactions.Length];
        var waitingToOpen = new Queue<int>();
        var index = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(Environment.ProcessorCount, transactions.Length);
        long baseFee = 0;
        var resigned = 0;
        for (var i = 0; i < transactions.Length; i++)
            index[transactions[i].Id.ToString()] = i;
        var submitted = new long[transactions.Length];
        var confirmed = new long[transactions.Length];
        var clock = Stopwatch.StartNew();

        using var watcherClient = new RpcClient(nodes[0].RpcPort, nodes[0].Cookie);
        var startBlock = (await watcherClient.CallAsync("l2_blocknumber")).GetUInt64();
        using var done = new CancellationTokenSource();
        var blocksWithTransactions = 0;
        var remaining = transactions.Length;
        long submittedCount = 0;
        var watcher = Task.Run(async () =>
        {
            var next = startBlock + 1;
            var deadline = TimeSpan.FromMinutes(10);
            while (Volatile.Read(ref remaining) > 0)
            {
                if (clock.Elapsed > deadline)
                    throw new TimeoutException($"{remaining} transactions not committed after {deadline.TotalMinutes} minutes");
                var tip = (await watcherClient.CallAsync("l2_blocknumber")).GetUInt64();
                for (; next <= tip; next++)
                {
                    var block = await watcherClient.CallAsync("l2_getblockbynumber", next, 1);
                    var now = clock.ElapsedTicks;
                    Interlocked.Exchange(ref baseFee, block.GetProperty("basefeepergas").GetInt64());
                    var found = 0;
                    foreach (var id in block.GetProperty("tx").EnumerateArray())
                    {
                        if (index.TryGetValue(id.GetString()!, out var i))
                        {
                            if (!envelopes && confirmed[i] == 0)
                            {
                                confirmed[i] = now;
                                found++;
                            }
                            else if (envelopes && ordered[i] == 0)
                            {
                                ordered[i] = now;
                                waitingToOpen.Enqueue(i);
                            }
                        }
                        else if (envelopes && waitingToOpen.TryDequeue(out var opened))
                        {
                            confirmed[opened] = now;
                            found++;
                        }
                    }
                    if (found > 0)
                        blocksWithTransactions++;
                    Interlocked.Add(ref remaining, -found);
                }
                await Task.Delay(5);
            }
        });

        // Each account is served by one connection, in nonce order, so no transaction arrives before its predecessor.
        var start = clock.ElapsedTicks;
        var senders = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            // Connections are spread over the nodes: every node's mempool relays to the leader.
            var node = nodes[c % nodes.Count];
            using var client = new RpcClient(node.RpcPort, node.Cookie);
            // Transactions are laid out round-robin over the accounts (see Sign): index i belongs to account i % accounts.
            var mine = Enumerable.Range(0, transactions.Length).Where(i => i % accounts % connections == c).ToList();
            var sent = 0;
            foreach (var chunk in mine.Chunk(batchSize))
            {
                // Paced: this connection's share of the rate; latency then measures the pipeline, not a queue.
                if (load.Rate > 0)
                {
                    var due = TimeSpan.FromSeconds(sent / ((double)load.Rate / connections));
                    var wait = due - TimeSpan.FromTicks((clock.ElapsedTicks - start) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait);
                }
                // Closed loop: wait until enough earlier transactions committed.
                while (load.InFlight > 0 && Interlocked.Read(ref submittedCount) - (transactions.Length - Volatile.Read(ref remaining)) + chunk.Length > load.InFlight)
                    await Task.Delay(2);
                Interlocked.Add(ref submittedCount, chunk.Length);
                sent += chunk.Length;
                var calls = chunk.Select(i => ("l2_sendrawtransaction", new object?[] { Convert.ToHexStringLower(transactions[i].ToBytes()) })).ToList();
                var sentAt = clock.ElapsedTicks;
                foreach (var i in chunk)
                    submitted[i] = sentAt;
                var replies = await client.BatchAsync(calls);
                for (var k = 0; k < replies.Length; k++)
                {
                    var refusal = Refusal(replies[k]);
                    // The base fee rose above the cap it was signed with: sign it again as a wallet would, and send it again.
                    for (var attempt = 0; refusal is not null && refusal.Contains("fee-too-low", StringComparison.Ordinal) && attempt < 5; attempt++)
                    {
                        var i = chunk[k];
                        var again = resign(i, WalletMaxFee((ulong)Interlocked.Read(ref baseFee)) << attempt);
                        index[again.Id.ToString()] = i;
                        transactions[i] = again;
                        Interlocked.Increment(ref resigned);
                        refusal = Refusal((await client.BatchAsync([("l2_sendrawtransaction", new object?[] { Convert.ToHexStringLower(again.ToBytes()) })]))[0]);
                    }
                    if (refusal is not null)
                        throw new InvalidOperationException("a transaction was refused: " + refusal);
                }
            }
        })).ToArray();
        await Task.WhenAll(senders);
        progress.WriteLine($"e2e: all {transactions.Length} submitted after {(clock.ElapsedTicks - start) / (double)Stopwatch.Frequency:F2} s ({resigned} signed again over a risen base fee, now {Interlocked.Read(ref baseFee)} sat/gas); waiting for blocks");
        await watcher;
        var last = confirmed.Max();
        var toMs = 1000.0 / Stopwatch.Frequency;
        var latencies = confirmed.Select((c, i) => (c - submitted[i]) * toMs).ToArray();
        return new Outcome(TimeSpan.FromSeconds((last - start) / (double)Stopwatch.Frequency), latencies, blocksWithTransactions,
            envelopes ? ordered.Select((o, i) => (o - submitted[i]) * toMs).ToArray() : null);
    }

    /// <summary>The error of a JSON-RPC reply, or null when it succeeded.</summary>
    private static string? Refusal(JsonElement reply) =>
        reply.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null ? error.GetRawText() : null;

    private static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
