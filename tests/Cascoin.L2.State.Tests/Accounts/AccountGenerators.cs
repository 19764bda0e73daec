using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using FsCheck;
using FsCheck.Fluent;

namespace Cascoin.L2.State.Tests.Accounts;

/// <summary>FsCheck generators for account records, weighted towards zeros and the bounds of each field.</summary>
public static class AccountGenerators
{
    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);

    private static readonly Gen<ulong> AnyUInt64 = Gen.OneOf(
        Gen.Elements(0UL, 1UL, 0xfcUL, 0xfdUL, uint.MaxValue, ulong.MaxValue),
        Gen.Choose(0, int.MaxValue).Select(i => (ulong)i),
        Gen.ArrayOf(AnyByte, 8).Select(b => BitConverter.ToUInt64(b)));

    private static readonly Gen<Amount> Balance = Gen.OneOf(
        Gen.Elements(Amount.Zero, Amount.FromSat(1), Amount.MaxMoney, Amount.MaxMoney - Amount.FromSat(1)),
        Gen.Choose(0, 84_000_000).Select(cas => Amount.FromCas(cas)),
        AnyUInt64.Select(u => Amount.FromSat((long)(u % (ulong)(Amount.MaxMoneySat + 1)))));

    private static readonly Gen<Hash256> AnyHash = Gen.OneOf(
        Gen.Constant(Hash256.Zero),
        Gen.ArrayOf(AnyByte, Hash256.Size).Select(b => new Hash256(b)));

    private static readonly Gen<byte> HatScore = Gen.OneOf(
        Gen.Elements<byte>(0, 1, 99, 100),
        Gen.Choose(0, 100).Select(i => (byte)i));

    public static Arbitrary<AccountState> AccountState() =>
        (from balance in Balance
         from nonce in AnyUInt64
         from codeHash in AnyHash
         from storageRoot in AnyHash
         from hatScore in HatScore
         from lastActivity in AnyUInt64
         select new AccountState(balance, nonce, codeHash, storageRoot, hatScore, lastActivity))
        .ToArbitrary();

    public static Arbitrary<Address> Address() =>
        Gen.ArrayOf(AnyByte, Primitives.Address.Size).Select(b => new Address(b)).ToArbitrary();
}
