using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts.Fraud;

/// <summary>
/// What a challenger brings to name the block it disputes: the headers from before it up to the
/// anchor's last block (its grandparent from block 3 on, whose L1 reference fixes the parent's
/// sequencer set; its parent for blocks 1 and 2), the parent certificate the block carries (who shared
/// its fees), and the ids of its transactions in order (its steps).
/// </summary>
public sealed record DisputeEvidence(IReadOnlyList<BlockHeader> Headers, CommitCertificate ParentCommit, IReadOnlyList<Hash256> TransactionIds);

/// <summary>
/// A disputed block as the L1 sees it: every step's frame (<see cref="BlockFrame"/>) rebuilt from the
/// anchored headers, the L1's own record of the sequencer sets and its own L1 queues — nothing taken on
/// the challenger's word — with the agreed start and the claimed end of the bisection game.
/// </summary>
public sealed record DisputedBlock(BlockFrame Frame, BlockHeader Header, IReadOnlyList<Hash256> TransactionIds)
{
    /// <summary>One step per transaction and the fee split.</summary>
    public int Steps => TransactionIds.Count + 1;

    /// <summary>The commitment before step 0: the parent's state root, nothing built up yet. Agreed: the anchored parent root.</summary>
    public Hash256 StartCommitment => new StepState(Frame.StartRoot, default).Commitment;

    /// <summary>The commitment after the last step: the state root the anchor's signers signed for the block.</summary>
    public Hash256 ClaimedEnd => StepState.End(Header.StateRoot).Commitment;

    /// <summary>The id of the transaction step <paramref name="step"/> runs, null for the fee split.</summary>
    public Hash256? TransactionAt(int step) => step < TransactionIds.Count ? TransactionIds[step] : null;

    /// <summary>
    /// Block <paramref name="number"/> of <paramref name="anchor"/> from <paramref name="evidence"/>,
    /// or why not: a block outside the anchor, headers that do not chain to its last block, a parent
    /// certificate that is not the one the header commits to (or not by more than 2/3 of its set),
    /// transaction ids that are not under the header's root.
    /// </summary>
    public static (DisputedBlock? Block, L1Refusal? Refusal) Rebuild(ContractContext context, ChainRecord chain, AnchorRecord anchor, ulong number, DisputeEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentNullException.ThrowIfNull(evidence);
        if (context.History is not { } history || context.Network is not { } network)
            throw new InvalidOperationException("a disputed block is rebuilt against the L1 history and network");
        if (number < anchor.FirstBlock || number > anchor.LastBlock)
            return (null, Bad($"anchor {anchor.Index} covers L2 blocks {anchor.FirstBlock}..{anchor.LastBlock}, not {number}"));
        var headers = evidence.Headers;
        var first = number >= 3 ? number - 2 : number - 1;
        if (headers.Count != (int)(anchor.LastBlock - first + 1) || headers[0].Number != first)
            return (null, Bad($"the headers run from L2 block {first} to the anchor's last block {anchor.LastBlock}"));
        for (var i = 1; i < headers.Count; i++)
        {
            if (headers[i].Number != headers[i - 1].Number + 1 || headers[i].ParentHash != headers[i - 1].Hash)
                return (null, Bad($"header {i} (L2 block {headers[i].Number}) is not the child of the header before it"));
        }
        if (headers[^1].Hash != anchor.LastBlockHash)
            return (null, Bad($"the headers end at {headers[^1].Hash}, not the anchored block {anchor.LastBlockHash}"));
        var header = headers[(int)(number - first)];
        var parent = headers[(int)(number - 1 - first)];
        if (evidence.ParentCommit.Hash != header.ParentCommitHash)
            return (null, Bad($"the parent certificate is not the one L2 block {number} commits to"));
        if (MerkleRoot.Compute(evidence.TransactionIds) != header.TransactionsRoot)
            return (null, Bad($"the transaction ids are not the ones under L2 block {number}'s transactions root"));

        var parameters = ChainParameters.For(network, chain.ChainId) with
        {
            BlockTime = TimeSpan.FromMilliseconds(chain.BlockTimeMs),
            BlockGasLimit = chain.GasLimit,
            Encryption = chain.Encryption,
        };
        // The parent's set decides who shares the block's fees: fixed by the grandparent's L1 reference, or the chain's first set for block 1.
        ulong? setHeight = parent.Number switch
        {
            0 => null,
            1 => FirstSetHeight(context, history, chain),
            _ => ContractContext.CertificateSetHeight(chain, network, headers[0].L1AnchorHeight),
        };
        IReadOnlyDictionary<Address, UInt128>? Weights(ulong block) => setHeight is { } height ? context.SequencerWeightsAt(chain.ChainId, height) : null;
        var (sharers, rejection) = ParentCommits.FeeSharers(chain.ChainId, Weights, parent, evidence.ParentCommit, header.Sequencer);
        if (rejection is not null)
            return (null, new L1Refusal(L1RefuseReason.BadCertificate, rejection.Message));
        var state = context.State;
        L1Message? Queued(L1MessageKind kind, ulong sequence) =>
            kind == L1MessageKind.Forced ? state.GetForced(chain.ChainId, sequence) : state.GetL1Message(chain.ChainId, sequence);
        var frame = new BlockFrame(parameters, number, header.BaseFee, header.Sequencer, header.L1AnchorHeight, sharers, parent.StateRoot, Queued)
        {
            // The verification keys a step that opens an envelope by shares is checked against: the ones L1 recorded.
            EpochKeys = epoch => EpochKeys.Get(state, chain.ChainId, epoch) is { } key ? new EpochKeyInfo(key.Epoch, key.Key, key.CommittedHeight) : null,
        };
        return (new DisputedBlock(frame, header, evidence.TransactionIds), null);
    }

    /// <summary>The first L1 height from the chain's deployment on with an eligible sequencer: the set of L2 block 1.</summary>
    private static ulong? FirstSetHeight(ContractContext context, IL1History history, ChainRecord chain)
    {
        for (var height = chain.DeployHeight; height < context.Height; height++)
        {
            if (history.StateAt(height) is { } state && state.GetChain(chain.ChainId) is { } chainThen
                && (context with { State = state, Height = height }).EligibleSequencers(chainThen).Count > 0)
                return height;
        }
        return null;
    }

    private static L1Refusal Bad(string message) => new(L1RefuseReason.BadRange, message);
}
