using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Execution.Steps;

/// <summary>
/// What every step of one block shares and a verifier takes from the chain's own records (the anchored
/// header, the parent certificate, the L1 queues, the epoch keys): the chain's rules, the header fields execution
/// reads, the signers that share the fees, and the state root the block began from.
/// </summary>
public sealed record BlockFrame(ChainParameters Parameters, ulong Number, ulong BaseFee, Address Producer, ulong L1AnchorHeight,
    IReadOnlyList<FeeSharer> Sharers, Hash256 StartRoot, Func<L1MessageKind, ulong, L1Message?>? L1Queue)
{
    /// <summary>The chain's epoch keys as the verifier's settlement state records them (for openings by shares); null: none.</summary>
    public Func<ulong, EpochKeyInfo?>? EpochKeys { get; init; }

    /// <summary>An execution of this block over <paramref name="state"/> (the state before the step), continuing from <paramref name="context"/>.</summary>
    internal BlockExecution Execution(WitnessedState state, StepContext context, Func<Address, ulong> blockStartNonce) =>
        new(Parameters, Number, BaseFee, Producer, Sharers, state.GetAccount, state.GetRecord, L1Queue)
        {
            L1AnchorHeight = L1AnchorHeight,
            EpochKeys = EpochKeys,
            Resume = context,
            BlockStartNonce = blockStartNonce,
        };
}
