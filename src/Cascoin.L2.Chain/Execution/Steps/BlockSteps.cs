using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.Chain.Execution.Steps;

/// <summary>
/// The prover's side of a block's steps (a defender or a challenger in a bisection game): the state
/// after every step and the one-step proof of any step, worked out from the state tree at the block's
/// start. Every step runs on a partial tree of all the keys the block touches, through the same
/// <see cref="BlockExecution"/> a verifier runs, and each step's witness is checked to be complete
/// (its deletes' collapses included) before it is handed out. A block that holds a transaction the
/// chain's validation refuses is proven up to that step: its proof re-executes to
/// <see cref="StepState.Invalid"/>, and every commitment after it is Invalid (nothing follows a
/// refused step; the game ends at once on a range that starts there).
/// </summary>
public sealed class BlockSteps
{
    private readonly List<OneStepProof> _proofs;

    private BlockSteps(List<StepState> states, List<OneStepProof> proofs, int count, string? refusal)
    {
        States = states;
        _proofs = proofs;
        Count = count;
        Refusal = refusal;
        Commitments = [.. states.Select(s => s.Commitment), .. Enumerable.Repeat(StepState.Invalid, count + 1 - states.Count)];
    }

    /// <summary>
    /// The state before step 0 (the block's start) and after each step the chain accepts: transactions
    /// + 2 entries for a valid block, up to the refused step's start for an invalid one.
    /// </summary>
    public IReadOnlyList<StepState> States { get; }

    /// <summary>The commitment before each step and at the block's end (<see cref="Count"/> + 1 entries), <see cref="StepState.Invalid"/> after a refused step.</summary>
    public IReadOnlyList<Hash256> Commitments { get; }

    /// <summary>Steps of the block: one per transaction and the fee split.</summary>
    public int Count { get; }

    /// <summary>The step whose transaction the chain refuses, or null for a valid block.</summary>
    public int? RefusedStep => Refusal is null ? null : _proofs.Count - 1;

    /// <summary>Why the chain refuses the transaction at <see cref="RefusedStep"/>; null for a valid block.</summary>
    public string? Refusal { get; }

    /// <exception cref="ArgumentOutOfRangeException">for a step after the refused one: no state is proven from Invalid.</exception>
    public OneStepProof ProofOf(int step)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, _proofs.Count);
        return _proofs[step];
    }

    public static BlockSteps Of(BlockFrame frame, IReadOnlyList<Transaction> transactions, SparseMerkleTree tree, ulong startVersion)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(tree);
        if (!tree.TryGetRoot(startVersion, out var startRoot) || startRoot != frame.StartRoot)
            throw new InvalidOperationException($"the tree's version {startVersion} is not the block's start root {frame.StartRoot}");
        var keys = TouchedKeys(frame, transactions, tree, startVersion);
        // Each failed attempt adds the key whose proof closes a delete's gap; a block touches finitely many subtrees.
        for (var attempt = 0; attempt <= 4 * keys.Count + 64; attempt++)
        {
            if (TryProve(frame, transactions, tree, startVersion, keys) is { } steps)
                return steps;
        }
        throw new InvalidOperationException("the block's step witnesses did not close");
    }

    /// <summary>Every key the block reads from its start state or writes, found by executing it once on the tree.</summary>
    private static HashSet<Hash256> TouchedKeys(BlockFrame frame, IReadOnlyList<Transaction> transactions, SparseMerkleTree tree, ulong version)
    {
        var keys = new HashSet<Hash256>();
        byte[]? Read(Hash256 key)
        {
            keys.Add(key);
            return tree.Get(key, version);
        }
        var execution = new BlockExecution(frame.Parameters, frame.Number, frame.BaseFee, frame.Producer, frame.Sharers,
            address => Read(StateKeys.ForAccount(address)) is { } bytes ? AccountState.FromBytes(bytes) : AccountState.Empty, Read, frame.L1Queue)
        {
            L1AnchorHeight = frame.L1AnchorHeight,
            EpochKeys = frame.EpochKeys,
        };
        // Up to a refused transaction (its reads included): the steps after it are never proven.
        if (transactions.All(t => execution.TryApply(t) is null))
        {
            var outcome = execution.Finish();
            keys.UnionWith(StateChanges.ToTree(outcome.Changes, outcome.Records).Keys);
        }
        else
        {
            keys.UnionWith(StateChanges.ToTree(execution.ChangedAccounts, execution.ChangedRecords).Keys);
        }
        return keys;
    }

    /// <summary>All steps over a partial tree of <paramref name="keys"/>; null (with a key added) when a witness gap needs one more.</summary>
    private static BlockSteps? TryProve(BlockFrame frame, IReadOnlyList<Transaction> transactions, SparseMerkleTree tree, ulong startVersion, HashSet<Hash256> keys)
    {
        var start = tree.Witness(keys, [], startVersion).ToDictionary(e => e.Key);
        var (partial, error) = SmtPartialTree.FromWitness(frame.StartRoot, [.. start.Values]);
        if (partial is null)
            throw new InvalidOperationException($"the tree's own witness does not verify: {error}");
        var states = new List<StepState> { new(frame.StartRoot, default) };
        var proofs = new List<OneStepProof>();
        for (var step = 0; step <= transactions.Count; step++)
        {
            var transaction = step < transactions.Count ? transactions[step] : null;
            var view = new WitnessedState(partial);
            var startReads = new HashSet<Hash256>();
            var execution = frame.Execution(view, states[step].Context, address =>
            {
                var key = StateKeys.ForAccount(address);
                startReads.Add(key);
                return start[key].Value is { } bytes ? AccountState.FromBytes(bytes).Nonce : 0;
            });
            var rejection = transaction is null ? null : execution.TryApply(transaction);
            if (transaction is null)
                execution.Finish();
            var writes = StateChanges.ToTree(execution.ChangedAccounts, execution.ChangedRecords).Select(w => (w.Key, w.Value)).ToList();
            var witness = new List<SmtWitnessEntry>();
            foreach (var key in view.Read.Concat(writes.Select(w => w.Key)).Distinct())
                witness.Add(Entry(partial, key));
            if (!CloseStepWitness(partial, states[step].Root, writes, witness, out var missing))
            {
                if (missing is not { } more || !keys.Add(more))
                    throw new InvalidOperationException($"a gap of step {step}'s witness that no key of the block's start state closes");
                return null;
            }
            if (rejection is not null)
            {
                // Refused: nothing was written; the proof holds what the refusal read.
                proofs.Add(new OneStepProof(step, transaction, states[step], witness, [.. startReads.Select(k => start[k])]));
                return new BlockSteps(states, proofs, transactions.Count + 1, $"transaction {step} ({transaction!.Id}) is refused: {rejection}");
            }
            partial.Apply(writes);
            var (root, gap) = partial.ComputeRoot();
            if (gap is not null)
            {
                if (tree.KeyUnder(gap.Path, gap.Depth, startVersion) is not { } under || !keys.Add(under))
                    throw new InvalidOperationException($"a gap of the block's witness that a key of its start state does not close: {gap.Message}");
                return null;
            }
            proofs.Add(new OneStepProof(step, transaction, states[step], witness, [.. startReads.Select(k => start[k])]));
            states.Add(transaction is null ? StepState.End(root) : new StepState(root, execution.Context));
        }
        return new BlockSteps(states, proofs, transactions.Count + 1, null);

        Hash256? StartKey(SmtWitnessGap gap) => tree.KeyUnder(gap.Path, gap.Depth, startVersion);

        // Adds to a step's witness until it shows its own writes' collapses; a key the block's partial tree lacks is returned (restart with it).
        bool CloseStepWitness(SmtPartialTree partialTree, Hash256 root, List<(Hash256 Key, byte[]? Value)> writes, List<SmtWitnessEntry> witness, out Hash256? missing)
        {
            missing = null;
            while (true)
            {
                var (check, checkError) = SmtPartialTree.FromWitness(root, witness);
                if (check is null)
                    throw new InvalidOperationException($"a step witness from the block's partial tree does not verify: {checkError}");
                var gap = check.Apply(writes) ?? check.ComputeRoot().Gap;
                if (gap is null)
                    return true;
                var under = partialTree.KeyUnder(gap.Path, gap.Depth);
                if (under is { } key && partialTree.TryGet(key, out _) && witness.TrueForAll(e => e.Key != key))
                {
                    witness.Add(Entry(partialTree, key));
                    continue;
                }
                missing = under ?? StartKey(gap);
                return false;
            }
        }
    }

    private static SmtWitnessEntry Entry(SmtPartialTree tree, Hash256 key)
    {
        if (!tree.TryGet(key, out var value))
            throw new InvalidOperationException($"state key {key} is not in the block's witness");
        var (proof, gap) = tree.GetProof(key);
        return proof is not null ? new SmtWitnessEntry(key, value, proof) : throw new InvalidOperationException($"no proof of {key}: {gap?.Message}");
    }
}
