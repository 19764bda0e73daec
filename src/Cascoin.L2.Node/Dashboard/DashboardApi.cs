using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Network;
using Cascoin.L2.Primitives;
using Cascoin.L2.Rpc;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.Contracts;

namespace Cascoin.L2.Node.Dashboard;

/// <summary>A refusal of the dashboard's JSON API: the HTTP status and why.</summary>
public sealed class DashboardException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The JSON behind the dashboard (/l2/api/*). Levels are read from the services; blocks,
/// transactions, sequencers, withdrawals and batches come from the node's own RPC methods through
/// its dispatcher, so the dashboard shows exactly the objects a client gets (doc/rpc.md), and a
/// field added there appears here too.
/// </summary>
public sealed class DashboardApi(
    JsonRpcDispatcher dispatcher,
    ChainHistory history,
    NetworkParameters network,
    P2PNode p2p,
    L2Blockchain? chain,
    TxPool? pool,
    SettlementQueries? settlement)
{
    private const int MaxCount = 100;

    public async Task<JsonObject> StatsAsync(CancellationToken cancellationToken)
    {
        var info = await CallAsync("getblockchaininfo", [], cancellationToken);
        var leader = chain is null ? null : await CallAsync("l2_getleader", [], cancellationToken);
        var record = Record();
        var final = settlement?.LastFinalAnchor();
        var (p50, p99, samples) = history.Finality();
        var points = history.LastHour();
        var lastMinute = points.TakeLast(60 / ChainHistory.BucketSeconds).ToList();
        var head = chain?.Head;
        return new JsonObject
        {
            ["network"] = network.Name,
            ["chainid"] = chain?.Parameters.ChainId,
            ["height"] = head?.Number,
            ["headhash"] = head?.Hash.ToString(),
            ["timestamp"] = head?.Timestamp,
            ["basefee"] = head?.BaseFee,
            ["l1height"] = settlement?.L1.Height,
            ["anchored"] = record?.LastAnchoredBlock,
            ["anchors"] = record?.AnchorCount,
            ["finalized"] = final?.LastBlock,
            ["locked"] = record is null ? null : JsonValue.Create(record.Locked.ToDecimal()),
            ["peers"] = p2p.Peers.Count,
            ["banned"] = p2p.Banned.Count,
            ["mempool"] = new JsonObject { ["transactions"] = pool?.Count, ["bytes"] = pool?.Bytes },
            ["sync"] = info?["l2"]?["sync"]?.DeepClone(),
            ["verificationprogress"] = info?["verificationprogress"]?.DeepClone(),
            ["leader"] = leader?["leader"]?.DeepClone(),
            ["finality"] = new JsonObject { ["p50ms"] = p50, ["p99ms"] = p99, ["blocks"] = samples },
            ["tps"] = lastMinute.Sum(p => p.Tps) / Math.Max(1, lastMinute.Count),
            ["history"] = JsonSerializer.SerializeToNode(points, RpcJson.Options),
        };
    }

    public async Task<JsonObject> SequencersAsync(CancellationToken cancellationToken)
    {
        var leader = await CallAsync("l2_getleader", [], cancellationToken);
        var sequencers = await CallAsync("l2_getsequencers", [], cancellationToken);
        if (leader is null || sequencers is not JsonArray list)
            return new JsonObject { ["sequencers"] = new JsonArray(), ["note"] = "this node runs no sequencer network (a development chain, or no L2)" };
        var demoted = (leader["demoted"] as JsonArray ?? []).Select(d => d?.GetValue<string>()).ToHashSet();
        var current = leader["leader"]?.GetValue<string>();
        var (signed, blocks) = await ParticipationAsync(cancellationToken);
        foreach (var sequencer in list.OfType<JsonObject>())
        {
            var address = sequencer["address"]?.GetValue<string>() ?? "";
            sequencer["isleader"] = address == current;
            sequencer["demoted"] = demoted.Contains(address);
            sequencer["uptime"] = blocks == 0 ? null : Math.Round((double)signed.GetValueOrDefault(address) / blocks, 3);
        }
        return new JsonObject
        {
            ["leader"] = current,
            ["height"] = leader["height"]?.DeepClone(),
            ["round"] = leader["round"]?.DeepClone(),
            ["uptimeblocks"] = blocks,
            ["sequencers"] = list.DeepClone(),
        };
    }

    /// <summary>
    /// A sequencer's uptime as the chain records it: of the last 100 blocks, the share whose commit
    /// certificate carries its signature (a sequencer that is down, or behind, signs none).
    /// </summary>
    private async Task<(Dictionary<string, int> Signed, int Blocks)> ParticipationAsync(CancellationToken cancellationToken)
    {
        // Recovering the signers of 100 blocks is a few hundred signature recoveries: once per head, not per page refresh.
        var headHash = RequireChain().Head.Hash;
        if (Volatile.Read(ref _participation) is { } known && known.Head == headHash)
            return (known.Signed, known.Blocks);
        var signed = new Dictionary<string, int>(StringComparer.Ordinal);
        var head = RequireChain().Head.Number;
        var blocks = 0;
        for (var n = head; n > 0 && blocks < UptimeBlocks; n--, blocks++)
        {
            if (await CallAsync("l2_getblockbynumber", [n.ToString(CultureInfo.InvariantCulture), 1], cancellationToken) is not JsonObject block)
                break;
            foreach (var signer in (block["signers"] as JsonArray ?? []).Select(s => s?.GetValue<string>()).OfType<string>().Distinct())
                signed[signer] = signed.GetValueOrDefault(signer) + 1;
        }
        Volatile.Write(ref _participation, new Participation(headHash, signed, blocks));
        return (signed, blocks);
    }

    /// <summary>The last count, swapped whole (page requests run concurrently); never changed once published.</summary>
    private sealed record Participation(Primitives.Hash256 Head, Dictionary<string, int> Signed, int Blocks);

    private Participation? _participation;

    private const int UptimeBlocks = 100;

    /// <summary>?number=N or ?hash=H: that block; otherwise the latest ?count (20) blocks, newest first.</summary>
    public async Task<JsonObject> BlocksAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        var blocks = new JsonArray();
        if (query.TryGetValue("number", out var number))
            blocks.Add(await RequireAsync("l2_getblockbynumber", [Number(number, "number").ToString(CultureInfo.InvariantCulture), 1], "no such block", cancellationToken));
        else if (query.TryGetValue("hash", out var hash))
            blocks.Add(await RequireAsync("l2_getblockbyhash", [Hash(hash), 1], "no such block", cancellationToken));
        else
        {
            var head = RequireChain().Head.Number;
            var count = Count(query);
            for (var n = head; n + (ulong)count > head && blocks.Count < count; n--)
            {
                blocks.Add(await CallAsync("l2_getblockbynumber", [n.ToString(CultureInfo.InvariantCulture), 1], cancellationToken));
                if (n == 0)
                    break;
            }
        }
        return new JsonObject { ["blocks"] = blocks };
    }

    /// <summary>?hash=H: the transaction and its receipt; ?address=A: the account; otherwise the latest ?count (25) transactions.</summary>
    public async Task<JsonObject> TransactionsAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        if (query.TryGetValue("hash", out var hash))
        {
            var transaction = await RequireAsync("l2_gettransaction", [Hash(hash)], "no such transaction", cancellationToken);
            return new JsonObject { ["transaction"] = transaction, ["receipt"] = await CallAsync("l2_gettransactionreceipt", [Hash(hash)], cancellationToken) };
        }
        if (query.TryGetValue("address", out var address))
        {
            var balance = await CallAsync("l2_getbalance", [address], cancellationToken) ?? throw new DashboardException(400, $"\"{address}\" is not an address of this network");
            return new JsonObject
            {
                ["address"] = address,
                ["balance"] = balance,
                ["nonce"] = await CallAsync("l2_gettransactioncount", [address, "latest"], cancellationToken),
                ["pendingnonce"] = await CallAsync("l2_gettransactioncount", [address, "pending"], cancellationToken),
            };
        }
        var count = query.ContainsKey("count") ? Count(query) : 25;
        var transactions = new JsonArray();
        var head = RequireChain().Head.Number;
        for (var n = head; transactions.Count < count && head - n < MaxCount; n--)
        {
            if (await CallAsync("l2_getblockbynumber", [n.ToString(CultureInfo.InvariantCulture), 2], cancellationToken) is JsonObject block)
            {
                foreach (var transaction in (block["tx"] as JsonArray ?? []).Reverse().Take(count - transactions.Count))
                    transactions.Add(transaction?.DeepClone());
            }
            if (n == 0)
                break;
        }
        return new JsonObject { ["transactions"] = transactions };
    }

    /// <summary>The bridge (locked, deposits, anchors and their status) and the withdrawals this node saw committed since it started.</summary>
    public async Task<JsonObject> WithdrawalsAsync(CancellationToken cancellationToken)
    {
        var withdrawals = new JsonArray();
        foreach (var (txid, _) in history.Withdrawals())
        {
            if (await CallAsync("l2_getwithdrawalstatus", [txid], cancellationToken) is { } status)
                withdrawals.Add(status);
        }
        var anchors = new JsonArray();
        var chainInfo = chain is null ? null : await CallAsync("l2_getchaininfo", [], cancellationToken);
        if (Record() is { } record)
        {
            for (var index = record.AnchorCount; index > 0 && anchors.Count < 10; index--)
            {
                if (await CallAsync("l2_getbatch", [record.ChainId, index - 1], cancellationToken) is JsonObject batch)
                {
                    batch.Remove("blockroots");
                    anchors.Add(batch);
                }
            }
        }
        return new JsonObject
        {
            ["bridge"] = chainInfo is null ? null : new JsonObject
            {
                ["locked"] = chainInfo["locked"]?.DeepClone(),
                ["deposits"] = chainInfo["l1messages"]?.DeepClone(),
                ["withdrawntoday"] = chainInfo["withdrawntoday"]?.DeepClone(),
                ["anchors"] = chainInfo["anchors"]?.DeepClone(),
            },
            ["withdrawals"] = withdrawals,
            ["anchors"] = anchors,
        };
    }

    /// <summary>The alerts the node's monitors raised (l2_getalerts), newest first.</summary>
    public async Task<JsonObject> AlertsAsync(CancellationToken cancellationToken)
    {
        var alerts = await CallAsync("l2_getalerts", [], cancellationToken) as JsonArray ?? [];
        return new JsonObject { ["alerts"] = new JsonArray([.. alerts.Reverse().Take(MaxCount).Select(a => a?.DeepClone())]) };
    }

    private ChainRecord? Record() => settlement?.RunningChainRecordOrNull();

    private L2Blockchain RequireChain() => chain ?? throw new DashboardException(404, "this node runs no L2 chain");

    /// <summary>One of the node's RPC methods; its result, or null when it answers an error.</summary>
    private async Task<JsonNode?> CallAsync(string method, object?[] parameters, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.SerializeToUtf8Bytes(new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        var reply = await dispatcher.DispatchAsync(request, cancellationToken);
        if (reply.Body is null || JsonNode.Parse(reply.Body) is not JsonObject answer || answer["error"] is JsonObject)
            return null;
        return answer["result"]?.DeepClone();
    }

    private async Task<JsonNode> RequireAsync(string method, object?[] parameters, string missing, CancellationToken cancellationToken) =>
        await CallAsync(method, parameters, cancellationToken) ?? throw new DashboardException(404, missing);

    private static ulong Number(string text, string name) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new DashboardException(400, $"{name} must be a whole number");

    private static string Hash(string text) =>
        text.Length == 64 && text.All(Uri.IsHexDigit) ? text : throw new DashboardException(400, "a hash is 64 hexadecimal digits");

    private static int Count(IReadOnlyDictionary<string, string> query) =>
        query.TryGetValue("count", out var text) ? (int)Math.Clamp(Number(text, "count"), 1, MaxCount) : 20;
}
