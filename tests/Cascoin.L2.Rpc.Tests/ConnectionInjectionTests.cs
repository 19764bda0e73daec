using System.Text;
using System.Text.Json.Nodes;
using Cascoin.L2.Rpc.Modules;
using Cascoin.L2.Rpc.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Rpc.Tests;

/// <summary>
/// A method that declares an <see cref="RpcConnection"/> gets the WebSocket connection its call came
/// over, never anything from "params"; over HTTP it gets null. The dispatcher tells its observer
/// (the metrics) of every call with its outcome.
/// </summary>
public sealed class ConnectionInjectionTests
{
    private sealed class RecordingConnection : RpcConnection
    {
        public List<SubscriptionTopic> Topics { get; } = [];

        public override string Subscribe(SubscriptionTopic topic)
        {
            Topics.Add(topic);
            return "0x" + Topics.Count;
        }

        public override bool Unsubscribe(string id) => id == "0x1";
    }

    [Fact]
    public async Task Subscriptions_go_to_the_calls_connection_and_over_http_say_they_need_one()
    {
        using var table = new RpcMethodTable([new SubscriptionRpcModule()]);
        var warmup = new RpcWarmup();
        warmup.Finish();
        var observed = new List<(string Method, int? Error)>();
        var dispatcher = new JsonRpcDispatcher(table, warmup, NullLogger<JsonRpcDispatcher>.Instance) { Observed = (method, _, error) => observed.Add((method, error)) };
        var connection = new RecordingConnection();

        async Task<JsonObject> Call(string body, RpcConnection? over) =>
            JsonNode.Parse((await dispatcher.DispatchAsync(Encoding.UTF8.GetBytes(body), CancellationToken.None, over)).Body!)!.AsObject();

        var overHttp = await Call("""{"jsonrpc":"2.0","id":1,"method":"l2_subscribe","params":["newHeads"]}""", null);
        Assert.Equal(-1, (int)overHttp["error"]!["code"]!);
        Assert.Contains("needs a WebSocket connection", (string)overHttp["error"]!["message"]!, StringComparison.Ordinal);

        Assert.Equal("0x1", (string)(await Call("""{"jsonrpc":"2.0","id":2,"method":"l2_subscribe","params":["NEWHEADS"]}""", connection))["result"]!);
        Assert.Equal("0x2", (string)(await Call("""{"jsonrpc":"2.0","id":3,"method":"l2_subscribe","params":{"topic":"pendingTransactions"}}""", connection))["result"]!);
        Assert.Equal([SubscriptionTopic.NewHeads, SubscriptionTopic.PendingTransactions], connection.Topics);
        Assert.True((bool)(await Call("""{"jsonrpc":"2.0","id":4,"method":"l2_unsubscribe","params":["0x1"]}""", connection))["result"]!);

        // The connection is not a parameter: naming it, or passing one more positional value, is refused.
        var named = await Call("""{"jsonrpc":"2.0","id":5,"method":"l2_subscribe","params":{"topic":"newHeads","connection":1}}""", connection);
        Assert.Equal(-32602, (int)named["error"]!["code"]!);
        var extra = await Call("""{"jsonrpc":"2.0","id":6,"method":"l2_subscribe","params":["newHeads", 1]}""", connection);
        Assert.Equal(-32602, (int)extra["error"]!["code"]!);
        var unknown = await Call("""{"jsonrpc":"2.0","id":7,"method":"l2_subscribe","params":["alarms"]}""", connection);
        Assert.Equal(-8, (int)unknown["error"]!["code"]!);
        Assert.Contains("unknown topic 'alarms'", (string)unknown["error"]!["message"]!, StringComparison.Ordinal);
        Assert.Equal(2, connection.Topics.Count);
        Assert.True(table.TryGet("l2_subscribe", out var subscribe));
        Assert.Equal(["topic"], subscribe.Parameters.Select(p => p.Name));

        Assert.Equal([("l2_subscribe", -1), ("l2_subscribe", null), ("l2_subscribe", null), ("l2_unsubscribe", null), ("l2_subscribe", -32602), ("l2_subscribe", -32602), ("l2_subscribe", -8)],
            observed.Select(o => (o.Method, o.Error)));
    }
}
