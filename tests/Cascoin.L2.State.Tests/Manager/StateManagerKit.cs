using System.Security.Cryptography;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;
using Cascoin.L2.State.Tests.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.State.Tests.Manager;

/// <summary>
/// A small, fixed set of addresses, so generated scripts set, empty and re-set the same accounts
/// often. It holds the all-zero and all-0xff addresses as well as hash-like ones.
/// </summary>
internal static class AddressPool
{
    public const int Count = 12;

    public static IReadOnlyList<Address> Addresses { get; } = Build();

    /// <summary>An address no script ever writes (for absent-account reads and proofs).</summary>
    public static Address Outsider { get; } = new(SHA256.HashData("never-funded"u8).AsSpan(0, Address.Size));

    public static Address At(int index) => Addresses[index];

    private static Address[] Build()
    {
        var addresses = new List<Address>
        {
            Address.Zero,
            new(Enumerable.Repeat((byte)0xff, Address.Size).ToArray()),
        };
        for (var i = addresses.Count; i < Count; i++)
            addresses.Add(new Address(SHA256.HashData([.. "address"u8, (byte)i]).AsSpan(0, Address.Size)));
        return [.. addresses];
    }
}

/// <summary>
/// Two real RocksDB databases (in one temporary directory) per test class, handed out as an empty
/// state per property case: opening RocksDB for every one of hundreds of cases is too slow on a shared
/// 2-core machine, so a case range-deletes the state's column families (tree and archive) and builds a
/// new <see cref="StateManager"/> over them; every <see cref="CasesPerDatabase"/> cases the database is
/// replaced, because range tombstones slow every later read.
/// </summary>
public sealed class StateScratchDatabases : IDisposable
{
    private const int CasesPerDatabase = 12;

    private static readonly DbColumn[] StateColumns =
        [DbColumn.SmtNodes, DbColumn.SmtStale, DbColumn.SmtRoots, DbColumn.SmtValues, DbColumn.SmtVersionKeys, DbColumn.StateArchive];

    private readonly TestDirectory _directory = TestDirectory.Create("state-scratch");
    private readonly NodeDatabase?[] _databases = new NodeDatabase?[2];
    private readonly int[] _uses = new int[2];
    private int _opened;

    /// <summary>The database of the state the last <see cref="FreshFirst"/> returned.</summary>
    public NodeDatabase First => _databases[0] ?? throw new InvalidOperationException("call FreshFirst first");

    /// <summary>An empty state in the first database. Any state an earlier call returned must no longer be used.</summary>
    public StateManager FreshFirst(StateOptions? options = null) => Fresh(0, options);

    /// <summary>An empty state in the second database (a different RocksDB instance from the first).</summary>
    public StateManager FreshSecond(StateOptions? options = null) => Fresh(1, options);

    private StateManager Fresh(int slot, StateOptions? options)
    {
        if (_databases[slot] is null || ++_uses[slot] % CasesPerDatabase == 0)
        {
            _databases[slot]?.Dispose();
            _databases[slot] = StateTestSupport.OpenDatabase(_directory.Combine($"db{_opened++}"));
        }
        var database = _databases[slot]!;
        using (var batch = database.CreateBatch())
        {
            foreach (var column in StateColumns)
                batch.DeleteRange(column, [0x00], [.. Enumerable.Repeat((byte)0xff, 80)]);
            database.Commit(batch);
        }
        foreach (var column in StateColumns)
        {
            if (database.IterateByPrefix(column, []).Any())
                throw new InvalidOperationException($"column {column} not empty after the wipe");
        }
        var manager = StateTestSupport.NewManager(database, options);
        return manager.LatestBlock is null ? manager : throw new InvalidOperationException("a wiped state has blocks");
    }

    public void Dispose()
    {
        foreach (var database in _databases)
            database?.Dispose();
        // Every case wipes what the previous one wrote, so nothing here is worth keeping after a failure.
        _directory.Succeeded();
        _directory.Dispose();
    }
}

/// <summary>Builders and checks shared by the state manager tests.</summary>
internal static class StateTestSupport
{
    public static readonly DatabaseOptions FastOptions = new() { SyncWrites = false, BlockCacheBytes = 8 << 20 };

    public static readonly SmtOptions SmallCache = new() { CacheNodes = 4_096 };

    /// <summary>Archive after 10 blocks, swept every 5 blocks.</summary>
    public static StateOptions Archiving(int perBlock = 1000) =>
        new() { Tree = SmallCache, ArchiveAfterBlocks = 10, ArchiveSweepInterval = 5, ArchivePerBlock = perBlock };

    public static NodeDatabase OpenDatabase(string path) => NodeDatabase.Open(path, FastOptions, NullLogger.Instance);

    public static StateManager NewManager(NodeDatabase database, StateOptions? options = null) =>
        new(database, options ?? new StateOptions { Tree = SmallCache }, NullLogger<StateManager>.Instance);

    public static AccountState Account(long sat, ulong nonce = 0, ulong lastActivity = 0, byte hatScore = 0) =>
        new(Amount.FromSat(sat), nonce, Hash256.Zero, Hash256.Zero, hatScore, lastActivity);

    public static Dictionary<Address, AccountState> Changes(params (Address Address, AccountState Account)[] changes) =>
        changes.ToDictionary(c => c.Address, c => c.Account);

    public static readonly Dictionary<Address, AccountState> NoChanges = [];

    /// <summary>What <see cref="StateManager.ApplyBlock"/> does, keeping the commit to inspect what it archived.</summary>
    public static PendingStateCommit Commit(StateManager manager, NodeDatabase database, ulong block, IReadOnlyDictionary<Address, AccountState> changes)
    {
        var commit = manager.Prepare(block, changes);
        using (var batch = database.CreateBatch())
        {
            manager.Stage(commit, batch);
            database.Commit(batch);
        }
        manager.Committed(commit);
        return commit;
    }

    /// <summary>Applies a change set to a model of the live accounts (empty accounts are absent).</summary>
    public static void ApplyTo(Dictionary<Address, AccountState> model, IReadOnlyDictionary<Address, AccountState> changes)
    {
        foreach (var (address, account) in changes)
        {
            if (account.IsEmpty)
                model.Remove(address);
            else
                model[address] = account;
        }
    }

    /// <summary>SPEC §4's root of a set of accounts, from the storage-free reference tree.</summary>
    public static Hash256 ReferenceRoot(IReadOnlyDictionary<Address, AccountState> accounts) =>
        ReferenceSmt.RootHash(accounts.Where(a => !a.Value.IsEmpty).ToDictionary(a => StateKeys.ForAccount(a.Key), a => a.Value.ToBytes()));

    /// <summary>The newest block whose root equals block <paramref name="index"/>'s (what a lookup by root finds).</summary>
    public static int NewestWithSameRoot(IReadOnlyList<Hash256> roots, int index) => roots.ToList().FindLastIndex(r => r == roots[index]);

    /// <summary>Asserts every pool address (and the outsider) reads as the model at <paramref name="block"/>.</summary>
    public static void AssertAccountsAt(StateManager manager, ulong block, IReadOnlyDictionary<Address, AccountState> model)
    {
        foreach (var address in AddressPool.Addresses.Append(AddressPool.Outsider))
            Assert.Equal(model.GetValueOrDefault(address), manager.GetAccount(address, block));
    }

    /// <summary>Asserts a proof is well formed, verifies, and shows exactly <paramref name="expected"/>.</summary>
    public static void AssertProofShows(AccountProof proof, Address address, AccountState expected)
    {
        Assert.Equal(StateKeys.ForAccount(address), proof.Key);
        Assert.Equal(proof.Key, proof.Proof.Key);
        Assert.Equal(expected, proof.Account);
        if (expected.IsEmpty)
        {
            Assert.Null(proof.Value);
            Assert.False(proof.Proof.IsMembership);
        }
        else
        {
            Assert.Equal(expected.ToBytes(), proof.Value);
            Assert.True(proof.Proof.IsMembership);
        }
        Assert.True(SmtVerifier.Verify(proof.Root, proof.Key, proof.Value, proof.Proof), $"proof of {address} at block {proof.Block}");
        Assert.True(SmtVerifier.VerifyCompact(proof.Root, proof.Key, proof.Value, proof.Proof.ToCompact()));
        // The proof is bound to the value: it shows neither the opposite presence nor another account.
        var other = expected with { Balance = Amount.FromSat(expected.Balance.Sat == 7 ? 8 : 7) };
        Assert.False(SmtVerifier.Verify(proof.Root, proof.Key, other.ToBytes(), proof.Proof));
        if (proof.Value is not null)
            Assert.False(SmtVerifier.Verify(proof.Root, proof.Key, null, proof.Proof));
    }
}
