using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// SPEC §9 property 8 for the state tree: a proof from the tree verifies iff its claim is true —
/// membership with the right value, or exclusion of an absent key — at the newest version and at
/// every older retained one; any change to the proof's bytes, the root, the key or the value
/// makes it fail.
/// </summary>
public sealed class ProofProperties(SmtScratchDatabases scratch) : IClassFixture<SmtScratchDatabases>
{
    private const int Cases = 200;

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void A_proof_verifies_iff_its_claim_is_true(SmtScript script)
    {
        var random = new Random(script.Seed);
        using var tree = scratch.FreshFirst();
        var model = ApplyScript(tree, script)[^1];
        var root = tree.Root;
        var reference = ReferenceSmt.Tree.Of(model);
        Assert.Equal(reference.Root, root);

        // Roots the proofs must not verify against: every other root the tree had, and the root with one bit flipped.
        var otherRoots = Enumerable.Range(0, script.Versions.Length)
            .Select(v => tree.TryGetRoot((ulong)v, out var r) ? r : throw new InvalidOperationException("missing root"))
            .Append(SmtKeyPool.FlipBit(root, random.Next(256)))
            .Where(r => r != root)
            .Distinct()
            .ToList();

        var keys = SmtKeyPool.Keys.Append(SmtKeyPool.Outsider).ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            var proof = tree.GetProof(key);
            reference.AssertSameProof(key, proof);
            var compact = proof.ToCompact();
            Assert.True(SmtProofCodec.TryDecode(key, compact, out var decoded));
            Assert.Equal(proof.Depth, decoded.Depth);
            Assert.Equal(proof.Siblings, decoded.Siblings);
            Assert.Equal(proof.Leaf, decoded.Leaf);

            var present = model.TryGetValue(key, out var value);
            Assert.Equal(present, proof.IsMembership);

            // The true claim verifies, in both forms.
            Assert.True(SmtVerifier.Verify(root, key, value, proof));
            Assert.True(SmtVerifier.VerifyCompact(root, key, value, compact));

            // Every false claim fails, in both forms.
            foreach (var wrong in FalseClaims(value))
            {
                Assert.False(SmtVerifier.Verify(root, key, wrong, proof), $"false claim {Describe(wrong)} for {Describe(value)}");
                Assert.False(SmtVerifier.VerifyCompact(root, key, wrong, compact));
            }
            if (present)
                Assert.False(SmtVerifier.Verify(root, key, value, present: false, proof));

            // The true claim fails against any other root, and for any other key.
            foreach (var other in otherRoots)
            {
                Assert.False(SmtVerifier.Verify(other, key, value, proof));
                Assert.False(SmtVerifier.VerifyCompact(other, key, value, compact));
            }
            var otherKey = keys[(i + 1) % keys.Count];
            Assert.False(SmtVerifier.Verify(root, otherKey, model.GetValueOrDefault(otherKey), proof));
            // The compact form does not name its key: an exclusion proof of a slot on both keys' paths truly
            // proves both absent. Any proof that involves a leaf of either key must fail for the other.
            var bothAbsent = !present && !model.ContainsKey(otherKey);
            if (!bothAbsent)
                Assert.False(SmtVerifier.VerifyCompact(root, otherKey, model.GetValueOrDefault(otherKey), compact));
        }

        // Every single-bit change of a compact proof breaks it: one membership and one exclusion proof per case.
        var members = keys.Where(model.ContainsKey).ToList();
        var absent = keys.Where(k => !model.ContainsKey(k)).ToList();
        foreach (var key in new[] { members, absent }.Where(l => l.Count > 0).Select(l => l[random.Next(l.Count)]))
            AssertEveryBitFlipBreaks(root, key, model.GetValueOrDefault(key), tree.GetProof(key).ToCompact());
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void Proofs_at_every_older_version_verify_against_that_versions_root(SmtScript script)
    {
        using var tree = scratch.FreshFirst();
        var models = ApplyScript(tree, script);
        var newest = tree.Root;
        for (var v = 0; v < models.Count; v++)
        {
            var version = (ulong)v;
            AssertVersionIntact(tree, version, models[v], SmtKeyPool.Keys);
            Assert.True(tree.TryGetRoot(version, out var root));
            if (root == newest)
                continue;
            // An old proof whose claim no longer holds, or whose path changed, does not verify against the newest root.
            foreach (var key in SmtKeyPool.Keys)
            {
                var value = models[v].GetValueOrDefault(key);
                Assert.False(SmtVerifier.Verify(newest, key, value, tree.GetProof(key, version)));
            }
        }
    }

    /// <summary>Claims that are false when the truth is <paramref name="value"/> (null: absent).</summary>
    private static IEnumerable<byte[]?> FalseClaims(byte[]? value)
    {
        if (value is null)
        {
            yield return [];
            yield return [0];
            yield return [1, 2, 3];
            yield break;
        }
        yield return null;
        yield return [.. value, 0];
        if (value.Length > 0)
        {
            yield return value[..^1];
            var flipped = (byte[])value.Clone();
            flipped[0] ^= 1;
            yield return flipped;
        }
    }

    private static string Describe(byte[]? value) => value is null ? "absent" : Convert.ToHexStringLower(value);

    internal static void AssertEveryBitFlipBreaks(Hash256 root, Hash256 key, byte[]? value, byte[] compact)
    {
        Assert.True(SmtVerifier.VerifyCompact(root, key, value, compact));
        var copy = (byte[])compact.Clone();
        for (var bit = 0; bit < compact.Length * 8; bit++)
        {
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SmtVerifier.VerifyCompact(root, key, value, copy), $"flipping bit {bit} of {Convert.ToHexStringLower(compact)} still verifies");
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
