using System.Text.Json;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>
/// Delivers events to the WebSocket subscribers of each topic. An event is serialized once, and only
/// when someone listens, so a node without subscribers pays one volatile read per event. Delivery
/// never waits: each connection queues what it sends in a bounded queue and is cut off when it is full
/// (<see cref="RpcWebSocketSession"/>).
/// </summary>
public sealed class SubscriptionHub
{
    private readonly Lock _lock = new();
    // Copy on write: publishers read the arrays without the lock.
    private readonly Subscription[][] _byTopic = SubscriptionTopics.All.Select(_ => Array.Empty<Subscription>()).ToArray();
    private long _nextId;

    internal sealed record Subscription(string Id, SubscriptionTopic Topic, ISubscriber Subscriber)
    {
        /// <summary>The notification's bytes before and after the result, as eth_subscribe sends them.</summary>
        public byte[] Prefix { get; } = System.Text.Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"l2_subscription\",\"params\":{{\"subscription\":\"{Id}\",\"result\":");
    }

    internal interface ISubscriber
    {
        /// <summary>Queues one notification; never blocks.</summary>
        void Offer(byte[] notification);
    }

    public bool HasSubscribers(SubscriptionTopic topic) => Volatile.Read(ref _byTopic[(int)topic]).Length > 0;

    /// <summary>How many subscriptions are open, over all connections.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _byTopic.Sum(t => t.Length);
        }
    }

    /// <summary>Sends <paramref name="result"/> (made only if someone listens) to every subscriber of <paramref name="topic"/>.</summary>
    public void Publish(SubscriptionTopic topic, Func<object> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var subscriptions = Volatile.Read(ref _byTopic[(int)topic]);
        if (subscriptions.Length == 0)
            return;
        var payload = JsonSerializer.SerializeToUtf8Bytes(result(), RpcJson.Options);
        foreach (var subscription in subscriptions)
        {
            var message = new byte[subscription.Prefix.Length + payload.Length + 2];
            subscription.Prefix.CopyTo(message, 0);
            payload.CopyTo(message, subscription.Prefix.Length);
            "}}"u8.CopyTo(message.AsSpan(subscription.Prefix.Length + payload.Length));
            subscription.Subscriber.Offer(message);
        }
    }

    internal Subscription Add(SubscriptionTopic topic, ISubscriber subscriber)
    {
        lock (_lock)
        {
            var subscription = new Subscription("0x" + (++_nextId).ToString("x", System.Globalization.CultureInfo.InvariantCulture), topic, subscriber);
            Volatile.Write(ref _byTopic[(int)topic], [.. _byTopic[(int)topic], subscription]);
            return subscription;
        }
    }

    internal void Remove(Subscription subscription)
    {
        lock (_lock)
            Volatile.Write(ref _byTopic[(int)subscription.Topic], _byTopic[(int)subscription.Topic].Where(s => s != subscription).ToArray());
    }
}
