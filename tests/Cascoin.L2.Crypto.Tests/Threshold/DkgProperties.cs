using Cascoin.L2.Crypto.Threshold;
using FsCheck.Xunit;

namespace Cascoin.L2.Crypto.Tests.Threshold;

/// <summary>
/// The DKG (doc/encrypted-mempool.md) with up to f &lt; n/3 faulty members over a broadcast channel:
/// each faulty one stays silent, deals a malformed dealing (a proof of knowledge that fails), or seals
/// wrong shares to some members and then answers the complaints with the true share, a wrong one, or
/// nothing; a faulty member may also complain about honest dealers. Every honest member ends with the
/// same qualified set (every honest dealer in it, exactly the faulty ones that answered truly) and the
/// same key; its share matches its verification key, and the key works with property 7.
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
    }

    [Property(MaxTest = 100)]
    public void Honest_members_agree_on_one_qualified_set_and_one_working_key_whatever_f_below_n_over_3_do(int seed)
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
        var faults = Enumerable.Range(1, n).OrderBy(_ => random.Next()).Take(f).ToDictionary(i => i, _ => (Fault)random.Next(6));
        var honest = sessions.Where(s => !faults.ContainsKey(s.Index)).ToList();

        // Round 1: dealings, through their bytes.
        var dealings = new List<DkgDealing>();
        var wronged = new Dictionary<int, HashSet<int>>();
        foreach (var session in sessions)
        {
            var dealing = session.Deal();
            var fault = faults.GetValueOrDefault(session.Index, Fault.FalseComplaints);
            if (faults.ContainsKey(session.Index) && fault == Fault.Silent)
                continue;
            if (faults.ContainsKey(session.Index) && fault == Fault.Malformed)
                dealing = dealing with { Proof = [.. dealing.Proof.Reverse()] };
            if (faults.ContainsKey(session.Index) && fault is Fault.WrongSharesThenTrueReveal or Fault.WrongSharesThenWrongReveal or Fault.WrongSharesThenNoReveal)
            {
                // Wrong shares to at least one honest member: a value off the polynomial, or a box that does not open.
                var victims = honest.Select(h => h.Index).Where(_ => random.Next(2) == 0).DefaultIfEmpty(honest[0].Index).ToHashSet();
                wronged[session.Index] = victims;
                var boxes = dealing.Shares.ToList();
                foreach (var victim in victims)
                {
                    if (random.Next(2) == 0)
                        boxes[victim - 1] = ShareBox.Seal(Group.RandomScalar(), Group.Decode(keys[victim - 1])!, context, session.Index, victim);
                    else
                        boxes[victim - 1][^1] ^= 1;
                }
                dealing = dealing with { Shares = boxes };
            }
            dealings.Add(DkgDealing.Decode(dealing.ToBytes())!);
        }

        // Round 2: complaints (true ones from the honest, false ones from faulty members), seen by all.
        var complaints = new List<DkgComplaint>();
        foreach (var dealing in dealings)
        {
            foreach (var session in honest)
            {
                if (session.Receive(dealing) is { } complaint)
                    complaints.Add(complaint);
            }
        }
        foreach (var (member, fault) in faults.Where(x => x.Value == Fault.FalseComplaints))
            complaints.AddRange(honest.Where(_ => random.Next(2) == 0).Select(h => new DkgComplaint(h.Index, member)));
        foreach (var (dealer, victims) in wronged)
            Assert.All(victims, v => Assert.Contains(new DkgComplaint(dealer, v), complaints));
        foreach (var complaint in complaints)
            honest.ForEach(h => h.Complained(complaint));

        // Round 3: reveals.
        var reveals = new List<DkgReveal>();
        foreach (var complaint in complaints)
        {
            var dealer = sessions[complaint.Dealer - 1];
            var answer = dealer.Answer(complaint)!;
            switch (faults.GetValueOrDefault(complaint.Dealer, Fault.FalseComplaints))
            {
                case Fault.WrongSharesThenWrongReveal:
                    reveals.Add(answer with { Share = Group.EncodeScalar(Group.RandomScalar()) });
                    break;
                case Fault.WrongSharesThenNoReveal:
                    break;
                default:
                    reveals.Add(answer);
                    break;
            }
        }
        foreach (var reveal in reveals)
            honest.ForEach(h => h.Revealed(reveal));

        var results = honest.Select(h => h.Finish()!).ToList();
        var expected = sessions.Select(s => s.Index).Where(i => faults.GetValueOrDefault(i, Fault.FalseComplaints) is Fault.FalseComplaints or Fault.WrongSharesThenTrueReveal).ToList();
        foreach (var result in results)
        {
            Assert.Equal(expected, result.Qualified);
            Assert.Equal(results[0].Key.PublicKey, result.Key.PublicKey);
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
    public void A_dealing_of_another_run_or_with_a_wrong_count_disqualifies_its_dealer()
    {
        var secrets = Enumerable.Range(0, 4).Select(_ => Group.RandomScalar()).ToList();
        var keys = secrets.Select(s => Group.Encode(Group.Base(s))).ToList();
        DkgSession Session(byte[] context, int index) => new(context, keys, 3, index, Group.EncodeScalar(secrets[index - 1]));
        var elsewhere = Session([1], 1).Deal();
        var here = Session([2], 2);
        Assert.Null(here.Receive(elsewhere)); // the proof of knowledge is bound to the run: no complaint, a disqualified dealer
        var truncated = Session([2], 3).Deal();
        Assert.Null(here.Receive(truncated with { Commitments = truncated.Commitments.Take(2).ToList() }));
        var fine = Session([2], 4).Deal();
        Assert.Null(here.Receive(fine));
        here.Receive(here.Deal());
        Assert.Null(here.Finish()); // two qualified dealers, threshold 3
        Assert.Null(DkgDealing.Decode([0, 1, 0, 3, 1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new DkgSession([2], keys, 3, 2, Group.EncodeScalar(secrets[0])));
    }
}
