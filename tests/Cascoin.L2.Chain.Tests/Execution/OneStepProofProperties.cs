using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// The steps of a block and their one-step proofs (issue 14, doc/fraud-proofs.md): for random states
/// and blocks (transfers to known and new accounts, self-transfers, withdrawals, fee sharers), the last
/// step state is the state root the node computes for the block; every step's proof re-executes, with
/// the chain's own execution over nothing but its witnesses, to exactly the next step state (an
/// honest defender's claim always checks); and a proof that lies — a witness entry taken away, a value
/// changed, another transaction, another context — never yields that commitment as if it were
/// honest: it is refused, or it gives another one.
/// </summary>
public sealed class OneStepProofProperties
{
    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void Every_step_re_executes_from_its_witnesses_to_the_next_step_state_and_a_lie_never_does(Seed seed)
    {
        var random = new Random(seed.Value);
        using var block = ProvenBlock.Random(random, "one-step-proof");
        var (frame, transactions, steps, node) = (block.Frame, block.Transactions, block.Steps, block.Node);
        var (parameters, baseFee, producer, sharers) = (frame.Parameters, frame.BaseFee, frame.Producer, frame.Sharers);

        // The node's own execution of the same block ends at the last step's state.
        var execution = new BlockExecution(parameters, 1, baseFee, producer, sharers, node.State.GetAccount, node.State.GetRecord) { L1AnchorHeight = 0 };
        Assert.All(transactions, t => Assert.Null(execution.TryApply(t)));
        var outcome = execution.Finish();
        Assert.Equal(StepState.End(node.State.Prepare(1, outcome.Changes, outcome.Records).StateRoot), steps.States[^1]);
        Assert.Equal(transactions.Count + 1, steps.Count);

        for (var step = 0; step < steps.Count; step++)
        {
            var proof = steps.ProofOf(step);
            Assert.Equal(steps.States[step], proof.Pre);
            var (post, error) = proof.Verify(frame);
            Assert.True(error is null, error);
            Assert.Equal(steps.States[step + 1].Commitment, post);
        }

        var victim = steps.ProofOf(random.Next(steps.Count));
        var honest = steps.States[victim.Step + 1].Commitment;
        // As it travels to L1: the same proof after its bytes; cut bytes are malformed, nothing else.
        var bytes = victim.ToBytes();
        Assert.Equal((honest, (string?)null), OneStepProof.Decode(bytes).Verify(frame));
        Assert.Throws<DecodeException>(() => OneStepProof.Decode(bytes.AsSpan(0, random.Next(bytes.Length))));
        void NeverHonest(OneStepProof lie, string what)
        {
            var (post, error) = lie.Verify(frame);
            Assert.True(error is not null || post != honest, $"{what} still gave the honest commitment of step {victim.Step}");
        }
        void RefusedOrHonest(OneStepProof thin, string what)
        {
            var (post, error) = thin.Verify(frame);
            Assert.True(error is not null || post == honest, $"{what} gave {post} instead of refusing");
        }

        if (victim.Witness.Count > 0)
        {
            var drop = random.Next(victim.Witness.Count);
            RefusedOrHonest(victim with { Witness = [.. victim.Witness.Where((_, i) => i != drop)] }, "a witness without one entry");
            var changed = victim.Witness.ToList();
            changed[drop] = changed[drop] with { Value = changed[drop].Value is null ? [1] : null };
            Assert.NotNull((victim with { Witness = changed }).Verify(frame).Error);
        }
        NeverHonest(victim with { Pre = victim.Pre with { Context = victim.Pre.Context with { Fees = victim.Pre.Context.Fees + Amount.FromCas(1) } } }, "another context");
        if (victim.Transaction is not null && transactions.Count > 1)
        {
            var other = transactions[(victim.Step + 1) % transactions.Count];
            NeverHonest(victim with { Transaction = other }, "another transaction");
        }
        // A made-up context at the limits (what colluding players could agree on) is judged, never thrown out of the verifier.
        var extreme = victim with { Pre = victim.Pre with { Context = new StepContext(ulong.MaxValue - 1, Amount.MaxMoney, Amount.MaxMoney, Amount.MaxMoney) } };
        NeverHonest(extreme, "a context at the limits");
        NeverHonest(victim with { Pre = victim.Pre with { Root = new Hash256(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed.Value))) } }, "another pre-root");
    }

    /// <summary>
    /// A block holding a transaction the chain refuses: its steps are proven up to that one, whose proof
    /// re-executes to <see cref="StepState.Invalid"/> for the refusal the node's own execution gives;
    /// every commitment after it is Invalid, and no step after it has a proof (none can start there).
    /// </summary>
    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void A_refused_transaction_is_proven_invalid_and_every_commitment_after_it_is_invalid(Seed seed)
    {
        var random = new Random(seed.Value);
        using var block = ProvenBlock.Random(random, "one-step-proof-invalid", invalid: true);
        var (frame, transactions, steps, node) = (block.Frame, block.Transactions, block.Steps, block.Node);
        var refused = block.Refused!.Value;

        var execution = new BlockExecution(frame.Parameters, 1, frame.BaseFee, frame.Producer, frame.Sharers, node.State.GetAccount, node.State.GetRecord) { L1AnchorHeight = 0 };
        for (var i = 0; i < refused; i++)
            Assert.Null(execution.TryApply(transactions[i]));
        var rejection = execution.TryApply(transactions[refused]);
        Assert.NotNull(rejection);
        Assert.Equal(refused, steps.RefusedStep);
        Assert.Contains(rejection.Message, steps.Refusal, StringComparison.Ordinal);
        Assert.Equal(transactions.Count + 1, steps.Count);
        Assert.Equal(refused + 1, steps.States.Count);
        Assert.Equal(steps.Count + 1, steps.Commitments.Count);
        Assert.All(steps.Commitments.Skip(refused + 1), c => Assert.Equal(StepState.Invalid, c));

        for (var step = 0; step <= refused; step++)
        {
            var (post, error) = OneStepProof.Decode(steps.ProofOf(step).ToBytes()).Verify(frame);
            Assert.True(error is null, error);
            Assert.Equal(steps.Commitments[step + 1], post);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => steps.ProofOf(refused + 1));
        // The refusal read from the state (a balance, a nonce): its witness without one entry is refused or still Invalid, never a state.
        var proof = steps.ProofOf(refused);
        if (proof.Witness.Count > 0)
        {
            var drop = random.Next(proof.Witness.Count);
            var (post, error) = (proof with { Witness = [.. proof.Witness.Where((_, i) => i != drop)] }).Verify(frame);
            Assert.True(error is not null || post == StepState.Invalid, $"a thinner witness of the refused step gave {post}");
        }
    }
}
