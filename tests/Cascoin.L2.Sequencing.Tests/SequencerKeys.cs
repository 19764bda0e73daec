using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using Cascoin.L2.Sequencing.Election;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>Deterministic sequencer keys (key i from i, so a failing case replays) and random weighted sets.</summary>
internal static class SequencerKeys
{
    private static readonly DeterministicKeys Keys = new("cascoin-sequencer-test-key");

    public static PrivateKey Key(int index) => Keys.Key(index);

    public static Address AddressOf(int index) => DeterministicKeys.AddressOf(Key(index));

    /// <summary>1–12 sequencers with stakes of 10–10,000 CAS and scores of 50–100, keyed 0..n-1.</summary>
    public static List<SequencerWeight> RandomSet(Random random, int? count = null) =>
        Enumerable.Range(0, count ?? random.Next(1, 13))
            .Select(i => new SequencerWeight(AddressOf(i), Amount.FromCas(random.Next(10, 10_001)), (byte)random.Next(50, 101)))
            .ToList();

    public static Hash256 RandomHash(Random random)
    {
        var bytes = new byte[Hash256.Size];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
