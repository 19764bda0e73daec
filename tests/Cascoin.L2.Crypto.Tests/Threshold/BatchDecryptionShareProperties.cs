using Cascoin.L2.Crypto.Threshold;
using FsCheck.Xunit;

namespace Cascoin.L2.Crypto.Tests.Threshold;

/// <summary>
/// Property 7 for a block's shares with one proof per member (<see cref="BatchDecryptionShare"/>):
/// any t members' batches give every plaintext back, the same as one share per envelope does; t − 1
/// give nothing; one D_i replaced in a batch (by another member's, by a share of another envelope,
/// or by a random point), two moved by +Δ and −Δ (the same plain sum), a batch for another block, a
/// reordered batch or another member's index: each is refused by its proof, does not count towards
/// t, and first in line only sends the optimistic combination down the checked path; a sender's false
/// key commitment leaves that envelope unopened and the others as they were.
/// </summary>
public sealed class BatchDecryptionShareProperties
{
    [Property(MaxTest = 100)]
    public void Any_t_batches_decrypt_a_block_and_a_batch_with_one_wrong_share_is_refused(int seed)
    {
        var random = new Random(seed);
        var members = random.Next(1, 8);
        var threshold = ThresholdKey.ThresholdFor(members);
        var (key, keyShares) = ThresholdEncryptionProperties.Deal(members, threshold);
        var count = random.Next(1, 12);
        var plaintexts = Enumerable.Range(0, count).Select(_ => RandomBytes(random, random.Next(0, 120))).ToList();
        var labels = Enumerable.Range(0, count).Select(_ => RandomBytes(random, random.Next(0, 40))).ToList();
        var ciphertexts = plaintexts.Select((p, i) => ThresholdEncryption.Encrypt(key.PublicKey, p, labels[i])).ToList();
        var context = RandomBytes(random, 32);
        var block = CiphertextBatch.Of(ciphertexts, labels, context)!;

        var batches = keyShares.Select(s => BatchDecryptionShare.Create(s, block)).ToList();
        Assert.All(batches, b => Assert.True(BatchDecryptionShare.Verify(key, block, b)));
        var chosen = batches.OrderBy(_ => random.Next()).Take(threshold).ToList();
        var opened = BatchDecryptionShare.Combine(key, block, chosen)!;
        Assert.Equal(plaintexts, opened.Select(p => p!).ToList());
        Assert.Null(BatchDecryptionShare.Combine(key, block, [.. chosen.Take(threshold - 1), .. chosen.Take(threshold - 1)]));

        // The batch agrees with one share per envelope: its D_i are the member's single shares' points.
        var member = random.Next(members);
        var single = ThresholdEncryption.CreateShare(keyShares[member], ciphertexts[0], labels[0])!;
        Assert.Equal(single.AsSpan(2, 33).ToArray(), batches[member].AsSpan(6, 33).ToArray());

        // One D_i replaced: by another envelope's share of the same member, another member's, or a random point.
        var victim = chosen[random.Next(chosen.Count)];
        var at = random.Next(count);
        var forged = (byte[])victim.Clone();
        byte[] replacement = random.Next(3) switch
        {
            0 when count > 1 => victim.AsSpan(6 + (at + 1) % count * 33, 33).ToArray(),
            1 when members > 1 => batches.First(b => b != victim).AsSpan(6 + at * 33, 33).ToArray(),
            _ => ThresholdEncryption.Encrypt(key.PublicKey, [], []).AsSpan(0, 33).ToArray(), // a random point
        };
        replacement.CopyTo(forged, 6 + at * 33);
        if (!replacement.AsSpan().SequenceEqual(victim.AsSpan(6 + at * 33, 33)))
        {
            Assert.False(BatchDecryptionShare.Verify(key, block, forged));
            Assert.Null(BatchDecryptionShare.Combine(key, block, [.. chosen.Where(b => b != victim), forged]));
            // First in line it sends the optimistic combination down the checked path, which skips it.
            if (members > threshold)
                Assert.Equal(plaintexts, BatchDecryptionShare.Combine(key, block, [forged, .. batches.Where(b => b != victim)])!.Select(p => p!).ToList());
        }
        // Two D_i moved by +Δ and −Δ, so their plain sum stays the same: the random weights still catch it.
        if (count > 1)
        {
            var delta = Group.Base(Group.RandomScalar());
            var (a, b) = (at, (at + 1) % count);
            var balanced = (byte[])victim.Clone();
            Group.Encode(Group.Decode(victim.AsSpan(6 + a * 33, 33))!.Add(delta)).CopyTo(balanced, 6 + a * 33);
            Group.Encode(Group.Decode(victim.AsSpan(6 + b * 33, 33))!.Subtract(delta)).CopyTo(balanced, 6 + b * 33);
            Assert.False(BatchDecryptionShare.Verify(key, block, balanced));
        }
        // For another block, in another order, or under another member's index: refused.
        Assert.False(BatchDecryptionShare.Verify(key, CiphertextBatch.Of(ciphertexts, labels, [.. context, 1])!, victim));
        if (count > 1)
            Assert.False(BatchDecryptionShare.Verify(key, CiphertextBatch.Of(Enumerable.Reverse(ciphertexts).ToList(), Enumerable.Reverse(labels).ToList(), context)!, victim));
        if (members > 1)
        {
            var moved = (byte[])victim.Clone();
            var other = 1 + BatchDecryptionShare.MemberOf(victim, count)!.Value % members;
            moved[0] = (byte)(other >> 8);
            moved[1] = (byte)other;
            Assert.False(BatchDecryptionShare.Verify(key, block, moved));
        }
        // A sender's false key commitment (proved over): that envelope opens to nothing, the others as before.
        var r = Group.RandomScalar();
        var liar = ThresholdEncryption.Encrypt(Group.Decode(key.PublicKey)!, r, [1, 2, 3], labels[at]);
        liar[ThresholdEncryption.BodyStart] ^= 1;
        ThresholdEncryption.Prove(liar, r, labels[at]);
        var mixed = ciphertexts.ToList();
        mixed[at] = liar;
        var mixedBlock = CiphertextBatch.Of(mixed, labels, context)!;
        var mixedOpened = BatchDecryptionShare.Combine(key, mixedBlock, keyShares.Select(s => BatchDecryptionShare.Create(s, mixedBlock)))!;
        Assert.Null(mixedOpened[at]);
        Assert.Equal(plaintexts.Where((_, i) => i != at), mixedOpened.Where((_, i) => i != at).Select(p => p!));

        // A ciphertext that is not well formed, or a label missing, makes no batch at all.
        var broken = ciphertexts.ToList();
        broken[at] = (byte[])broken[at].Clone();
        broken[at][^1] ^= 1;
        Assert.Null(CiphertextBatch.Of(broken, labels, context));
        Assert.Null(CiphertextBatch.Of(ciphertexts, labels.Skip(1).ToList(), context));
        Assert.Null(CiphertextBatch.Of([], [], context));
    }

    [Property(MaxTest = 200)]
    public void Random_bytes_as_a_batch_are_refused_never_thrown(byte[] batch)
    {
        var (key, _) = ThresholdEncryptionProperties.Deal(4, 3);
        var block = CiphertextBatch.Of([ThresholdEncryption.Encrypt(key.PublicKey, [7], [])], [[]], [])!;
        Assert.False(BatchDecryptionShare.Verify(key, block, batch ?? []));
        Assert.Null(BatchDecryptionShare.Combine(key, block, [batch ?? [], batch ?? [], batch ?? []]));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
