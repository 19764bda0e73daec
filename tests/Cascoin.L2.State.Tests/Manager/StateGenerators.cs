using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Tests.Accounts;
using FsCheck;
using FsCheck.Fluent;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>Sets <see cref="AddressPool"/> address number <see cref="Address"/> to <see cref="Account"/> (empty = remove).</summary>
public sealed record AccountSet(int Address, AccountState Account)
{
    public override string ToString() =>
        Account.IsEmpty ? $"a{Address}=empty" : $"a{Address}={Account.Balance.Sat}/{Account.Nonce}/{Account.HatScore}/{Account.LastActivity}";
}

/// <summary>
/// Blocks of account changes over the address pool (each address at most once per block), and a seed
/// for the System.Random choices a property makes (splits, orders, targets). The seed is part of the
/// counterexample FsCheck prints, so a failure replays exactly.
/// </summary>
public sealed record StateScript(AccountSet[][] Blocks, int Seed)
{
    public IReadOnlyDictionary<Address, AccountState> BlockChanges(int index) =>
        Blocks[index].ToDictionary(s => AddressPool.At(s.Address), s => s.Account);

    public override string ToString() =>
        $"seed {Seed}: " + string.Join(" | ", Blocks.Select(b => "[" + string.Join(", ", b.Select(s => s.ToString())) + "]"));
}

/// <summary>One step of an archive script: set an account (active at <c>block − ActivityAge</c>), empty it, or restore it.</summary>
public sealed record ArchiveOp(int Address, ArchiveOpKind Kind, long Balance, int ActivityAge)
{
    public override string ToString() => Kind switch
    {
        ArchiveOpKind.Set => $"a{Address}={Balance}@-{ActivityAge}",
        ArchiveOpKind.Empty => $"a{Address}=empty",
        _ => $"restore a{Address}",
    };
}

public enum ArchiveOpKind
{
    Set,
    Empty,
    Restore,
}

/// <summary>Blocks 1, 2, … of archive ops, with the per-sweep archive limit and a seed.</summary>
public sealed record ArchiveScript(ArchiveOp[][] Blocks, int PerBlock, int Seed)
{
    public override string ToString() =>
        $"per block {PerBlock}, seed {Seed}: " + string.Join(" | ", Blocks.Select(b => "[" + string.Join(", ", b.Select(o => o.ToString())) + "]"));
}

public static class StateGenerators
{
    private static readonly AccountState[] Fixed =
    [
        new(Amount.FromSat(1), 0, default, default, 0, 0),
        new(Amount.FromSat(100), 1, default, default, 50, 3),
        new(Amount.Zero, 1, default, default, 0, 0),
        new(Amount.Zero, 0, default, default, 0, 1),
        new(Amount.MaxMoney, ulong.MaxValue, default, default, AccountState.MaxHatScore, ulong.MaxValue),
    ];

    /// <summary>Often empty (a removal), often one of a few fixed accounts (so "set to what it already is" happens), else random.</summary>
    private static readonly Gen<AccountState> Account = Gen.Frequency(
        (2, Gen.Constant(AccountState.Empty)),
        (2, Gen.Elements(Fixed)),
        (3, AccountGenerators.AccountState().Generator));

    private static readonly Gen<AccountSet> Set =
        Gen.Choose(0, AddressPool.Count - 1).SelectMany(address => Account.Select(account => new AccountSet(address, account)));

    /// <summary>One block: later changes to an address replace earlier ones, so every address appears once.</summary>
    private static readonly Gen<AccountSet[]> Block =
        Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(Set, n))
            .Select(sets => sets.GroupBy(s => s.Address).Select(g => g.Last()).ToArray());

    private static readonly Gen<int> Seed = Gen.Choose(0, int.MaxValue);

    public static Arbitrary<StateScript> Script() =>
        Gen.Choose(1, 10).SelectMany(n => Gen.ArrayOf(Block, n))
            .SelectMany(blocks => Seed.Select(seed => new StateScript(blocks, seed)))
            .ToArbitrary();

    private static readonly Gen<ArchiveOp> Op =
        from address in Gen.Choose(0, AddressPool.Count - 1)
        from kind in Gen.Frequency((6, Gen.Constant(ArchiveOpKind.Set)), (1, Gen.Constant(ArchiveOpKind.Empty)), (3, Gen.Constant(ArchiveOpKind.Restore)))
        from balance in Gen.Choose(1, 1_000_000)
        from age in Gen.Frequency((3, Gen.Choose(0, 2)), (1, Gen.Choose(3, 15)))
        select new ArchiveOp(address, kind, balance, age);

    private static readonly Gen<ArchiveOp[]> ArchiveBlock =
        Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 3)))
            .SelectMany(n => Gen.ArrayOf(Op, n))
            .Select(ops => ops.GroupBy(o => o.Address).Select(g => g.Last()).ToArray());

    /// <summary>15..45 blocks, so several sweeps (every 5 blocks from block 15) happen.</summary>
    public static Arbitrary<ArchiveScript> Archive() =>
        (from n in Gen.Choose(15, 45)
         from blocks in Gen.ArrayOf(ArchiveBlock, n)
         from perBlock in Gen.Choose(1, 4)
         from seed in Seed
         select new ArchiveScript(blocks, perBlock, seed))
        .ToArbitrary();
}
