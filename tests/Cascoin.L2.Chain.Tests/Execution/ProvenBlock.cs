using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// A random state on RocksDB (the block's accounts and bystanders it never touches), a random valid
/// block on it (transfers to known and new accounts, self-transfers, withdrawals, fee sharers) and
/// every step of it proven: what the fraud-proof properties play with. An invalid block also holds one
/// transaction the chain refuses (wrong nonce, wrong chain, no signature, fee too low, over the balance
/// or the withdrawal limit), at its place among the others.
/// </summary>
internal sealed class ProvenBlock : IDisposable
{
    private readonly TestDirectory _directory;

    private ProvenBlock(TestDirectory directory, ChainNode node, BlockFrame frame, List<Transaction> transactions)
    {
        _directory = directory;
        Node = node;
        Frame = frame;
        Transactions = transactions;
        Steps = BlockSteps.Of(frame, transactions, node.State.Tree, 0);
    }

    public ChainNode Node { get; }

    public BlockFrame Frame { get; }

    public IReadOnlyList<Transaction> Transactions { get; }

    public BlockSteps Steps { get; }

    /// <summary>The honest commitment at each index: before each step, and the block's end.</summary>
    public IReadOnlyList<Hash256> Commitments => Steps.Commitments;

    /// <summary>The id of the block's transaction at step <paramref name="step"/> (null: the fee split).</summary>
    public Hash256? TransactionAt(int step) => step < Transactions.Count ? Transactions[step].Id : null;

    /// <summary>The index of the refused transaction in an invalid block, null for a valid one.</summary>
    public int? Refused { get; private init; }

    public static ProvenBlock Random(Random random, string name, int maxTransactions = 25, bool invalid = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        var directory = TestDirectory.Create(name);
        var parameters = TestChains.Default;
        var node = ChainNode.Open(directory.Combine("node"), parameters);
        try
        {
            var keys = Enumerable.Range(0, random.Next(2, 8)).Select(TestKeys.Key).ToList();
            var bystanders = Enumerable.Range(0, random.Next(0, 40)).Select(i => new GenesisAllocation(TestKeys.Outsider(1000 + i), Amount.FromSat(1 + i)));
            node.Chain.EnsureGenesis(new GenesisSpec(TestChains.GenesisTime, [.. TransactionMix.Allocations(random, keys), .. bystanders]));
            var baseFee = node.Chain.NextBaseFee;
            var candidates = TransactionMix.Block(random, keys, node.State.GetAccount, parameters, baseFee, random.Next(invalid ? 1 : 0, maxTransactions));
            // An invalid block keeps one refused candidate where it was drawn (its refusal holds there); a draw without one gets a nonce from the future.
            var refused = invalid ? candidates.FindIndex(c => c.Expected is not null) : -1;
            if (invalid && refused < 0)
            {
                refused = random.Next(candidates.Count + 1);
                candidates.Insert(refused, new Candidate(Tx.Make(TransactionType.Transfer, keys[0], 1_000, TestKeys.Outsider(1), 1, baseFee, 0, IntrinsicGas.Base), TxRejectReason.NonceTooHigh));
            }
            var transactions = candidates.Where((c, i) => c.Expected is null || i == refused).Select(c => c.Transaction).ToList();
            var sharers = Enumerable.Range(0, random.Next(0, 3)).Select(i => new FeeSharer(TestKeys.AddressAt(20 + i), (UInt128)random.Next(1, 100))).ToList();
            var producer = random.Next(3) == 0 ? TestKeys.Outsider(7) : TestKeys.AddressOf(keys[random.Next(keys.Count)]);
            var frame = new BlockFrame(parameters, 1, baseFee, producer, 0, sharers, node.State.GetStateRoot(), null);
            return new ProvenBlock(directory, node, frame, transactions)
            {
                Refused = refused < 0 ? null : candidates.Take(refused).Count(c => c.Expected is null),
            };
        }
        catch
        {
            node.Dispose();
            directory.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Node.Dispose();
        _directory.Succeeded();
        _directory.Dispose();
    }
}
