using System.Text;
using System.Text.Json;
using Cascoin.L2.Rpc.WebSockets;

namespace Cascoin.L2.Rpc.Tests;

public sealed class SubscriptionHubTests
{
    private sealed class Inbox : SubscriptionHub.ISubscriber
    {
        public List<string> Received { get; } = [];

        public void Offer(byte[] notification) => Received.Add(Encoding.UTF8.GetString(notification));
    }

    [Fact]
    public void Without_subscribers_an_event_is_never_serialized()
    {
        var hub = new SubscriptionHub();
        var made = 0;
        hub.Publish(SubscriptionTopic.NewHeads, () => made++);
        Assert.Equal(0, made);
        Assert.False(hub.HasSubscribers(SubscriptionTopic.NewHeads));
    }

    [Fact]
    public void Each_subscriber_of_the_topic_gets_the_event_once_under_its_own_id_and_no_more_after_it_left()
    {
        var hub = new SubscriptionHub();
        var (a, b, other) = (new Inbox(), new Inbox(), new Inbox());
        var first = hub.Add(SubscriptionTopic.NewHeads, a);
        var second = hub.Add(SubscriptionTopic.NewHeads, b);
        hub.Add(SubscriptionTopic.PendingTransactions, other);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(3, hub.Count);

        var made = 0;
        hub.Publish(SubscriptionTopic.NewHeads, () => new { number = ++made, hash = "ab\"c" });
        Assert.Equal(1, made);
        var notification = JsonDocument.Parse(Assert.Single(a.Received)).RootElement;
        Assert.Equal("2.0", notification.GetProperty("jsonrpc").GetString());
        Assert.Equal("l2_subscription", notification.GetProperty("method").GetString());
        Assert.Equal(first.Id, notification.GetProperty("params").GetProperty("subscription").GetString());
        Assert.Equal(1, notification.GetProperty("params").GetProperty("result").GetProperty("number").GetInt32());
        Assert.Equal("ab\"c", notification.GetProperty("params").GetProperty("result").GetProperty("hash").GetString());
        Assert.Contains(second.Id, Assert.Single(b.Received), StringComparison.Ordinal);
        Assert.Empty(other.Received);

        hub.Remove(first);
        hub.Publish(SubscriptionTopic.NewHeads, () => new { number = ++made });
        Assert.Single(a.Received);
        Assert.Equal(2, b.Received.Count);
        Assert.Equal(2, hub.Count);
    }

    [Fact]
    public void Topics_parse_by_their_wire_names_ignoring_case_and_nothing_else()
    {
        foreach (var topic in SubscriptionTopics.All)
        {
            Assert.True(SubscriptionTopics.TryParse(topic.Name().ToUpperInvariant(), out var parsed));
            Assert.Equal(topic, parsed);
        }
        Assert.False(SubscriptionTopics.TryParse("alarms", out _));
        Assert.False(SubscriptionTopics.TryParse("NewHeads ", out _));
    }
}
