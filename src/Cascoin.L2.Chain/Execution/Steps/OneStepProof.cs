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
    /// <summary>Steps of one block: its transactions (a 30 M gas block holds at most 1,428 transfers; room for far more) and the fee split.</summary>
    public const int MaxStep = 1 << 20;

    /// <summary>
    /// The proof's bytes (version 1, doc/fraud-proofs.md): step u32 ‖ has transaction u8 ‖ [varbytes
    /// transaction] ‖ pre-root 32 ‖ gas used u64 ‖ fees i64 ‖ deposited i64 ‖ withdrawn i64 ‖ varbytes
    /// witness ‖ varbytes block-start witness (each <see cref="SmtWitnessCodec"/>).
    /// </summary>
    public byte[] ToBytes()
    {
        var writer = new SpanWriter();
        writer.WriteUInt32((uint)Step);
        writer.WriteBool(Transaction is not null);
        if (Transaction is { } transaction)
            writer.WriteVarBytes(transaction.ToBytes());
        writer.WriteHash256(Pre.Root);
        writer.WriteUInt64(Pre.Context.GasUsed);
        writer.WriteAmount(Pre.Context.Fees);
        writer.WriteAmount(Pre.Context.Deposited);
        writer.WriteAmount(Pre.Context.Withdrawn);
        writer.WriteVarBytes(SmtWitnessCodec.Encode(Witness));
        writer.WriteVarBytes(SmtWitnessCodec.Encode(StartWitness));
        return writer.ToArray();
    }

    /// <summary>The largest witness bytes accepted (each entry at most a value and a proof).</summary>
    private const int MaxWitnessBytes = 4 * 1024 * 1024;

    /// <exception cref="DecodeException">on bytes that are not a one-step proof.</exception>
    public static OneStepProof Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var step = reader.ReadUInt32();
        if (step > MaxStep)
            throw new DecodeException($"step {step} is beyond any block ({MaxStep})");
        var transaction = reader.ReadBool() ? Transaction.Decode(reader.ReadSpan(reader.ReadLength(Transaction.MaxEncodedSize))) : null;
        var pre = new StepState(reader.ReadHash256(), new StepContext(reader.ReadUInt64(), reader.ReadAmount(), reader.ReadAmount(), reader.ReadAmount()));
        var witness = SmtWitnessCodec.Decode(reader.ReadSpan(reader.ReadLength(MaxWitnessBytes)));
        var start = SmtWitnessCodec.Decode(reader.ReadSpan(reader.ReadLength(MaxWitnessBytes)));
        reader.EnsureEnd();
        return new OneStepProof((int)step, transaction, pre, witness, start);
    }

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
        catch (Exception ex) when (ex is OverflowException or ArgumentException or InvalidOperationException)
        {
            // A made-up context (fees near the money supply, gas near its limit) or transaction must not
            // throw out of a verifier that runs inside L1 block execution: such a proof proves nothing.
            return (null, $"step {Step} does not execute from the given state: {ex.Message}");
        }
        if (tree.Apply(StateChanges.ToTree(execution.ChangedAccounts, execution.ChangedRecords).Select(w => (w.Key, w.Value))) is { } unwritten)
            return (null, $"step {Step}: {unwritten.Message}");
        var (root, gap) = tree.ComputeRoot();
        if (gap is not null)
            return (null, $"step {Step}: {gap.Message}");
        return ((Transaction is null ? StepState.End(root) : new StepState(root, execution.Context)).Commitment, null);
    }
}
