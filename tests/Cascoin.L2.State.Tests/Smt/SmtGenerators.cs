using FsCheck;
using FsCheck.Fluent;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>Sets <see cref="SmtKeyPool"/> key number <see cref="Key"/> to <see cref="Value"/>, or deletes it when null.</summary>
public sealed record SmtOp(int Key, byte[]? Value)
{
    public override string ToString() => Value is null ? $"k{Key}=del" : $"k{Key}={Convert.ToHexStringLower(Value)}";
}

/// <summary>
/// Versions of changes over the key pool (at most one change per key per version, as the tree
/// requires), and a seed for the System.Random choices a property makes from it (orders, splits,
/// picks). The seed is part of the counterexample FsCheck prints, so a failure replays exactly.
/// </summary>
public sealed record SmtScript(SmtOp[][] Versions, int Seed)
{
    public override string ToString() =>
        $"seed {Seed}: " + string.Join(" | ", Versions.Select(v => "[" + string.Join(", ", v.Select(o => o.ToString())) + "]"));
}

/// <summary>A pruning configuration: how many versions to retain and how many records per prune batch.</summary>
public sealed record PrunePolicy(ulong RetainVersions, int BatchSize)
{
    public override string ToString() => $"retain {RetainVersions}, batch {BatchSize}";
}

public static class SmtGenerators
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    // A few fixed values (so "set to the value it already has" happens, including the empty value) and random ones.
    private static readonly Gen<byte[]> Value = Gen.Frequency(
        (3, Gen.Elements<byte[]>([], [0], [1], [1, 2, 3], [.. Enumerable.Repeat((byte)0xab, 33)])),
        (2, Gen.Choose(0, 48).SelectMany(n => Gen.ArrayOf(AnyByte, n))));

    private static readonly Gen<SmtOp> Op =
        Gen.Choose(0, SmtKeyPool.Keys.Count - 1).SelectMany(key =>
            Gen.Frequency((1, Gen.Constant<byte[]?>(null)), (3, Value.Select(v => (byte[]?)v)))
                .Select(value => new SmtOp(key, value)));

    /// <summary>One version: later changes to a key replace earlier ones, so every key appears once.</summary>
    private static readonly Gen<SmtOp[]> Version =
        Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Op, n))
            .Select(ops => ops.GroupBy(o => o.Key).Select(g => g.Last()).ToArray());

    private static Gen<SmtScript> ScriptOf(int minVersions, int maxVersions) =>
        Gen.Choose(minVersions, maxVersions)
            .SelectMany(n => Gen.ArrayOf(Version, n))
            .SelectMany(versions => Gen.Choose(0, int.MaxValue).Select(seed => new SmtScript(versions, seed)));

    public static Arbitrary<SmtScript> Script() => ScriptOf(1, 10).ToArbitrary();

    public static Arbitrary<PrunePolicy> Policy() =>
        Gen.Choose(1, 5).SelectMany(retain => Gen.Choose(1, 40).Select(batch => new PrunePolicy((ulong)retain, batch))).ToArbitrary();
}
