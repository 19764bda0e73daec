using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using FsCheck.Xunit;
using static Cascoin.L2.State.Tests.Smt.SmtTestSupport;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// The partial tree a witness shows (the verifier's side of a one-step proof): for random trees and
/// random reads and writes, a witness from the tree gives every read its true value and the exact root
/// the full tree reaches, and after the writes proves its keys as the full tree does; a witness with a
/// changed value or sibling is refused; a partial tree never computes a wrong root — with too thin a
/// witness it names the gap instead.
/// </summary>
public sealed class PartialTreeProperties(SmtScratchDatabases scratch) : IClassFixture<SmtScratchDatabases>
{
    private const int Cases = 200;

    /// <summary>Random writes (sets, inserts, deletes, some of absent keys) and reads over the key pool and one key never written.</summary>
    private static (List<Hash256> Reads, List<(Hash256 Key, byte[]? Value)> Writes) Step(Random random)
    {
        var keys = SmtKeyPool.Keys.Append(SmtKeyPool.Outsider).OrderBy(_ => random.Next()).ToList();
        var writes = keys.Take(random.Next(0, 8))
            .Select(k => (k, random.Next(3) == 0 ? null : Enumerable.Range(0, random.Next(0, 40)).Select(_ => (byte)random.Next(256)).ToArray()))
            .ToList();
        var reads = keys.Skip(writes.Count).Take(random.Next(0, 5)).ToList();
        return (reads, writes);
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void A_witness_from_the_tree_reads_true_values_and_reaches_the_full_trees_root(SmtScript script)
    {
        var random = new Random(script.Seed);
        using var tree = scratch.FreshFirst();
        var model = ApplyScript(tree, script)[^1];
        var version = (ulong)script.Versions.Length - 1;
        var (reads, writes) = Step(random);
        var witness = tree.Witness(reads, writes, version);

        var (partial, error) = SmtPartialTree.FromWitness(tree.Root, witness);
        Assert.True(partial is not null, error);
        foreach (var key in reads.Concat(writes.Select(w => w.Key)))
        {
            Assert.True(partial.TryGet(key, out var value));
            Assert.Equal(model.GetValueOrDefault(key), value);
        }
        Assert.Null(partial.Apply(writes));
        var (root, gap) = partial.ComputeRoot();
        Assert.Null(gap);
        ApplyTo(model, writes.Select(w => new SmtChange(w.Key, w.Value)));
        Assert.Equal(ReferenceSmt.Tree.Of(model).Root, root);
        Assert.Equal(tree.Apply(version + 1, writes.Select(w => new SmtChange(w.Key, w.Value))), root);
        foreach (var (key, value) in writes)
        {
            Assert.True(partial.TryGet(key, out var after));
            Assert.Equal(value, after);
        }
        // The partial tree as it is now proves its keys as the full tree does at the new version.
        foreach (var entry in witness)
        {
            var (proof, proofGap) = partial.GetProof(entry.Key);
            Assert.Null(proofGap);
            var full = tree.GetProof(entry.Key, version + 1);
            Assert.Equal((full.Depth, full.Leaf), (proof!.Depth, proof.Leaf));
            Assert.Equal(full.Siblings, proof.Siblings);
            Assert.True(partial.TryGet(entry.Key, out var now));
            Assert.True(SmtVerifier.Verify(root, entry.Key, now, proof));
        }
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void A_partial_tree_never_computes_a_wrong_root_it_names_the_gap(SmtScript script)
    {
        var random = new Random(script.Seed);
        using var tree = scratch.FreshFirst();
        var model = ApplyScript(tree, script)[^1];
        var version = (ulong)script.Versions.Length - 1;
        var (_, writes) = Step(random);
        // The thinnest witness: the written keys' own proofs, nothing for the collapses deletes cause.
        var thin = writes.Select(w => new SmtWitnessEntry(w.Key, tree.Get(w.Key, version), tree.GetProof(w.Key, version))).ToList();
        var (partial, error) = SmtPartialTree.FromWitness(tree.Root, thin);
        Assert.True(partial is not null, error);
        Assert.Null(partial.Apply(writes));
        var (root, gap) = partial.ComputeRoot();
        ApplyTo(model, writes.Select(w => new SmtChange(w.Key, w.Value)));
        if (gap is null)
            Assert.Equal(ReferenceSmt.Tree.Of(model).Root, root);
        else
            Assert.Contains(writes, w => w.Value is null); // only a delete's collapse can need more
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void A_witness_with_a_changed_value_or_sibling_or_an_unwitnessed_write_is_refused(SmtScript script)
    {
        var random = new Random(script.Seed);
        using var tree = scratch.FreshFirst();
        ApplyScript(tree, script);
        var version = (ulong)script.Versions.Length - 1;
        var keys = SmtKeyPool.Keys.Append(SmtKeyPool.Outsider).OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToList();
        var witness = tree.Witness(keys, [], version).ToList();

        var victim = random.Next(witness.Count);
        var entry = witness[victim];
        var lying = witness.ToList();
        lying[victim] = entry with { Value = entry.Value is null ? [7] : random.Next(2) == 0 ? null : [.. entry.Value, 1] };
        Assert.Null(SmtPartialTree.FromWitness(tree.Root, lying).Tree);
        if (entry.Proof.Depth > 0)
        {
            var siblings = entry.Proof.Siblings.ToArray();
            var at = random.Next(siblings.Length);
            siblings[at] = SmtKeyPool.FlipBit(siblings[at], random.Next(256));
            lying[victim] = entry with { Proof = new SmtProof(entry.Key, entry.Proof.Depth, siblings, entry.Proof.Leaf) };
            Assert.Null(SmtPartialTree.FromWitness(tree.Root, lying).Tree);
        }
        Assert.Null(SmtPartialTree.FromWitness(tree.Root, [.. witness, witness[0]]).Tree); // one key twice

        var (partial, _) = SmtPartialTree.FromWitness(tree.Root, witness);
        var outside = new Hash256(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(script.Seed)));
        Assert.False(partial!.TryGet(outside, out _));
        var unwitnessed = partial.Apply([(keys[0], [1, 2]), (outside, [3])]);
        Assert.NotNull(unwitnessed);
        Assert.Equal(outside, unwitnessed.Path);
        Assert.Equal(tree.Root, partial.ComputeRoot().Root); // refused whole: nothing applied
    }

    [Property(Arbitrary = [typeof(SmtGenerators)], MaxTest = Cases)]
    public void A_witness_survives_its_bytes_and_other_bytes_are_refused_as_malformed(SmtScript script)
    {
        var random = new Random(script.Seed);
        using var tree = scratch.FreshFirst();
        ApplyScript(tree, script);
        var version = (ulong)script.Versions.Length - 1;
        var (reads, writes) = Step(random);
        var witness = tree.Witness(reads, writes, version);
        var bytes = SmtWitnessCodec.Encode(witness);

        var decoded = SmtWitnessCodec.Decode(bytes);
        Assert.Equal(witness.Select(e => (e.Key, Hex(e.Value), Convert.ToHexString(e.Proof.ToCompact()))),
            decoded.Select(e => (e.Key, Hex(e.Value), Convert.ToHexString(e.Proof.ToCompact()))));
        var (partial, error) = SmtPartialTree.FromWitness(tree.Root, decoded);
        Assert.True(partial is not null, error);
        Assert.Null(partial.Apply(writes));
        Assert.Equal(tree.Apply(version + 1, writes.Select(w => new SmtChange(w.Key, w.Value))), partial.ComputeRoot().Root);

        // Cut short, one more byte, or noise: a DecodeException, nothing else.
        Assert.Throws<DecodeException>(() => SmtWitnessCodec.Decode(bytes.AsSpan(0, random.Next(bytes.Length))));
        Assert.Throws<DecodeException>(() => SmtWitnessCodec.Decode([.. bytes, 0]));
        var noise = new byte[random.Next(0, 200)];
        random.NextBytes(noise);
        try
        {
            SmtWitnessCodec.Decode(noise);
        }
        catch (DecodeException)
        {
            // The expected outcome for most noise; a decode that succeeds is fine too (FromWitness judges it).
        }
    }

    private static string? Hex(byte[]? value) => value is null ? null : Convert.ToHexString(value);
}
