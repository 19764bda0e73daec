using Cascoin.L2.Crypto.Threshold;
using FsCheck.Xunit;
using Org.BouncyCastle.Math;

namespace Cascoin.L2.Crypto.Tests.Threshold;

/// <summary>
/// SPEC §9 property 7 on the threshold encryption (doc/encrypted-mempool.md), for random member
/// counts, plaintexts and subsets: encrypt, then any t valid shares give the same bytes back; any
/// t − 1 fail (too few for <see cref="ThresholdEncryption.Combine"/>, and interpolated anyway they
/// give a key its commitment does not match); a tampered share or proof is rejected, and first in line
/// it only sends the optimistic combination down the checked path; a tampered ciphertext or label
/// fails (its sender proof or its authentication); a sender's false key commitment opens to nothing;
/// an envelope's point copied into another ciphertext is refused, so nobody gets another's envelope
/// decrypted for them.
/// </summary>
public sealed class ThresholdEncryptionProperties
{
    /// <summary>A key shared by a dealer in the test (the DKG has its own property): shares f(j) of a random polynomial of degree t − 1.</summary>
    internal static (ThresholdKey Key, List<KeyShare> Shares) Deal(int members, int threshold)
    {
        var polynomial = Enumerable.Range(0, threshold).Select(_ => Group.RandomScalar()).ToArray();
        BigInteger At(int x)
        {
            var result = polynomial[^1];
            for (var k = polynomial.Length - 2; k >= 0; k--)
                result = result.Multiply(BigInteger.ValueOf(x)).Add(polynomial[k]).Mod(Group.N);
            return result;
        }
        var shares = Enumerable.Range(1, members).Select(j => new KeyShare(j, Group.EncodeScalar(At(j)))).ToList();
        var key = new ThresholdKey(Group.Encode(Group.Base(polynomial[0])), threshold, [.. Enumerable.Range(1, members)],
            [.. shares.Select(s => Group.Encode(Group.Base(new BigInteger(1, s.Secret))))]);
        return (key, shares);
    }

    [Property(MaxTest = 100)]
    public void Any_t_valid_shares_decrypt_fewer_or_tampered_ones_never_do(int seed)
    {
        var random = new Random(seed);
        var members = random.Next(1, 11);
        var threshold = ThresholdKey.ThresholdFor(members);
        var (key, keyShares) = Deal(members, threshold);
        var plaintext = new byte[random.Next(0, 300)];
        random.NextBytes(plaintext);
        var label = new byte[random.Next(0, 80)];
        random.NextBytes(label);

        var ciphertext = ThresholdEncryption.Encrypt(key.PublicKey, plaintext, label);
        Assert.Equal(plaintext.Length + ThresholdEncryption.Overhead, ciphertext.Length);
        Assert.True(ThresholdEncryption.IsWellFormed(ciphertext, label));
        var shares = keyShares.Select(s => ThresholdEncryption.CreateShare(s, ciphertext, label)!).ToList();
        Assert.All(shares, s => Assert.True(ThresholdEncryption.VerifyShare(key, ciphertext, label, s)));

        // Any t of them, in any order: the same bytes.
        var subset = shares.OrderBy(_ => random.Next()).Take(threshold).ToList();
        Assert.Equal(plaintext, ThresholdEncryption.Combine(key, ciphertext, label, subset));

        // t − 1: too few to combine; interpolated anyway, the point is not the key's.
        var fewer = subset.Take(threshold - 1).ToList();
        Assert.Null(ThresholdEncryption.Combine(key, ciphertext, label, [.. fewer, .. fewer]));
        if (threshold > 1)
        {
            var u = ThresholdEncryption.PointOf(ciphertext, label)!;
            var points = fewer.ToDictionary(s => (int)ThresholdEncryption.ShareIndex(s)!, s => Group.Decode(s.AsSpan(2, Group.PointSize))!);
            Assert.Equal((false, (byte[]?)null), ThresholdEncryption.Open(ciphertext, label, ThresholdEncryption.Interpolate(points), u));
        }

        // A tampered share (its point or its proof) is rejected. A changed point with t − 1 good shares
        // does not decrypt; a changed proof over the true point still gives the plaintext, as the point
        // is all that the combination reads.
        var victim = subset[random.Next(subset.Count)];
        var tampered = (byte[])victim.Clone();
        var position = 2 + random.Next(tampered.Length - 2);
        tampered[position] ^= (byte)(1 << random.Next(8));
        Assert.False(ThresholdEncryption.VerifyShare(key, ciphertext, label, tampered));
        Assert.Equal(position < 2 + Group.PointSize ? null : plaintext, ThresholdEncryption.Combine(key, ciphertext, label, [.. subset.Where(s => s != victim), tampered]));
        // First in line, it sends the optimistic combination down the checked path, which skips it.
        if (members > threshold)
            Assert.Equal(plaintext, ThresholdEncryption.Combine(key, ciphertext, label, [tampered, .. shares.Where(s => s != victim)]));
        // A share under another member's index (its proof is against the wrong key).
        if (members > 1)
        {
            var moved = (byte[])victim.Clone();
            var other = 1 + (ThresholdEncryption.ShareIndex(victim)!.Value % members);
            moved[0] = (byte)(other >> 8);
            moved[1] = (byte)other;
            Assert.False(ThresholdEncryption.VerifyShare(key, ciphertext, label, moved));
        }

        // A tampered ciphertext or another label: not well formed (the sender's proof binds both), nothing decrypts.
        var broken = (byte[])ciphertext.Clone();
        broken[random.Next(broken.Length)] ^= (byte)(1 << random.Next(8));
        Assert.False(ThresholdEncryption.IsWellFormed(broken, label));
        Assert.Null(ThresholdEncryption.CreateShare(keyShares[0], broken, label));
        Assert.Null(ThresholdEncryption.Combine(key, broken, label, shares));
        Assert.Null(ThresholdEncryption.Combine(key, ciphertext, [.. label, 1], shares));
        // Past the proof (as if the sender had re-proved r), a changed body still fails its authentication.
        var secret = ThresholdEncryption.Interpolate(subset.ToDictionary(s => (int)ThresholdEncryption.ShareIndex(s)!, s => Group.Decode(s.AsSpan(2, Group.PointSize))!));
        var point = ThresholdEncryption.PointOf(ciphertext, label)!;
        var (matches, opened) = ThresholdEncryption.Open(ciphertext, label, secret, point);
        Assert.True(matches);
        Assert.Equal(plaintext, opened);
        var body = (byte[])ciphertext.Clone();
        body[ThresholdEncryption.BodyStart + random.Next(body.Length - ThresholdEncryption.BodyStart)] ^= (byte)(1 << random.Next(8));
        Assert.Null(ThresholdEncryption.Open(body, label, secret, point).Plaintext);

        // A sender who writes a false key commitment (and proves r over it): the ciphertext is well
        // formed, its shares check, and it opens to nothing, the same for every node.
        var r = Group.RandomScalar();
        var falseCommitment = ThresholdEncryption.Encrypt(Group.Decode(key.PublicKey)!, r, plaintext, label);
        falseCommitment[ThresholdEncryption.BodyStart + random.Next(32)] ^= 1;
        ThresholdEncryption.Prove(falseCommitment, r, label);
        Assert.True(ThresholdEncryption.IsWellFormed(falseCommitment, label));
        var itsShares = keyShares.Select(k => ThresholdEncryption.CreateShare(k, falseCommitment, label)!).ToList();
        Assert.All(itsShares, x => Assert.True(ThresholdEncryption.VerifyShare(key, falseCommitment, label, x)));
        Assert.Null(ThresholdEncryption.Combine(key, falseCommitment, label, itsShares));

        // The copycat: the victim's U in an envelope of its own, with a proof it cannot make for r.
        var copy = ThresholdEncryption.Encrypt(key.PublicKey, "front-run"u8, label);
        ciphertext.AsSpan(0, Group.PointSize).CopyTo(copy);
        Assert.False(ThresholdEncryption.IsWellFormed(copy, label));
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_as_ciphertexts_or_shares_are_refused_never_thrown(byte[] ciphertext, byte[] share)
    {
        var (key, shares) = Deal(4, 3);
        Assert.False(ThresholdEncryption.IsWellFormed(ciphertext ?? [], []));
        Assert.Null(ThresholdEncryption.CreateShare(shares[0], ciphertext ?? [], []));
        Assert.Null(ThresholdEncryption.Combine(key, ciphertext ?? [], [], [share ?? [], share ?? [], share ?? []]));
        var good = ThresholdEncryption.Encrypt(key.PublicKey, [1, 2, 3], []);
        Assert.False(ThresholdEncryption.VerifyShare(key, good, [], share ?? []));
    }
}
