namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>What a WebSocket client can subscribe to with l2_subscribe (doc/rpc.md, "Subscriptions").</summary>
public enum SubscriptionTopic
{
    /// <summary>Every L2 block this node commits, in order: its header.</summary>
    NewHeads,

    /// <summary>The newest L2 block covered by an anchor that is final on L1, each time it moves.</summary>
    Finalized,

    /// <summary>Every anchor of this chain recorded on the settlement chain.</summary>
    Anchors,

    /// <summary>Withdrawals as they change status: pending (in an L2 block), anchored, finalizable.</summary>
    Withdrawals,

    /// <summary>Every transaction this node's mempool accepts: its id.</summary>
    PendingTransactions,

    /// <summary>Every alert the node's monitors raise (doc/monitoring.md).</summary>
    Alerts,
}

public static class SubscriptionTopics
{
    public static IReadOnlyList<SubscriptionTopic> All { get; } = Enum.GetValues<SubscriptionTopic>();

    /// <summary>The wire name, as eth_subscribe spells its topics.</summary>
    public static string Name(this SubscriptionTopic topic) => topic switch
    {
        SubscriptionTopic.NewHeads => "newHeads",
        SubscriptionTopic.Finalized => "finalized",
        SubscriptionTopic.Anchors => "anchors",
        SubscriptionTopic.Withdrawals => "withdrawals",
        SubscriptionTopic.PendingTransactions => "pendingTransactions",
        SubscriptionTopic.Alerts => "alerts",
        _ => throw new ArgumentOutOfRangeException(nameof(topic)),
    };

    public static bool TryParse(string name, out SubscriptionTopic topic)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                topic = candidate;
                return true;
            }
        }
        topic = default;
        return false;
    }
}
