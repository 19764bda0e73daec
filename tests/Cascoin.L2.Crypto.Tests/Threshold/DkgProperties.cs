using Cascoin.L2.Crypto.Threshold;
using FsCheck.Xunit;

namespace Cascoin.L2.Crypto.Tests.Threshold;

/// <summary>
/// The DKG (doc/encrypted-mempool.md) with up to f &lt; n/3 faulty members over a broadcast channel.
/// Each faulty one, in the Pedersen phase, stays silent, deals a malformed dealing, or seals wrong
/// shares to some members and then answers the complaints with the true pair, a wrong one, or
/// nothing, or complains falsely about honest dealers; in the exposure phase it exposes false
/// commitments, or none. Every honest member ends with the same qualified set (every honest dealer in
/// it, exactly the faulty ones that answered truly) and the same key, which is exactly the sum of the
/// qualified dealers' constant terms whatever happened in the exposure phase (no bias); its share
/// matches its verification key, and the key works with property 7.
/// </summary>
public sealed class DkgProperties
{
    private enum Fault
    {
        Silent,
        Malformed,
        WrongSharesThenTrueReveal,
        WrongSharesThenWrongReveal,
        WrongSharesThenNoReveal,
        FalseComplaints,
        FalseExposure,
        NoExposure,
    }

    [Property(MaxTest = 100)]
    public void Honest_members_agree_on_one_qualified_set_and_one_unbiased_working_key_whatever_f_below_n_over_3_do(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(1, 11);
        var t = ThresholdKey.ThresholdFor(n);
        var f = random.Next(0, (n + 2) / 3); // f < n/3
        var context = new byte[16];
        random.NextBytes(context);
        var secrets = Enumerable.Range(0, n).Select(_ => Group.RandomScalar()).ToList();
        var keys = secrets.Select(s => Group.Encode(Group.Base(s))).ToList();
        var sessions = Enumerable.Range(1, n).Select(i => new DkgSession(context, keys, t, i, Group.EncodeScalar(secrets[i - 1]))).ToList();
        var faults = Enumerable.Range(1, n).OrderBy(_ => random.Next()).Take(f).ToDictionary(i => i, _ => (Fault)random.Next(8));
        Fault FaultOf(int member) => faults.GetValueOrDefault(member, (Fault)(-1));
        var honest = sessions.Where(s => !faults.ContainsKey(s.Index)).ToList();
        void ToHonest(Action<DkgSession> deliver) => honest.ForEach(deliver);

        // Pedersen phase, round 1: dealings, through their bytes.
        var dealings = new List<DkgDealing>();
        var wronged = new Dictionary<int, HashSet<int>>();
        foreach (var session in sessions)
        {
            var dealing = session.Deal();
            var fault = FaultOf(session.Index);
            if (fault == Fault.Silent)
                continue;
            if (fault == Fault.Malformed)
                dealing = dealing with { Commitments = dealing.Commitments.Skip(1).Append(new byte[33]).ToList() };
            if (fault is Fault.WrongSharesThenTrueReveal or Fault.WrongSharesThenWrongReveal or Fault.WrongSharesThenNoReveal)
            {
                // Wrong pairs to at least one honest member: values off the polynomials, or a box that does not open.
                var victims = honest.Select(h => h.Index).Where(_ => random.Next(2) == 0).DefaultIfEmpty(honest[0].Index).ToHashSet();
                wronged[session.Index] = victims;
                var boxes = dealing.Shares.ToList();
                foreach (var victim in victims)
                {
                    if (random.Next(2) == 0)
                        boxes[victim - 1] = ShareBox.Seal(new SharePair(Group.RandomScalar(), Group.RandomScalar()), Group.Decode(keys[victim - 1])!, context, session.Index, victim);
                    else
                        boxes[victim - 1] = [.. boxes[victim - 1][..^1], (byte)(boxes[victim - 1][^1] ^ 1)];
                }
                dealing = dealing with { Shares = boxes };
            }
            dealings.Add(DkgDealing.Decode(dealing.ToBytes())!);
        }

        // Round 2: complaints (true ones from the honest, false ones from faulty members), seen by all.
        var complaints = dealings.SelectMany(d => honest.Select(h => h.Receive(d))).OfType<DkgComplaint>().ToList();
        // Faulty members see the broadcasts too (their own complaints are theirs to make, below); so they know whether they qualified.
        var faulty = sessions.Where(s => faults.ContainsKey(s.Index)).ToList();
        dealings.ForEach(d => faulty.ForEach(s => s.Receive(d)));
        foreach (var (member, _) in faults.Where(x => x.Value == Fault.FalseComplaints))
            complaints.AddRange(honest.Where(_ => random.Next(2) == 0).Select(h => new DkgComplaint(h.Index, member)));
        foreach (var (dealer, victims) in wronged)
            Assert.All(victims, v => Assert.Contains(new DkgComplaint(dealer, v), complaints));
        complaints.ForEach(c => sessions.ForEach(h => h.Complained(c)));

        // Round 3: reveals.
        foreach (var complaint in complaints)
        {
            var answer = sessions[complaint.Dealer - 1].Answer(complaint)!;
            var reveal = FaultOf(complaint.Dealer) switch
            {
                Fault.WrongSharesThenWrongReveal => answer with { Share = new SharePair(Group.RandomScalar(), Group.RandomScalar()).ToBytes() },
                Fault.WrongSharesThenNoReveal => null,
                _ => answer,
            };
            if (reveal is not null)
                sessions.ForEach(h => h.Revealed(reveal));
        }
        var qualified = honest[0].Qualified;
        var expected = sessions.Select(s => s.Index)
            .Where(i => FaultOf(i) is not (Fault.Silent or Fault.Malformed or Fault.WrongSharesThenWrongReveal or Fault.WrongSharesThenNoReveal)).ToList();
        Assert.All(honest, h => Assert.Equal(expected, h.Qualified));

        // Exposure phase: each qualified dealer exposes (a faulty one falsely, or not at all); false ones draw proofs.
        foreach (var dealer in qualified)
        {
            var exposure = sessions[dealer - 1].Expose()!;
            if (FaultOf(dealer) == Fault.NoExposure)
                continue;
            if (FaultOf(dealer) == Fault.FalseExposure)
            {
                var changed = random.Next(t);
                exposure = exposure with { Commitments = exposure.Commitments.Select((c, k) => k == changed ? Group.Encode(Group.Base(Group.RandomScalar())) : c).ToList() };
            }
            var proofs = honest.Select(h => h.ReceiveExposure(DkgExposure.Decode(exposure.ToBytes())!)).OfType<DkgExposureComplaint>().ToList();
            proofs.ForEach(p => ToHonest(h => h.ExposureComplained(p)));
        }
        var rebuild = honest[0].ToRebuild;
        Assert.All(honest, h => Assert.Equal(rebuild, h.ToRebuild));
        // A false exposure fails every honest member's check (a changed A_k moves Σ A_k·j^k for every j ≥ 1), so it is always proven.
        Assert.Equal(qualified.Where(d => FaultOf(d) is Fault.NoExposure or Fault.FalseExposure), rebuild);
        foreach (var dealer in rebuild)
        {
            foreach (var reconstruction in honest.Select(h => h.Reconstruction(dealer)).OfType<DkgReconstruction>().ToList())
                ToHonest(h => h.Reconstructed(reconstruction));
            // A faulty member's made-up pair is not kept.
            foreach (var member in faults.Keys)
                ToHonest(h => h.Reconstructed(new DkgReconstruction(dealer, member, new SharePair(Group.RandomScalar(), Group.RandomScalar()).ToBytes())));
        }

        var results = honest.Select(h => h.Finish()!).ToList();
        var unbiased = qualified.Aggregate(Group.Curve.Infinity, (sum, d) => sum.Add(sessions[d - 1].ConstantTerm!)).Normalize();
        foreach (var result in results)
        {
            Assert.Equal(expected, result.Qualified);
            Assert.Equal(Group.Encode(unbiased), result.Key.PublicKey);
            Assert.Equal(results[0].Key.VerificationKeys, result.Key.VerificationKeys);
            Assert.NotNull(result.Share);
            Assert.Equal(result.Key.VerificationKeyOf(result.Share.Index), Group.Encode(Group.Base(Group.DecodeScalar(result.Share.Secret)!)));
        }

        // The key works (property 7) with the honest members' shares, any t of them.
        var key = results[0].Key;
        var plaintext = new byte[random.Next(1, 200)];
        random.NextBytes(plaintext);
        var ciphertext = ThresholdEncryption.Encrypt(key.PublicKey, plaintext, context);
        var shares = results.OrderBy(_ => random.Next()).Take(t).Select(r => ThresholdEncryption.CreateShare(r.Share!, ciphertext, context)!).ToList();
        Assert.Equal(plaintext, ThresholdEncryption.Combine(key, ciphertext, context, shares));
        Assert.Null(ThresholdEncryption.Combine(key, ciphertext, context, shares.Take(t - 1)));
    }

    [Fact]
    public void A_dealing_of_another_run_or_with_a_wrong_count_disqualifies_its_dealer_or_draws_a_complaint()
    {
        var secrets = Enumerable.Range(0, 4).Select(_ => Group.RandomScalar()).ToList();
        var keys = secrets.Select(s => Group.Encode(Group.Base(s))).ToList();
        DkgSession Session(byte[] context, int index) => new(context, keys, 3, index, Group.EncodeScalar(secrets[index - 1]));
        var here = Session([2], 2);
        // Another run's boxes do not open here: a complaint, which its dealer cannot answer with a matching pair.
        Assert.Equal(new DkgComplaint(1, 2), here.Receive(Session([1], 1).Deal()));
        var truncated = Session([2], 3).Deal();
        Assert.Null(here.Receive(truncated with { Commitments = truncated.Commitments.Take(2).ToList() }));
        Assert.Null(here.Receive(Session([2], 4).Deal()));
        here.Receive(here.Deal());
        here.Complained(new DkgComplaint(1, 2));
        Assert.Null(here.Finish()); // two qualified dealers (2 and 4), threshold 3
        Assert.Equal([2, 4], here.Qualified);
        Assert.Null(DkgDealing.Decode([0, 1, 0, 3, 1, 2, 3]));
        Assert.Null(DkgExposure.Decode([0, 1, 0, 1, 2]));
        Assert.Throws<ArgumentException>(() => new DkgSession([2], keys, 3, 2, Group.EncodeScalar(secrets[0])));
    }
}
