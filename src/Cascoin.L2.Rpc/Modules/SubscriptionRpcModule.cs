using Cascoin.L2.Rpc.WebSockets;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("subscriptions", MaxConcurrency = 256, TimeoutSeconds = 10)]
public interface ISubscriptionRpc
{
    [RpcMethod("l2_subscribe", "Over the WebSocket at /ws only: sends the topic's events as l2_subscription notifications {subscription, result} until l2_unsubscribe or the end of the connection. "
        + "Topics: newHeads (every committed L2 block's header, in order), finalized (the newest L2 block an L1-final anchor covers), anchors (every anchor of this chain on L1), "
        + "withdrawals (pending, anchored, finalizable), pendingTransactions (ids the mempool accepts), alerts (what the node's monitors raise, as l2_getalerts shows them). A client that lets 1,024 messages queue unread is cut off.",
        Returns = "\"id\" (string) the subscription id")]
    string Subscribe([RpcParam("newHeads | finalized | anchors | withdrawals | pendingTransactions | alerts")] string topic, RpcConnection? connection = null);

    [RpcMethod("l2_unsubscribe", "Over the WebSocket at /ws only: ends a subscription of this connection.", Returns = "true|false (boolean) whether the connection had that subscription")]
    bool Unsubscribe([RpcParam("the id l2_subscribe returned")] string id, RpcConnection? connection = null);
}

/// <summary>eth_subscribe-style subscriptions; the connection comes from the WebSocket session, and HTTP has none.</summary>
public sealed class SubscriptionRpcModule : IRpcModule, ISubscriptionRpc
{
    public string Subscribe(string topic, RpcConnection? connection = null)
    {
        var over = Require(connection, "l2_subscribe");
        if (!SubscriptionTopics.TryParse(topic, out var parsed))
            throw RpcException.InvalidParameter($"unknown topic '{topic}': one of {string.Join(", ", SubscriptionTopics.All.Select(t => t.Name()))}");
        return over.Subscribe(parsed);
    }

    public bool Unsubscribe(string id, RpcConnection? connection = null) => Require(connection, "l2_unsubscribe").Unsubscribe(id);

    private static RpcConnection Require(RpcConnection? connection, string method) => connection
        ?? throw new RpcException(RpcErrorCode.MiscError, $"{method} needs a WebSocket connection: connect to ws://<rpc address>/ws with the same credentials");
}
