using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Settlement.Tests;

/// <summary>
/// A real embedded settlement chain on RocksDB in a directory of the test: mining with a test clock,
/// signing and submitting calls, and reading receipts and balances at the tip.
/// </summary>
internal sealed class L1Node : IDisposable
{
    /// <summary>No fsync per commit and a small cache: nothing here has to survive a power cut.</summary>
    public static readonly DatabaseOptions FastOptions = new() { SyncWrites = false, BlockCacheBytes = 8 << 20 };

    public static NetworkParameters Network => NetworkParameters.Regtest;

    private readonly NodeDatabase _database;
    private readonly SparseMerkleTree _state;
    private ulong _clock = L1Chain.GenesisTimestamp;

    public L1Node(string path, SettlementParameters parameters)
    {
        _database = NodeDatabase.Open(path, FastOptions, NullLogger.Instance);
        try
        {
            _state = new SparseMerkleTree(_database, new SmtOptions { CacheNodes = 100_000 });
            Chain = new L1Chain(_database, _state, parameters, Network, NullLogger<L1Chain>.Instance);
        }
        catch
        {
            _database.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="test"/> on a fresh regtest settlement chain; the directory is kept when it fails.</summary>
    public static void Run(string name, Action<L1Node> test, SettlementParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        using var directory = Cascoin.L2.TestKit.TestDirectory.Create(name);
        using (var node = new L1Node(directory.Combine("l1"), parameters ?? SettlementParameters.Regtest))
            test(node);
        directory.Succeeded();
    }

    public L1Chain Chain { get; }

    /// <summary>The node's database, for tests that leave it as a crash or a stop would.</summary>
    public NodeDatabase Database => _database;

    public SettlementParameters Parameters => Chain.Parameters;

    public Amount Fee => Parameters.MinimumFee;

    /// <summary>The fees <paramref name="sender"/>'s transactions paid in the active blocks above <paramref name="height"/>.</summary>
    public Amount FeesPaidAbove(Address sender, ulong height)
    {
        var paid = Amount.Zero;
        for (var h = height + 1; h <= Height; h++)
        {
            foreach (var transaction in Chain.GetBlock(Chain.GetHash(h)!.Value)!.Transactions)
            {
                if (transaction.RecoverSender(Network) == sender)
                    paid += transaction.Fee;
            }
        }
        return paid;
    }

    /// <summary>Mines the blocks of the tests unless they say otherwise: nobody else's balance moves with fees or rewards.</summary>
    public static Address Miner { get; } = TestKeys.Outsider("miner");

    public ulong Height => Chain.Height;

    /// <summary>One block a second on the test clock.</summary>
    public L1Block Mine(Address? miner = null) => Chain.Mine(miner ?? Miner, _clock += 1000);

    public void Mine(int count, Address? miner = null)
    {
        for (var i = 0; i < count; i++)
            Mine(miner);
    }

    /// <summary>Mines blocks paying <paramref name="keys"/> and then enough blocks for every reward to mature: each key ends with <paramref name="blocksEach"/> × the block reward.</summary>
    public void Fund(IEnumerable<PrivateKey> keys, int blocksEach)
    {
        foreach (var key in keys)
            Mine(blocksEach, TestKeys.AddressOf(key));
        Mine((int)Parameters.CoinbaseMaturity);
    }

    /// <summary>Signs <paramref name="call"/> paying <paramref name="fee"/>, by default the lowest the chain takes for it (anchors pay per byte).</summary>
    public L1Transaction Sign(PrivateKey key, L1Call call, Amount? fee = null, ulong? nonce = null)
    {
        var payload = call.ToBytes();
        return L1Transaction.Sign(call.Kind, nonce ?? Chain.PendingNonce(TestKeys.AddressOf(key)), fee ?? Parameters.FeeFor(call.Kind, payload.Length), payload, key, Network);
    }

    /// <summary>Signs and queues a call; the mempool must accept it.</summary>
    public L1Transaction Submit(PrivateKey key, L1Call call, Amount? fee = null)
    {
        var transaction = Sign(key, call, fee);
        var error = Chain.Submit(transaction);
        Assert.True(error is null, $"the mempool refused {call.Kind}: {error}");
        return transaction;
    }

    /// <summary>Submits a call, mines it and returns its receipt (a failed call is mined too: it pays its fee).</summary>
    public L1Receipt Execute(PrivateKey key, L1Call call)
    {
        var transaction = Submit(key, call);
        Mine();
        return ReceiptOf(transaction.Id);
    }

    /// <summary>The receipt of a transaction on the active chain, searched from the tip down.</summary>
    public L1Receipt ReceiptOf(Hash256 transactionId)
    {
        for (var height = Height; height > 0; height--)
        {
            var hash = Chain.GetHash(height)!.Value;
            if (Chain.GetReceipts(hash)!.FirstOrDefault(r => r.TransactionId == transactionId) is { } receipt)
                return receipt;
        }
        throw new InvalidOperationException($"transaction {transactionId} is not on the active L1 chain");
    }

    public Amount Balance(Address address) => Chain.StateAtTip().GetAccount(address).Balance;

    public Amount Balance(PrivateKey key) => Balance(TestKeys.AddressOf(key));

    public void Dispose()
    {
        _state.Dispose();
        _database.Dispose();
    }
}
