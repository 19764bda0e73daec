using System.Numerics;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using FsCheck.Xunit;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// "Random bytes never crash, only reject" for the compact proof decoder, and "bad proofs verify
/// false, never throw" for the verifier — which must also agree with SPEC §4's verification rule
/// (<see cref="ReferenceSmt.Verify"/>) on arbitrary, mostly forged, proof objects.
/// </summary>
public sealed class ProofCodecProperties
{
    [Property(MaxTest = 1000)]
    public void TryDecode_of_random_bytes_never_throws_and_accepts_only_canonical_encodings(byte[] bytes, byte keyPick)
    {
        var key = SmtKeyPool.Keys[keyPick % SmtKeyPool.Keys.Count];
        AssertDecodesCanonicallyOrRejects(key, bytes);
    }

    /// <summary>Bytes close to a valid proof (right kind, depth, bitmap, sibling count — each sometimes off), built from a seed.</summary>
    [Property(MaxTest = 1000)]
    public void TryDecode_of_almost_valid_bytes_never_throws_and_accepts_only_canonical_encodings(int seed)
    {
        var (key, bytes) = NearlyValidProof(new Random(seed));
        AssertDecodesCanonicallyOrRejects(key, bytes);
    }

    [Fact]
    public void The_almost_valid_generator_reaches_both_acceptance_and_every_rejection_path()
    {
        var accepted = 0;
        for (var seed = 0; seed < 3_000; seed++)
        {
            var (key, bytes) = NearlyValidProof(new Random(seed));
            if (SmtProofCodec.TryDecode(key, bytes, out _))
                accepted++;
        }
        // Both outcomes are common, so the property above tests the decoder's checks and its happy path.
        Assert.InRange(accepted, 300, 2_700);
    }

    [Property(MaxTest = 500)]
    public void Verify_never_throws_and_agrees_with_the_spec_rule_on_arbitrary_proofs(int seed)
    {
        var random = new Random(seed);
        var (proof, siblings) = ArbitraryProof(random);
        var key = proof.Key;
        // Half of the time the root is what the proof folds to, so the claim checks decide, not the root.
        var root = random.Next(2) == 0 ? ReferenceSmt.FoldedRoot(proof) : RandomHash(random, zeroChance: 4);
        byte[]? value = random.Next(3) switch
        {
            0 => null,
            1 => ValueFor(proof.Leaf?.ValueHash),
            _ => RandomBytes(random, random.Next(0, 4)),
        };
        var leaf = proof.Leaf is { } l ? (l.Key, l.ValueHash) : ((Hash256, Hash256)?)null;

        var expected = ReferenceSmt.Verify(root, key, value, proof.Depth, proof.Siblings, leaf);
        Assert.Equal(expected, SmtVerifier.Verify(root, key, value, proof));
        Assert.Equal(expected, SmtVerifier.VerifyCompact(root, key, value, proof.ToCompact()));
        Assert.Equal(expected, SmtVerifier.VerifyMany([(root, key, value, proof)])[0]);
        Assert.False(SmtVerifier.Verify(root, key, value, null));

        // A proof about another key never verifies.
        var otherKey = SmtKeyPool.FlipBit(key, random.Next(256));
        Assert.False(SmtVerifier.Verify(root, otherKey, value, proof));

        // A proof whose sibling list changed after it was made (the list is the caller's) verifies false, without throwing.
        if (random.Next(2) == 0 || siblings.Count == 0)
            siblings.Add(RandomHash(random, zeroChance: 2));
        else
            siblings.RemoveAt(random.Next(siblings.Count));
        Assert.False(SmtVerifier.Verify(root, key, value, proof));
    }

    [Property(MaxTest = 500)]
    public void Encode_then_decode_gives_the_same_proof(int seed)
    {
        var (proof, _) = ArbitraryProof(new Random(seed));
        var bytes = proof.ToCompact();
        Assert.True(SmtProofCodec.TryDecode(proof.Key, bytes, out var decoded));
        Assert.Equal(proof.Key, decoded.Key);
        Assert.Equal(proof.Depth, decoded.Depth);
        Assert.Equal(proof.Siblings, decoded.Siblings);
        Assert.Equal(proof.Leaf, decoded.Leaf);
        Assert.Equal(bytes, decoded.ToCompact());
    }

    /// <summary>The smallest proof: depth 0, no leaf. It proves absence from the empty tree, and nothing else.</summary>
    [Fact]
    public void The_empty_trees_proof_is_three_bytes_and_verifies_only_against_the_zero_root()
    {
        var key = SmtKeyPool.Keys[3];
        var proof = new SmtProof(key, 0, [], null);
        Assert.Equal(new byte[] { 0, 0, 0 }, proof.ToCompact());
        Assert.True(SmtVerifier.VerifyCompact(Hash256.Zero, key, null, [0, 0, 0]));
        Assert.False(SmtVerifier.VerifyCompact(Hash256.Zero, key, [], [0, 0, 0]));
        Assert.False(SmtVerifier.VerifyCompact(SmtKeyPool.Keys[4], key, null, [0, 0, 0]));
        ProofProperties.AssertEveryBitFlipBreaks(Hash256.Zero, key, null, [0, 0, 0]);
    }

    private static void AssertDecodesCanonicallyOrRejects(Hash256 key, byte[] bytes)
    {
        if (!SmtProofCodec.TryDecode(key, bytes, out var proof))
            return;
        Assert.Equal(key, proof.Key);
        Assert.InRange(proof.Depth, 0, SmtHashing.MaxDepth);
        Assert.Equal(proof.Depth, proof.Siblings.Count);
        // Canonical: an accepted byte string is the one encoding of what it decodes to.
        Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(proof.ToCompact()));
        var leaf = proof.Leaf is { } l ? (l.Key, l.ValueHash) : ((Hash256, Hash256)?)null;
        foreach (var value in new byte[]?[] { null, [], [1] })
        {
            var root = ReferenceSmt.FoldedRoot(proof);
            Assert.Equal(ReferenceSmt.Verify(root, key, value, proof.Depth, proof.Siblings, leaf), SmtVerifier.Verify(root, key, value, proof));
        }
    }

    /// <summary>
    /// A proof object as an attacker could hand one in: any depth, siblings often zero, and a leaf that
    /// is none, the key's own (with the hash of a small known value, or a random hash), or another key
    /// that shares the key's first bits — or not. Returns the sibling list too, which stays mutable.
    /// </summary>
    private static (SmtProof Proof, List<Hash256> Siblings) ArbitraryProof(Random random)
    {
        var key = random.Next(4) == 0 ? RandomHash(random, zeroChance: 0) : SmtKeyPool.Keys[random.Next(SmtKeyPool.Keys.Count)];
        var depth = random.Next(5) switch
        {
            0 => 0,
            1 => SmtHashing.MaxDepth - random.Next(3),
            _ => random.Next(0, 24),
        };
        var siblings = Enumerable.Range(0, depth).Select(_ => RandomHash(random, zeroChance: 3)).ToList();
        SmtProofLeaf? leaf = random.Next(3) switch
        {
            0 => null,
            1 => new SmtProofLeaf(key, random.Next(2) == 0 ? SmtHashing.ValueHash(KnownValues[random.Next(KnownValues.Length)]) : RandomHash(random, zeroChance: 0)),
            _ => new SmtProofLeaf(OtherKey(key, depth, random), RandomHash(random, zeroChance: 8)),
        };
        return (new SmtProof(key, depth, siblings, leaf), siblings);
    }

    /// <summary>Another key: usually one that shares the first <paramref name="depth"/> bits (differs below), sometimes one that does not.</summary>
    private static Hash256 OtherKey(Hash256 key, int depth, Random random)
    {
        var bit = random.Next(4) == 0 || depth >= SmtHashing.MaxDepth ? random.Next(256) : random.Next(depth, 256);
        return SmtKeyPool.FlipBit(key, bit);
    }

    private static readonly byte[][] KnownValues = [[], [0], [1], [1, 2, 3]];

    private static byte[]? ValueFor(Hash256? valueHash) =>
        KnownValues.FirstOrDefault(v => valueHash == SmtHashing.ValueHash(v)) ?? KnownValues[0];

    private static (Hash256 Key, byte[] Bytes) NearlyValidProof(Random random)
    {
        var key = SmtKeyPool.Keys[random.Next(SmtKeyPool.Keys.Count)];
        var kind = random.Next(12) switch
        {
            < 4 => SmtProofCodec.KindEmpty,
            < 7 => SmtProofCodec.KindOwnLeaf,
            < 11 => SmtProofCodec.KindOtherLeaf,
            _ => (byte)random.Next(3, 256),
        };
        int depth = random.Next(6) switch
        {
            0 => random.Next(0, 9),
            1 => new[] { 0, 7, 8, 9, 255, 256, 257, 264, 65535 }[random.Next(9)],
            2 => random.Next(0, 257),
            _ => random.Next(0, 40),
        };
        var bitmapBytes = Math.Min((depth + 7) / 8, 40) + (random.Next(10) == 0 ? random.Next(-1, 2) : 0);
        var bitmap = new byte[Math.Max(0, bitmapBytes)];
        var density = random.NextDouble();
        for (var j = 0; j < bitmap.Length * 8; j++)
        {
            var pastDepth = j >= depth;
            if (random.NextDouble() < density && (!pastDepth || random.Next(6) == 0))
                bitmap[j / 8] |= (byte)(1 << (j % 8));
        }
        var present = bitmap.Sum(b => BitOperations.PopCount(b)) + (random.Next(10) == 0 ? random.Next(-1, 2) : 0);
        var output = new List<byte> { kind, (byte)depth, (byte)(depth >> 8) };
        output.AddRange(bitmap);
        for (var i = 0; i < present; i++)
            output.AddRange(RandomHash(random, zeroChance: 12).ToArray());
        var leafBytes = kind switch { SmtProofCodec.KindOwnLeaf => 32, SmtProofCodec.KindOtherLeaf => 64, _ => 0 };
        if (random.Next(10) == 0)
            leafBytes = random.Next(0, 3) * 32;
        var leaf = RandomBytes(random, leafBytes);
        if (kind == SmtProofCodec.KindOtherLeaf && leafBytes == 64 && random.Next(5) == 0)
            key.WriteTo(leaf);
        output.AddRange(leaf);
        if (random.Next(10) == 0)
            output.AddRange(RandomBytes(random, random.Next(1, 3)));
        return (key, [.. output]);
    }

    private static Hash256 RandomHash(Random random, int zeroChance) =>
        zeroChance > 0 && random.Next(zeroChance) == 0 ? Hash256.Zero : new Hash256(RandomBytes(random, 32));

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
