using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Encryption;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests.Encryption;

/// <summary>
/// The epoch's DKG run among members over a simulated network (convention 15), deterministic from a
/// seed: L1 heights advance one at a time; at each, the members see the new height in a random order
/// and every message goes to every other member at once, so members a height behind receive some
/// messages early. Up to f &lt; n/3 members are faulty: silent, or a dealer that seals garbage to an
/// honest member and never answers the complaint, or a forger that sends its own dealing in an
/// honest member's name first (refused: the member did not sign it).
/// Every honest member ends with the same record, signed by more than 2/3 of the weight; the key
/// works with the honest members' shares. With messages delivered late at random instead, members
/// may disagree, but never do two different records both gather more than 2/3.
/// </summary>
public sealed class EpochKeyRunSimulation
{
    private const ulong ChainId = 9;
    private const ulong SetHeight = 100;
    private const ulong PhaseBlocks = 2;

    private enum Behaviour
    {
        Honest,
        Silent,
        GarbageToOne,
        Forger,
    }

    [Property(MaxTest = 100)]
    public void Honest_members_commit_one_key_whatever_f_below_n_over_3_do(int seed)
    {
        var random = new Random(seed);
        var (runs, behaviours, members, keys) = Set(random);
        var heights = Play(random, runs, behaviours, keys, lateChance: 0);
        var honest = runs.Where((_, i) => behaviours[i] == Behaviour.Honest).ToList();
        var records = honest.Select(r => r.Record).ToList();
        Assert.All(records, r => Assert.NotNull(r));
        Assert.All(records, r => Assert.Equal(records[0]!.ToBytes(), r!.ToBytes()));
        var record = records[0]!;
        Assert.Equal(1UL, record.Epoch);
        Assert.True(heights <= SetHeight + PhaseBlocks * EpochKeyRun.Phases, "the run ends within its phases");
        // Every honest dealer is qualified; a dealer that sealed garbage to an honest member and never answered is not.
        Assert.All(Enumerable.Range(1, runs.Count).Where(i => behaviours[i - 1] == Behaviour.Honest), i => Assert.Contains((ushort)i, record.Qualified));
        for (var i = 0; i < runs.Count; i++)
        {
            if (behaviours[i] is Behaviour.GarbageToOne or Behaviour.Silent)
                Assert.DoesNotContain((ushort)(i + 1), record.Qualified);
        }

        // The key works: t honest shares decrypt, checked against the recorded verification keys.
        var key = new ThresholdKey(record.PublicKey, ThresholdKey.ThresholdFor(members.Count), [.. Enumerable.Range(1, members.Count)], record.VerificationKeys);
        var ciphertext = ThresholdEncryption.Encrypt(key.PublicKey, "transfer"u8, "header"u8);
        var shares = honest.Take(key.Threshold).Select(r => ThresholdEncryption.CreateShare(r.Share!, ciphertext, "header"u8)!).ToList();
        Assert.All(shares, s => Assert.True(ThresholdEncryption.VerifyShare(key, ciphertext, "header"u8, s)));
        Assert.Equal("transfer"u8.ToArray(), ThresholdEncryption.Combine(key, ciphertext, "header"u8, shares));
    }

    [Property(MaxTest = 100)]
    public void With_late_messages_no_two_records_gather_more_than_two_thirds(int seed)
    {
        var random = new Random(seed);
        var (runs, behaviours, _, keys) = Set(random);
        Play(random, runs, behaviours, keys, lateChance: random.Next(1, 30));
        var digests = runs.Where((_, i) => behaviours[i] == Behaviour.Honest).Select(r => r.Record).OfType<Settlement.L1.EpochKeyCall>()
            .Select(r => r.Digest).Distinct().ToList();
        Assert.True(digests.Count <= 1, $"{digests.Count} different records each signed by more than 2/3");
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_are_no_message_and_a_message_round_trips(byte[] bytes, byte[] payload)
    {
        try
        {
            Assert.Equal(bytes, DkgMessage.Decode(bytes ?? []).ToBytes());
        }
        catch (Primitives.DecodeException)
        {
            // refused, as it should be
        }
        var message = DkgMessage.Sign(ChainId, 1, SetHeight, 2, DkgMessageKind.Reveal, payload ?? [], SequencerKeys.Key(200));
        var decoded = DkgMessage.Decode(message.ToBytes());
        Assert.Equal(message.ToBytes(), decoded.ToBytes());
        Assert.Equal(Address.FromPublicKey(SequencerKeys.Key(200).PublicKey.AsSpan()), decoded.Signer);
    }

    /// <summary>4–7 members in address order with equal weights, f &lt; n/3 of them faulty.</summary>
    private static (List<EpochKeyRun> Runs, List<Behaviour> Behaviours, List<Address> Members, List<PrivateKey> Keys) Set(Random random)
    {
        var n = random.Next(4, 8);
        var keys = Enumerable.Range(0, n).Select(i => SequencerKeys.Key(200 + i)).OrderBy(k => Address.FromPublicKey(k.PublicKey.AsSpan())).ToList();
        var members = keys.Select(k => Address.FromPublicKey(k.PublicKey.AsSpan())).ToList();
        var publicKeys = keys.Select(k => k.PublicKey.ToArray()).ToList();
        var weights = Enumerable.Repeat((UInt128)100, n).ToList();
        var runs = keys.Select(k => new EpochKeyRun(ChainId, 1, SetHeight, PhaseBlocks, members, publicKeys, weights, k)).ToList();
        var faulty = (n - 1) / 3;
        var behaviours = Enumerable.Repeat(Behaviour.Honest, n).ToList();
        foreach (var i in Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(random.Next(0, faulty + 1)))
            behaviours[i] = (Behaviour)random.Next(1, 4);
        return (runs, behaviours, members, keys);
    }

    /// <summary>Plays the run to its signature phase and a little after; returns the last height.</summary>
    private static ulong Play(Random random, List<EpochKeyRun> runs, List<Behaviour> behaviours, List<PrivateKey> keys, int lateChance)
    {
        var late = new List<(int To, DkgMessage Message)>();
        var last = SetHeight + PhaseBlocks * EpochKeyRun.Phases;
        for (var height = SetHeight; height <= last; height++)
        {
            foreach (var (to, message) in late.ToList())
            {
                late.Remove((to, message));
                Deliver(runs[to], message, keys);
            }
            foreach (var i in Enumerable.Range(0, runs.Count).OrderBy(_ => random.Next()))
            {
                var outgoing = runs[i].OnHeight(height).ToList();
                outgoing = behaviours[i] switch
                {
                    Behaviour.Silent => [],
                    Behaviour.GarbageToOne => outgoing.Where(m => m.Kind is not DkgMessageKind.Reveal).Select(m => Garbled(m, behaviours, keys, random)).ToList(),
                    Behaviour.Forger => [.. Impersonations(outgoing, behaviours, keys[i], random), .. outgoing],
                    _ => outgoing,
                };
                foreach (var message in outgoing)
                {
                    var bytes = message.ToBytes();
                    for (var to = 0; to < runs.Count; to++)
                    {
                        if (to == i)
                            continue;
                        if (random.Next(100) < lateChance)
                            late.Add((to, DkgMessage.Decode(bytes)));
                        else
                            Deliver(runs[to], DkgMessage.Decode(bytes), keys);
                    }
                }
            }
        }
        return last;
    }

    /// <summary>
    /// The forger's copies of its own dealing claiming to come from an honest member, signed with its
    /// own key, sent first: taken as that member's, they would get an honest dealer disqualified.
    /// </summary>
    private static IEnumerable<DkgMessage> Impersonations(List<DkgMessage> outgoing, List<Behaviour> behaviours, PrivateKey forger, Random random)
    {
        foreach (var dealing in outgoing.Where(m => m.Kind == DkgMessageKind.Dealing))
        {
            var victim = Enumerable.Range(1, behaviours.Count).Where(i => behaviours[i - 1] == Behaviour.Honest).OrderBy(_ => random.Next()).First();
            var payload = (DkgDealing.Decode(dealing.Payload)! with { Dealer = victim }).ToBytes();
            yield return DkgMessage.Sign(dealing.ChainId, dealing.Epoch, dealing.SetHeight, (ushort)victim, DkgMessageKind.Dealing, payload, forger);
        }
    }

    /// <summary>Hands a message over: only a message its named member did not sign (the forger's) may be refused.</summary>
    private static void Deliver(EpochKeyRun run, DkgMessage message, List<PrivateKey> keys)
    {
        if (run.OnMessage(message) is { } refused)
            Assert.True(message.Signer != Address.FromPublicKey(keys[message.Sender - 1].PublicKey.AsSpan()), $"a member's own message was refused: {refused}");
    }

    /// <summary>A dealing whose box for one honest member is garbage, re-signed by its dealer.</summary>
    private static DkgMessage Garbled(DkgMessage message, List<Behaviour> behaviours, List<PrivateKey> keys, Random random)
    {
        if (message.Kind != DkgMessageKind.Dealing)
            return message;
        var dealing = DkgDealing.Decode(message.Payload)!;
        var victims = Enumerable.Range(0, behaviours.Count).Where(i => behaviours[i] == Behaviour.Honest).ToList();
        var victim = victims[random.Next(victims.Count)];
        var boxes = dealing.Shares.ToList();
        boxes[victim] = [.. boxes[victim][..^1], (byte)(boxes[victim][^1] ^ 1)];
        return DkgMessage.Sign(message.ChainId, message.Epoch, message.SetHeight, message.Sender, message.Kind, (dealing with { Shares = boxes }).ToBytes(),
            keys[message.Sender - 1]);
    }
}
