using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Reputation;

/// <summary>
/// SPEC §9 property 10: the aggregated reputation is a pure function of its L1 and L2 parts,
/// independent of the order an epoch's events arrive in, and cannot be gamed: self-transfers never
/// raise it, an epoch earns at most its cap, and behaviour never lifts it more than the bonus above
/// the L1 score. (That two nodes fed the same chain agree is <see cref="ReputationExecutionTests"/>.)
/// </summary>
public sealed class ReputationProperties
{
    /// <summary>What can happen to an address within one epoch; a nonce counts its sent transactions.</summary>
    private enum Kind
    {
        Valid,
        SelfTransfer,
        Failure,
        LimitHit,
        Import,
    }

    private readonly record struct Event(Kind Kind, byte Score = 0, ulong L1Height = 0);

    private static ReputationRecord RandomRecord(Random random)
    {
        var first = (ulong)random.Next(0, 20);
        var epoch = first + (ulong)random.Next(0, 10);
        return new ReputationRecord((byte)random.Next(0, 101), (ulong)random.Next(0, 100), (byte)random.Next(0, 101), first, epoch, (ulong)random.Next(0, 1000),
            0, 0, 0, []);
    }

    private static List<Event> RandomEpoch(Random random, ref ulong l1Height)
    {
        var events = new List<Event>();
        for (var i = random.Next(0, 60); i > 0; i--)
        {
            var kind = (Kind)random.Next(0, 5);
            // Imports come from distinct L1 blocks: the newest wins whatever the order.
            events.Add(kind == Kind.Import ? new Event(kind, (byte)random.Next(0, 101), l1Height += (ulong)random.Next(1, 5)) : new Event(kind));
        }
        return events;
    }

    /// <summary>Applies one epoch's events, in the given order, then rolls into <paramref name="next"/>; <paramref name="nonce"/> follows the sent transactions.</summary>
    private static ReputationRecord Run(ReputationRecord record, IEnumerable<Event> events, ref ulong nonce, ulong next)
    {
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case Kind.Valid:
                    nonce++;
                    break;
                case Kind.SelfTransfer:
                    nonce++;
                    record = ReputationRules.SelfTransfer(record);
                    break;
                case Kind.Failure:
                    record = ReputationRules.Failure(record);
                    break;
                case Kind.LimitHit:
                    record = ReputationRules.RateLimitHit(record);
                    break;
                default:
                    record = ReputationRules.ImportL1(record, e.Score, e.L1Height);
                    break;
            }
        }
        return ReputationRules.Roll(record, next, nonce);
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 300)]
    public void The_aggregate_is_a_pure_function_of_the_events_whatever_order_they_arrive_in(Seed seed)
    {
        var random = new Random(seed.Value);
        var start = RandomRecord(random);
        var l1Height = start.L1Height;
        var (a, b) = (start, start);
        var (nonceA, nonceB) = (start.EpochStartNonce, start.EpochStartNonce);
        var epoch = start.Epoch;
        for (var epochs = random.Next(1, 6); epochs > 0; epochs--)
        {
            var events = RandomEpoch(random, ref l1Height);
            var shuffled = events.OrderBy(_ => random.Next()).ToList();
            var next = epoch + (ulong)random.Next(1, 4);
            a = Run(a, events, ref nonceA, next);
            b = Run(b, shuffled, ref nonceB, next);
            epoch = next;
        }
        Assert.Equal(a.ToBytes(), b.ToBytes());
        Assert.Equal(ReputationRules.Aggregate(a.L1Score, a.Behaviour), b.Aggregate);
        // Pure: the same inputs again give the same record.
        Assert.Equal(a, ReputationRecord.FromBytes(a.ToBytes()));
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 300)]
    public void No_sequence_of_self_transfers_raises_a_score_above_its_cap(Seed seed)
    {
        var random = new Random(seed.Value);
        var start = RandomRecord(random);
        var cap = Math.Max(start.Aggregate, start.L1Score);
        var record = start;
        var nonce = start.EpochStartNonce;
        var epoch = start.Epoch;
        for (var epochs = random.Next(1, 40); epochs > 0; epochs--)
        {
            var selfTransfers = Enumerable.Repeat(new Event(Kind.SelfTransfer), random.Next(0, 500));
            epoch += (ulong)random.Next(1, 3);
            record = Run(record, selfTransfers, ref nonce, epoch);
            Assert.True(record.Aggregate <= cap, $"self-transfers raised the aggregate from {start.Aggregate} to {record.Aggregate} (L1 {start.L1Score})");
        }
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 300)]
    public void An_epoch_earns_at_most_its_cap_and_behaviour_lifts_the_aggregate_at_most_the_bonus(Seed seed)
    {
        var random = new Random(seed.Value);
        var record = RandomRecord(random);
        var nonce = record.EpochStartNonce;
        var l1Height = record.L1Height;
        for (var epochs = random.Next(1, 30); epochs > 0; epochs--)
        {
            var before = record.Behaviour;
            // Only the epoch's own events, then the very next epoch: no idle decay mixes in.
            record = Run(record, RandomEpoch(random, ref l1Height), ref nonce, record.Epoch + 1);
            Assert.True(record.Behaviour <= before + ReputationRules.MaxGainPerEpoch, $"behaviour went from {before} to {record.Behaviour} in one epoch");
            Assert.True(record.Aggregate <= Math.Min(100, record.L1Score + ReputationRules.MaxBonus));
            Assert.True(record.Behaviour <= 100);
        }
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 200)]
    public void A_new_address_earns_nothing_during_its_ramp(Seed seed)
    {
        var random = new Random(seed.Value);
        var epoch = (ulong)random.Next(0, 1000);
        var record = ReputationRecord.Fresh((byte)random.Next(0, 101), epoch, 0);
        var nonce = 0UL;
        for (var i = 0; i < ReputationRules.RampEpochs; i++)
            record = Run(record, Enumerable.Repeat(new Event(Kind.Valid), 1000), ref nonce, record.Epoch + 1);
        Assert.Equal(ReputationRules.Neutral, record.Behaviour);
        record = Run(record, Enumerable.Repeat(new Event(Kind.Valid), 1000), ref nonce, record.Epoch + 1);
        Assert.Equal(ReputationRules.Neutral + ReputationRules.MaxGainPerEpoch, record.Behaviour);
    }

    [Fact]
    public void Spam_takes_the_high_tier_away_and_idle_epochs_heal_it()
    {
        var parameters = TestChains.Default;
        var record = ReputationRecord.Fresh(90, 10, 0);
        Assert.Equal(90, record.Aggregate);
        Assert.Equal(500, parameters.RateLimitFor(record.Aggregate));
        record = ReputationRules.RateLimitHit(ReputationRules.RateLimitHit(record));
        Assert.Equal(70, record.Aggregate);
        Assert.Equal(100, parameters.RateLimitFor(record.Aggregate));
        record = ReputationRules.Roll(record, 10 + ReputationRules.MaxDecayEpochs + 1, 0);
        Assert.Equal(ReputationRules.Neutral, record.Behaviour);
        Assert.Equal(90, record.Aggregate);
    }

    [Fact]
    public void The_aggregate_follows_its_documented_formula()
    {
        Assert.Equal(90, ReputationRules.Aggregate(90, 50));
        Assert.Equal(100, ReputationRules.Aggregate(90, 100));
        Assert.Equal(95, ReputationRules.Aggregate(90, 75));
        Assert.Equal(40, ReputationRules.Aggregate(90, 0));
        Assert.Equal(0, ReputationRules.Aggregate(20, 0));
        Assert.Equal(10, ReputationRules.Aggregate(0, 100));
    }

    [Fact]
    public void A_record_with_a_bad_version_score_or_event_is_refused()
    {
        var good = ReputationRecord.Fresh(80, 3, 7).WithChange(new ReputationChange(5, ReputationEvent.Failure, 80, 75));
        var bytes = good.ToBytes();
        Assert.Equal(good, ReputationRecord.FromBytes(bytes));
        foreach (var (offset, value) in new[] { (0, (byte)2), (1, (byte)101), (10, (byte)200), (bytes.Length - 3, (byte)9) })
        {
            var bad = bytes.ToArray();
            bad[offset] = value;
            Assert.Throws<DecodeException>(() => ReputationRecord.FromBytes(bad));
        }
        Assert.Throws<DecodeException>(() => ReputationRecord.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<DecodeException>(() => ReputationRecord.FromBytes([.. bytes, 0]));
    }
}
