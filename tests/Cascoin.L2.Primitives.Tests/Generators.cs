using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Fluent;

namespace Cascoin.L2.Primitives.Tests;

/// <summary>FsCheck generators for the primitives; registered with <c>[Properties(Arbitrary = ...)]</c>.</summary>
public static class Generators
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static Arbitrary<Hash256> Hash256() =>
        Gen.ArrayOf(AnyByte, Primitives.Hash256.Size).Select(b => new Hash256(b)).ToArbitrary();

    public static Arbitrary<Address> Address() =>
        Gen.ArrayOf(AnyByte, Primitives.Address.Size).Select(b => new Address(b)).ToArbitrary();

    /// <summary>Amounts within ±MaxMoney, weighted to small values, round values and the bounds.</summary>
    public static Arbitrary<Amount> Amount() =>
        Gen.OneOf(
            Gen.Choose(-1000, 1000).Select(i => Primitives.Amount.FromSat(i)),
            Gen.Choose(-84_000_000, 84_000_000).Select(i => Primitives.Amount.FromCas(i)),
            Gen.Elements(Primitives.Amount.MaxMoney, -Primitives.Amount.MaxMoney, Primitives.Amount.Zero),
            Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t =>
                Primitives.Amount.FromSat((((long)t.Item1 << 32) | (uint)t.Item2) % (Primitives.Amount.MaxMoneySat + 1))))
        .ToArbitrary();

    /// <summary>A random network of the three.</summary>
    public static Arbitrary<NetworkParameters> Network() =>
        Gen.Elements(NetworkParameters.Main, NetworkParameters.Test, NetworkParameters.Regtest).ToArbitrary();
}

/// <summary>Strings drawn from an alphabet, so decoders get past their first character check.</summary>
internal static class Alphabets
{
    public static string Pick(string alphabet, int[] indexes)
    {
        var chars = new char[indexes.Length];
        for (int i = 0; i < indexes.Length; i++)
            chars[i] = alphabet[(int)((uint)indexes[i] % (uint)alphabet.Length)];
        return new string(chars);
    }
}
