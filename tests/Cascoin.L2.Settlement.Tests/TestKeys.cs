using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using FsCheck;
using FsCheck.Fluent;

namespace Cascoin.L2.Settlement.Tests;

/// <summary>
/// Deterministic keys: key number i is derived from i, so a generated case names keys by number and
/// replays exactly. The same key signs on L1 and L2, so a user's L1 and L2 addresses are one address.
/// </summary>
internal static class TestKeys
{
    private static readonly DeterministicKeys Keys = new("cascoin-settlement-test-key");

    public static PrivateKey Key(int index) => Keys.Key(index);

    public static Address AddressOf(PrivateKey key) => DeterministicKeys.AddressOf(key);

    /// <summary>An address nobody holds a key for (a miner, an L1 payee, a message target).</summary>
    public static Address Outsider(string name) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"outsider-{name}")).AsSpan(0, Address.Size));
}

/// <summary>A seed for the System.Random choices of a scenario; part of the printed counterexample, so a failure replays.</summary>
public sealed record Seed(int Value)
{
    public override string ToString() => $"seed {Value}";
}

public static class SettlementGenerators
{
    public static Arbitrary<Seed> Seeds() => Gen.Choose(0, int.MaxValue).Select(s => new Seed(s)).ToArbitrary();
}
