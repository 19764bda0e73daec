using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Discovery;
using Cascoin.L2.Sequencing.Election;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>SEQANNOUNCE: signed, checked against the L1 (never trusting the announced stake and score), expiring.</summary>
public sealed class SequencerRegistryTests
{
    private const ulong ChainId = 42;

    private readonly ManualTime _time = new(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly Dictionary<Address, SequencerWeight> _l1 = [];

    private SequencerRegistry NewRegistry() =>
        new(ChainId, a => _l1.TryGetValue(a, out var w) ? w : null, _time, TimeSpan.FromHours(1));

    private ulong Now => (ulong)_time.GetUtcNow().ToUnixTimeSeconds();

    private SequencerAnnouncement Announce(int key, ulong? expiresIn = null, ulong chainId = ChainId, Amount? claimedStake = null) =>
        SequencerAnnouncement.Sign(chainId, SequencerKeys.Key(key), $"127.0.0.1:{18000 + key}", claimedStake ?? Amount.FromCas(10), 60, 101, Now + (expiresIn ?? 600));

    private void MakeEligible(int key, long stakeCas = 25, byte score = 70) =>
        _l1[SequencerKeys.AddressOf(key)] = new SequencerWeight(SequencerKeys.AddressOf(key), Amount.FromCas(stakeCas), score);

    [Fact]
    public void An_eligible_signed_announcement_is_kept_with_the_L1_weight_not_the_claimed_one()
    {
        MakeEligible(1, stakeCas: 25, score: 70);
        var registry = NewRegistry();
        var announcement = Announce(1, claimedStake: Amount.FromCas(1_000_000));

        Assert.Equal(AnnouncementOutcome.Added, registry.Offer(announcement));
        Assert.Equal(AnnouncementOutcome.AlreadyKnown, registry.Offer(announcement));

        var known = Assert.Single(registry.List());
        Assert.Equal(SequencerKeys.AddressOf(1), known.Address);
        Assert.Equal(Amount.FromCas(25), known.Weight.Stake);
        Assert.Equal(70, known.Weight.Score);
        Assert.Equal("127.0.0.1:18001", known.Announcement.Endpoint);
    }

    [Fact]
    public void Forged_foreign_stale_and_ineligible_announcements_are_refused()
    {
        MakeEligible(1);
        var registry = NewRegistry();
        var valid = Announce(1);
        // Someone else's key under sequencer 1's public key: the signature does not recover it.
        var forged = valid with { Signature = Announce(2).Signature };
        var tampered = valid with { Endpoint = "10.0.0.66:1" };

        Assert.Equal(AnnouncementOutcome.BadSignature, registry.Offer(forged));
        Assert.Equal(AnnouncementOutcome.BadSignature, registry.Offer(tampered));
        Assert.Equal(AnnouncementOutcome.WrongChain, registry.Offer(Announce(1, chainId: ChainId + 1)));
        Assert.Equal(AnnouncementOutcome.Expired, registry.Offer(Announce(1, expiresIn: 0)));
        Assert.Equal(AnnouncementOutcome.ExpiryTooFar, registry.Offer(Announce(1, expiresIn: 3 * 3600)));
        Assert.Equal(AnnouncementOutcome.NotEligible, registry.Offer(Announce(3)));
        Assert.Empty(registry.List());
    }

    [Fact]
    public void A_later_announcement_refreshes_and_silence_expires()
    {
        MakeEligible(1);
        MakeEligible(2);
        var registry = NewRegistry();
        Assert.Equal(AnnouncementOutcome.Added, registry.Offer(Announce(1, expiresIn: 100)));
        Assert.Equal(AnnouncementOutcome.Added, registry.Offer(Announce(2, expiresIn: 100)));
        Assert.Equal(AnnouncementOutcome.Refreshed, registry.Offer(Announce(1, expiresIn: 500)));

        _time.Advance(TimeSpan.FromSeconds(200));

        Assert.Equal([SequencerKeys.AddressOf(1)], registry.List().Select(k => k.Address));
    }

    [Fact]
    public void Eligible_only_rereads_the_L1_and_drops_who_lost_stake()
    {
        MakeEligible(1);
        MakeEligible(2);
        var registry = NewRegistry();
        registry.Offer(Announce(1));
        registry.Offer(Announce(2));
        _l1.Remove(SequencerKeys.AddressOf(2));
        MakeEligible(1, stakeCas: 99);

        var eligible = Assert.Single(registry.List(eligibleOnly: true));
        Assert.Equal(Amount.FromCas(99), eligible.Weight.Stake);
        Assert.Equal(2, registry.List().Count);
    }

    [Fact]
    public void An_announcement_round_trips()
    {
        var announcement = Announce(4);
        var decoded = SequencerAnnouncement.FromBytes(announcement.ToBytes());
        Assert.Equal(announcement.ToBytes(), decoded.ToBytes());
        Assert.True(decoded.HasValidSignature());
        Assert.Equal(SequencerKeys.AddressOf(4), decoded.Address);
    }

    [Property(MaxTest = 300)]
    public void Arbitrary_bytes_decode_or_fail_cleanly(byte[] bytes, int cut)
    {
        // Mutations of a real announcement reach deeper than random bytes.
        var valid = Announce(5).ToBytes();
        var input = bytes.Length % 2 == 0 ? bytes : [.. valid.Take(Math.Abs(cut % (valid.Length + 1))), .. bytes];
        try
        {
            SequencerAnnouncement.FromBytes(input);
        }
        catch (DecodeException)
        {
            // Refused: the only acceptable failure.
        }
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
