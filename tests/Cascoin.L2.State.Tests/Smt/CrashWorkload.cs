using System.Buffers.Binary;
using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.State.Tests.Smt;

/// <summary>
/// The work the crash writer commits (tests/Cascoin.L2.State.CrashWriter, which compiles this file
/// too): version v's changes are a pure function of (seed, v), so the test can recompute the state of
/// any version — including one the writer was killed in the middle of — and a restarted writer
/// continues exactly where the database says it stopped.
/// </summary>
internal static class CrashWorkload
{
    public const int KeyCount = 1_000;
    public const int ChangesPerVersion = 200;

    public static Hash256 Key(int seed, int index)
    {
        Span<byte> input = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(input, seed);
        BinaryPrimitives.WriteInt32BigEndian(input[4..], index);
        return new Hash256(SHA256.HashData(input));
    }

    public static List<SmtChange> ChangesFor(int seed, ulong version)
    {
        // System.Random with an explicit seed is the same sequence in every process and run.
        var random = new Random(unchecked((int)(uint)((ulong)(uint)seed * 2_654_435_761UL ^ version * 40_503UL)));
        var picked = new HashSet<int>();
        while (picked.Count < ChangesPerVersion)
            picked.Add(random.Next(KeyCount));
        var changes = new List<SmtChange>(ChangesPerVersion);
        foreach (var index in picked)
        {
            byte[]? value = null;
            if (random.Next(6) != 0)
            {
                value = new byte[random.Next(1, 41)];
                random.NextBytes(value);
            }
            changes.Add(new SmtChange(Key(seed, index), value));
        }
        return changes;
    }
}
