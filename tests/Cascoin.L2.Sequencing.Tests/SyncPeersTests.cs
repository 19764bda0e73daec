using Cascoin.L2.Sequencing.Relay;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>A peer that lies about its height (issue 11) costs one request, not the sync.</summary>
public sealed class SyncPeersTests
{
    [Fact]
    public void A_peer_that_claims_a_height_and_delivers_nothing_is_not_asked_again_until_it_shows_more()
    {
        const long liar = 1, honest = 2;
        var peers = new SyncPeers();
        peers.Claim(liar, 1_000_000_000);
        peers.Claim(honest, 50);

        Assert.Equal(liar, peers.Next(10, [liar, honest]));
        peers.Answered(liar, imported: 0, head: 10);
        Assert.Equal(10UL, peers.ClaimOf(liar));

        // From now on only the honest peer is asked, however often.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(honest, peers.Next(10, [liar, honest]));
            peers.Answered(honest, imported: 1, head: 11);
        }
        // A new block it pushes makes the liar a candidate again (and it is judged by what it delivers, once more).
        peers.Claim(liar, 12);
        Assert.Contains(peers.Next(10, [liar, honest]), new long?[] { liar, honest });
    }

    [Fact]
    public void Requests_rotate_over_the_peers_ahead_and_skip_those_not_ahead_or_gone()
    {
        var peers = new SyncPeers();
        peers.Claim(1, 30);
        peers.Claim(2, 30);
        peers.Claim(3, 5);
        peers.Claim(4, 30);

        Assert.Equal([1, 2, 4, 1], Enumerable.Range(0, 4).Select(_ => peers.Next(10, [1, 2, 3, 4])!.Value));
        peers.Forget(2);
        Assert.Equal([4, 1], Enumerable.Range(0, 2).Select(_ => peers.Next(10, [1, 3, 4])!.Value));
        Assert.Null(peers.Next(30, [1, 2, 3, 4]));
        Assert.Null(peers.Next(10, []));
    }
}
