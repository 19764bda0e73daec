using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using Cascoin.L2.State;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Chain.Tests;

/// <summary>
/// Deterministic keys: key number i is derived from i, so a generated case names keys by number and
/// replays exactly. Keys are created once per process and never disposed (tests share them).
/// </summary>
internal static class TestKeys
{
    private static readonly DeterministicKeys Keys = new("cascoin-chain-test-key");

    public static PrivateKey Key(int index) => Keys.Key(index);

    public static Address AddressOf(PrivateKey key) => DeterministicKeys.AddressOf(key);

    public static Address AddressAt(int index) => AddressOf(Key(index));

    /// <summary>An address nobody holds a key for (a recipient or an L1 payee).</summary>
    public static Address Outsider(int index) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"outsider-{index}")).AsSpan(0, Address.Size));
}

/// <summary>Signed transactions with the defaults the tests use unless they say otherwise.</summary>
internal static class Tx
{
    public const ulong ChainId = 7;

    public const ulong DefaultMaxFee = 20;

    public const ulong DefaultTip = 2;

    public static Transaction Transfer(PrivateKey key, ulong nonce, Address to, long valueSat, ulong maxFee = DefaultMaxFee,
        ulong tip = DefaultTip, ulong gasLimit = IntrinsicGas.Base, ulong chainId = ChainId, byte[]? data = null) =>
        Make(TransactionType.Transfer, key, nonce, to, valueSat, maxFee, tip, gasLimit, chainId, data);

    public static Transaction Withdrawal(PrivateKey key, ulong nonce, Address l1Payee, long valueSat, ulong maxFee = DefaultMaxFee,
        ulong tip = DefaultTip, ulong gasLimit = IntrinsicGas.Base) =>
        Make(TransactionType.Withdrawal, key, nonce, l1Payee, valueSat, maxFee, tip, gasLimit, ChainId, null);

    public static Transaction Make(TransactionType type, PrivateKey key, ulong nonce, Address to, long valueSat, ulong maxFee,
        ulong tip, ulong gasLimit, ulong chainId = ChainId, byte[]? data = null) =>
        Transaction.Sign(Transaction.CreateUnsigned(type, chainId, nonce, to, Amount.FromSat(valueSat), maxFee, tip, gasLimit, data), key);

    /// <summary>The same transaction as a peer would receive it: decoded from bytes, its sender not yet recovered.</summary>
    public static Transaction FromWire(Transaction transaction) => Transaction.Decode(transaction.ToBytes());
}

internal static class Accounts
{
    public static AccountState Funded(long sat, ulong nonce = 0, byte hatScore = 0) =>
        new(Amount.FromSat(sat), nonce, Hash256.Zero, Hash256.Zero, hatScore, 0);
}

/// <summary>A parent state held in a dictionary: what <see cref="Execution.BlockExecution"/> reads between blocks.</summary>
internal sealed class MemoryState
{
    public Dictionary<Address, AccountState> Accounts { get; } = [];

    public AccountState Get(Address address) => Accounts.TryGetValue(address, out var account) ? account : AccountState.Empty;

    public void Set(Address address, AccountState account) => Accounts[address] = account;

    public void Apply(IReadOnlyDictionary<Address, AccountState> changes)
    {
        foreach (var (address, account) in changes)
            Accounts[address] = account;
    }

    public Amount TotalBalance => Accounts.Values.Aggregate(Amount.Zero, (sum, a) => sum + a.Balance);
}

/// <summary>One node's storage: a real RocksDB database, its state and its L2 chain.</summary>
internal sealed class ChainNode : IDisposable
{
    /// <summary>No fsync per commit and a small cache, as in the state tests: nothing here survives a power cut on purpose.</summary>
    public static readonly DatabaseOptions FastOptions = new() { SyncWrites = false, BlockCacheBytes = 8 << 20 };

    private ChainNode(NodeDatabase database, StateManager state, L2Blockchain chain)
    {
        Database = database;
        State = state;
        Chain = chain;
    }

    public NodeDatabase Database { get; }

    public StateManager State { get; }

    public L2Blockchain Chain { get; }

    /// <param name="faultyAt">Regtest fault injection: the block this node executes wrongly (<see cref="L2Blockchain.FaultyAt"/>).</param>
    public static ChainNode Open(string path, ChainParameters parameters, DatabaseOptions? options = null, StateOptions? stateOptions = null, ulong? faultyAt = null)
    {
        var database = NodeDatabase.Open(path, options ?? FastOptions, NullLogger.Instance);
        StateManager? state = null;
        try
        {
            state = new StateManager(database, stateOptions ?? new StateOptions(), NullLogger<StateManager>.Instance);
            return new ChainNode(database, state, new L2Blockchain(parameters, database, state, NullLogger<L2Blockchain>.Instance) { FaultyAt = faultyAt });
        }
        catch
        {
            state?.Dispose();
            database.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        State.Dispose();
        Database.Dispose();
    }
}

internal static class TestChains
{
    /// <summary>The defaults of SPEC §2 with the tests' chain id.</summary>
    public static ChainParameters Default { get; } = new() { ChainId = Tx.ChainId };

    /// <summary>A genesis timestamp (ms): 2026-01-01T00:00:00Z.</summary>
    public const ulong GenesisTime = 1_767_225_600_000;
}
