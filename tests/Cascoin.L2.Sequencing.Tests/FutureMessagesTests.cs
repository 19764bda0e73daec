using Cascoin.L2.Sequencing.Consensus;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>Messages for later heights are bounded in all and per peer, so a flooder cannot crowd out the sequencers.</summary>
public sealed class FutureMessagesTests
{
    [Fact]
    public void A_peer_flooding_future_heights_fills_only_its_share()
    {
        var future = new FutureMessages<string>(capacity: 8, perPeer: 3, heightsAhead: 2);
        for (var i = 0; i < 100; i++)
            future.TryKeep("flooder", "l2vote", [(byte)i], 11, current: 10);
        Assert.Equal(3, future.Count);

        Assert.True(future.TryKeep("sequencer", "l2propose", [1], 11, current: 10));
        Assert.True(future.TryKeep("sequencer", "l2vote", [2], 12, current: 10));
        Assert.False(future.TryKeep("sequencer", "l2vote", [3], 13, current: 10)); // more than two heights ahead
        Assert.True(future.TryKeep(null, "l2vote", [4], 11, current: 10)); // this node's own messages have no share
        Assert.Equal(6, future.Count);
    }

    [Fact]
    public void The_total_bound_holds_whatever_the_number_of_peers()
    {
        var future = new FutureMessages<string>(capacity: 5, perPeer: 2, heightsAhead: 2);
        for (var peer = 0; peer < 10; peer++)
        {
            future.TryKeep($"peer {peer}", "l2vote", [1], 11, current: 10);
            future.TryKeep($"peer {peer}", "l2vote", [2], 11, current: 10);
        }
        Assert.Equal(5, future.Count);
    }

    [Fact]
    public void Taking_a_height_hands_its_messages_in_order_drops_earlier_ones_and_frees_the_shares()
    {
        var future = new FutureMessages<string>(capacity: 10, perPeer: 2, heightsAhead: 2);
        future.TryKeep("a", "l2vote", [1], 11, current: 10);
        future.TryKeep("a", "l2vote", [2], 12, current: 10);
        future.TryKeep("b", "l2propose", [3], 12, current: 10);
        future.TryKeep("b", "l2vote", [4], 12, current: 10);
        Assert.False(future.TryKeep("a", "l2vote", [5], 12, current: 10));

        var due = future.TakeDue(12);
        Assert.Equal([2, 3, 4], due.Select(m => m.Payload[0]));
        Assert.Equal(["a", "b", "b"], due.Select(m => m.Peer));
        Assert.Equal(0, future.Count); // height 11 was passed over: dropped
        Assert.True(future.TryKeep("a", "l2vote", [6], 13, current: 12));
        Assert.True(future.TryKeep("a", "l2vote", [7], 13, current: 12));
        Assert.Empty(future.TakeDue(12));
        Assert.Equal(2, future.Count);
    }
}
