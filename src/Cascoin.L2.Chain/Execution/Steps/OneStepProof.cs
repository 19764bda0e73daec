using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.Chain.Execution.Steps;

/// <summary>
/// One step of a block, proven: the step's index and transaction (none for the last step, the fee
/// split), the state before it, a witness of every key the step reads or writes against that state's
/// root, and a witness of the block-start accounts the step reads (a sender's nonce then, for the
/// per-block rate limit) against the block's start root. <see cref="Verify"/> re-executes the step with
/// the chain's own <see cref="BlockExecution"/> over the witnesses and gives the commitment after it.
/// </summary>
public sealed record OneStepProof(int Step, Transaction? Transaction, StepState Pre, IReadOnlyList<SmtWitnessEntry> Witness, IReadOnlyList<SmtWitnessEntry> StartWitness)
{
    /// <summary>
    /// The commitment of the state after this step of <paramref name="frame"/>'s block
    /// (<see cref="StepState.Invalid"/> when the chain's validation refuses the step's transaction), or
    /// why the proof proves nothing: a witness that does not verify against its root, or that lacks a
    /// key the step reads or writes.
    /// </summary>
    public (Hash256? Post, string? Error) Verify(BlockFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var (tree, error) = SmtPartialTree.FromWitness(Pre.Root, Witness);
        if (tree is null)
            return (null, $"the witness of step {Step}: {error}");
        var (start, startError) = SmtPartialTree.FromWitness(frame.StartRoot, StartWitness);
        if (start is null)
            return (null, $"the block-start witness of step {Step}: {startError}");
        var startState = new WitnessedState(start);
        var execution = frame.Execution(new WitnessedState(tree), Pre.Context, address => startState.GetAccount(address).Nonce);
        try
        {
            if (Transaction is { } transaction)
            {
                if (execution.TryApply(transaction) is not null)
                    return (StepState.Invalid, null);
            }
            else
            {
                execution.Finish();
            }
        }
        catch (IncompleteWitnessException ex)
        {
            return (null, $"step {Step} reads state key {ex.Key}, which its witness does not hold");
        }
        if (tree.Apply(StateChanges.ToTree(execution.ChangedAccounts, execution.ChangedRecords).Select(w => (w.Key, w.Value))) is { } unwritten)
            return (null, $"step {Step}: {unwritten.Message}");
        var (root, gap) = tree.ComputeRoot();
        if (gap is not null)
            return (null, $"step {Step}: {gap.Message}");
        return ((Transaction is null ? StepState.End(root) : new StepState(root, execution.Context)).Commitment, null);
    }
}
