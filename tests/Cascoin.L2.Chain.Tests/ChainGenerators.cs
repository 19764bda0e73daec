using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Fluent;

namespace Cascoin.L2.Chain.Tests;

/// <summary>Bytes handed to a decoder, and how they were made (shown in a counterexample).</summary>
public sealed record FuzzInput(byte[] Bytes, string Origin)
{
    public override string ToString() => $"{Origin}: {Convert.ToHexStringLower(Bytes)}";
}

/// <summary>An amount of fees and a number of other active sequencers (SPEC §9 property 18).</summary>
public sealed record FeeCase(long TotalSat, int OtherSequencers)
{
    public override string ToString() => $"total {TotalSat} sat, {OtherSequencers} other sequencers";
}

/// <summary>A seed for the System.Random choices a property makes; part of the printed counterexample, so a failure replays.</summary>
public sealed record Seed(int Value)
{
    public override string ToString() => $"seed {Value}";
}

public static class ChainGenerators
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static Gen<byte[]> BytesUpTo(int max) => Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(AnyByte, n));

    private static readonly Gen<ulong> AnyUInt64 = Gen.OneOf(
        Gen.Elements(0UL, 1UL, 21_000UL, uint.MaxValue, ulong.MaxValue),
        Gen.Choose(0, int.MaxValue).Select(i => (ulong)i),
        Gen.ArrayOf(AnyByte, 8).Select(b => BitConverter.ToUInt64(b)));

    private static readonly Gen<Hash256> AnyHash = Gen.ArrayOf(AnyByte, Hash256.Size).Select(b => new Hash256(b));

    private static readonly Gen<Address> AnyAddress = Gen.ArrayOf(AnyByte, Address.Size).Select(b => new Address(b));

    private static readonly Gen<long> Money = Gen.OneOf(
        Gen.Elements(0L, 1L, 99L, 100L, 101L, Amount.MaxMoneySat - 1, Amount.MaxMoneySat),
        Gen.Choose(0, 1_000_000).Select(i => (long)i),
        Gen.Choose(0, 84_000_000).SelectMany(cas => Gen.Choose(0, 99_999_999).Select(sat => Math.Min(cas * Amount.SatPerCas + sat, Amount.MaxMoneySat))));

    /// <summary>A well-formed transaction with arbitrary fields and an arbitrary (usually invalid) signature: decoding never looks at it.</summary>
    private static readonly Gen<Transaction> AnyTransaction =
        from type in Gen.Choose(0, (int)TransactionType.ContractCall)
        from chainId in AnyUInt64
        from nonce in AnyUInt64
        from to in AnyAddress
        from value in Money
        from maxFee in AnyUInt64
        from tip in AnyUInt64
        from gas in AnyUInt64
        from data in Gen.Frequency((3, Gen.Constant(Array.Empty<byte>())), (2, BytesUpTo(300)))
        from signature in Gen.ArrayOf(AnyByte, RecoverableSignature.Size)
        select new Transaction((TransactionType)type, chainId, nonce, to, Amount.FromSat(value), maxFee, tip, gas, data, signature);

    private static readonly Gen<BlockHeader> AnyHeader =
        from number in AnyUInt64
        from hashes in Gen.ArrayOf(AnyHash, 6)
        from sequencer in AnyAddress
        from numbers in Gen.ArrayOf(AnyUInt64, 6)
        select new BlockHeader(number, hashes[0], hashes[1], hashes[2], hashes[3], hashes[4], sequencer,
            numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], hashes[5]);

    private static readonly Gen<Block> AnyBlock =
        from header in AnyHeader
        from transactions in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(AnyTransaction, n))
        from signatures in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.ArrayOf(AnyByte, RecoverableSignature.Size), n))
        select new Block(header, transactions, signatures);

    /// <summary>Random bytes, or a valid encoding with bytes flipped, cut off, appended or inserted.</summary>
    private static Gen<FuzzInput> Fuzz(Gen<byte[]> valid, int randomMax) => Gen.Frequency(
        (2, BytesUpTo(randomMax).Select(b => new FuzzInput(b, "random"))),
        (1, valid.Select(b => new FuzzInput(b, "valid"))),
        (5, valid.SelectMany(Mutate)));

    private static Gen<FuzzInput> Mutate(byte[] valid) => Gen.OneOf(
        // Flip up to four bytes.
        Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, valid.Length - 1).Zip(Gen.Choose(1, 255)), n)).Select(flips =>
        {
            var bytes = (byte[])valid.Clone();
            foreach (var (position, mask) in flips)
                bytes[position] ^= (byte)mask;
            return new FuzzInput(bytes, $"flipped {string.Join(",", flips.Select(f => f.Item1))}");
        }),
        Gen.Choose(0, valid.Length - 1).Select(n => new FuzzInput(valid[..n], $"truncated to {n}")),
        BytesUpTo(16).Where(b => b.Length > 0).Select(extra => new FuzzInput([.. valid, .. extra], $"{extra.Length} appended")),
        Gen.Choose(0, valid.Length).Zip(BytesUpTo(12)).Select(t => new FuzzInput([.. valid[..t.Item1], .. t.Item2, .. valid[t.Item1..]], $"{t.Item2.Length} inserted at {t.Item1}")),
        // A CompactSize marker (0xfd, 0xfe, 0xff) or a large length byte anywhere.
        Gen.Choose(0, valid.Length - 1).Zip(Gen.Elements<byte>(0xfc, 0xfd, 0xfe, 0xff)).Select(t =>
        {
            var bytes = (byte[])valid.Clone();
            bytes[t.Item1] = t.Item2;
            return new FuzzInput(bytes, $"0x{t.Item2:x2} at {t.Item1}");
        }));

    public static Arbitrary<FuzzInput> TransactionBytes() => Fuzz(AnyTransaction.Select(t => t.ToBytes()), 400).ToArbitrary();

    public static Arbitrary<FuzzInput> BlockBytes() => Fuzz(AnyBlock.Select(b => b.ToBytes()), 1200).ToArbitrary();

    /// <summary>Totals from 0 to MaxMoney (edges and small values often), 0..20 other sequencers.</summary>
    public static Arbitrary<FeeCase> Fees() =>
        Money.Zip(Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (4, Gen.Choose(0, 20))))
            .Select(t => new FeeCase(t.Item1, t.Item2))
            .ToArbitrary();

    public static Arbitrary<Seed> Seeds() => Gen.Choose(0, int.MaxValue).Select(s => new Seed(s)).ToArbitrary();
}
