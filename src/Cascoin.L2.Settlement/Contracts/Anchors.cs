using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Crypto;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The anchor contract: batches of L2 blocks, in order, each a quorum certificate (<see cref="AnchorCall"/>);
/// each is final after the chain's challenge period. Anyone may post one: its authority is the
/// signatures, not the sender. What it checks is that the sequencers who held more than 2/3 of the
/// weight then signed this chain of headers, bound to this L1; whether the state roots are right is
/// for the fraud proofs.
/// </summary>
public sealed class Anchors : ISystemContract
{
    private Anchors()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static Anchors Contract { get; } = new();

    public Address Address => SystemAddresses.Anchors;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.Anchor];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        delivered = null;
        return request is AnchorCall anchor ? Post(context, anchor) : throw new ArgumentException($"not an anchors request: {request.Kind}", nameof(request));
    }

    public void EndOfBlock(ContractContext context, ChainRecord chain)
    {
        // No valid anchor for the emergency window: the chain enters emergency mode, its exit root fixed now.
        if (chain.Status is ChainStatus.Active or ChainStatus.Paused && context.Height > chain.LastAnchorHeight + context.Parameters.EmergencyWindow)
            context.State.SetChain(chain with
            {
                Status = ChainStatus.Emergency,
                EmergencyAnchorCount = LastFinal(context.State, chain, context.Height) is { } final ? final.Index + 1 : 0,
            });
    }

    public static L1Refusal? Post(ContractContext context, AnchorCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.History is not { } history || context.Network is not { } network)
            throw new InvalidOperationException("anchors are checked against the L1 history and network");
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status is not (ChainStatus.Active or ChainStatus.Paused))
            return L1Refusal.Closed(call.ChainId, chain.Status, "it takes no anchors");
        var previous = chain.AnchorCount == 0 ? null : context.State.GetAnchor(call.ChainId, chain.AnchorCount - 1);
        var headers = call.Headers;
        if (headers.Count > context.Parameters.MaxAnchorBlocks)
            return new L1Refusal(L1RefuseReason.BadRange, $"an anchor covers at most {context.Parameters.MaxAnchorBlocks} L2 blocks (got {headers.Count})");
        if (RangeError(chain, previous, headers) is { } rangeError)
            return rangeError;
        if (L1BindingError(context, history, previous, headers) is { } bindingError)
            return bindingError;
        var parentL1Height = headers.Count > 1 ? headers[^2].L1AnchorHeight : previous!.LastL1AnchorHeight;
        var setHeight = ContractContext.CertificateSetHeight(chain, network, parentL1Height);
        if (CertificateError(context, call, setHeight, out var signers) is { } certificateError)
            return certificateError;
        if (DataError(call) is { } dataError)
            return dataError;
        var processed = call.Last.Processed;
        if (processed.L1Messages > chain.L1MessageCount || processed.L1Messages < (previous?.L1MessagesProcessed ?? 0))
            return new L1Refusal(L1RefuseReason.BadQueueCount, $"the batch has processed {processed.L1Messages} L1 messages; that must be within {previous?.L1MessagesProcessed ?? 0}..{chain.L1MessageCount}");
        if (processed.Forced > chain.ForcedCount || processed.Forced < chain.ForcedProcessed)
            return new L1Refusal(L1RefuseReason.BadQueueCount, $"the batch has processed {processed.Forced} forced transactions; that must be within {chain.ForcedProcessed}..{chain.ForcedCount}");

        var anchor = new AnchorRecord(chain.AnchorCount, call.FirstBlock, call.LastBlock, call.Last.StateRoot, call.Last.Hash,
            call.DataRoot, call.Data.Length, processed.L1Messages, processed.Forced, context.Sender, context.Height,
            MerkleRoot.Compute(headers.Select(h => h.StateRoot).ToList()), call.Last.L1AnchorHeight, setHeight, signers);
        context.State.Set(SettlementKeys.Anchor(call.ChainId, anchor.Index), anchor.ToBytes());
        context.State.SetChain(chain with
        {
            AnchorCount = chain.AnchorCount + 1,
            LastAnchorHeight = context.Height,
            LastAnchoredBlock = call.LastBlock,
            ForcedProcessed = processed.Forced,
        });
        return null;
    }

    /// <summary>The headers continue the anchored chain: numbered on from the last anchored block, each the child of the one before.</summary>
    private static L1Refusal? RangeError(ChainRecord chain, AnchorRecord? previous, IReadOnlyList<BlockHeader> headers)
    {
        var first = headers[0];
        // LastAnchoredBlock < FirstBlock of any later anchor ≤ MaxValue: the + 1 cannot wrap once it is checked.
        if (chain.LastAnchoredBlock == ulong.MaxValue || first.Number != chain.LastAnchoredBlock + 1)
            return new L1Refusal(L1RefuseReason.BadRange, $"the next batch starts at L2 block {(chain.LastAnchoredBlock == ulong.MaxValue ? "none" : (chain.LastAnchoredBlock + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))} (got {first.Number})");
        if (previous is not null && first.ParentHash != previous.LastBlockHash)
            return new L1Refusal(L1RefuseReason.BadRange, $"L2 block {first.Number} is not the child of anchored block {previous.LastBlock} {previous.LastBlockHash}");
        for (var i = 1; i < headers.Count; i++)
        {
            if (headers[i].Number != headers[i - 1].Number + 1 || headers[i].ParentHash != headers[i - 1].Hash)
                return new L1Refusal(L1RefuseReason.BadRange, $"header {i} (L2 block {headers[i].Number}) is not the child of header {i - 1} (L2 block {headers[i - 1].Number})");
        }
        // Block 1's set is the first the chain had, found by searching the deployment's history; a batch
        // that ends there would need that search on L1. Batches are longer than one block anyway.
        if (headers[^1].Number < 2)
            return new L1Refusal(L1RefuseReason.BadRange, "an anchor ends at L2 block 2 or later");
        return null;
    }

    /// <summary>
    /// Every header references a block of this L1 below the current one, by its true hash, never
    /// going back; the last one recently enough that its set still holds the majority.
    /// </summary>
    private static L1Refusal? L1BindingError(ContractContext context, IL1History history, AnchorRecord? previous, IReadOnlyList<BlockHeader> headers)
    {
        var floor = previous?.LastL1AnchorHeight ?? 0;
        var checkedHeight = ulong.MaxValue;
        foreach (var header in headers)
        {
            if (header.L1AnchorHeight < floor)
                return new L1Refusal(L1RefuseReason.BadL1Reference, $"L2 block {header.Number} references L1 block {header.L1AnchorHeight}, before {floor} of the block before it");
            if (header.L1AnchorHeight >= context.Height)
                return new L1Refusal(L1RefuseReason.BadL1Reference, $"L2 block {header.Number} references L1 block {header.L1AnchorHeight}, not below this one ({context.Height})");
            if (header.L1AnchorHeight != checkedHeight)
            {
                if (history.HashAt(header.L1AnchorHeight) != header.L1AnchorHash)
                    return new L1Refusal(L1RefuseReason.BadL1Reference, $"L2 block {header.Number} references L1 block {header.L1AnchorHeight} by hash {header.L1AnchorHash}, which is not this chain's block there");
                checkedHeight = header.L1AnchorHeight;
            }
            floor = header.L1AnchorHeight;
        }
        if (floor + context.Parameters.MaxAnchorL1Age < context.Height)
            return new L1Refusal(L1RefuseReason.BadL1Reference, $"the batch's last L2 block references L1 block {floor}, more than {context.Parameters.MaxAnchorL1Age} blocks before this one ({context.Height})");
        return null;
    }

    /// <summary>
    /// The batch data is there, its DA commitment is the one claimed (recomputed here: parity and root
    /// from the data, so a commitment cannot lie about its data), and it is the headers' blocks: the
    /// transactions under each header's root and the parent certificates under its hash.
    /// </summary>
    private static L1Refusal? DataError(AnchorCall call)
    {
        if (call.Data.Length == 0)
            return new L1Refusal(L1RefuseReason.BadData, "the anchor carries no batch data: an anchor without its data is refused");
        var root = ShardCommitment.Of(call.Data).Commitment.Root;
        if (root != call.DataRoot)
            return new L1Refusal(L1RefuseReason.BadCommitment, $"the batch data's commitment is {root}, not the claimed {call.DataRoot}");
        var (_, error) = BatchPackage.Open(call.ChainId, call.Data, call.Headers, call.Certificate);
        return error is null ? null : new L1Refusal(L1RefuseReason.BadData, error);
    }

    /// <summary>Distinct members of the set at <paramref name="setHeight"/> with more than 2/3 of its weight precommitted the last header.</summary>
    private static L1Refusal? CertificateError(ContractContext context, AnchorCall call, ulong setHeight, out IReadOnlyList<Address> signers)
    {
        signers = [];
        if (context.SequencerWeightsAt(call.ChainId, setHeight) is not { } weights)
            return new L1Refusal(L1RefuseReason.BadL1Reference, $"the sequencer set of L1 height {setHeight} is not known");
        var tally = CertificateTally.Of(call.Certificate, call.ChainId, call.Last, weights);
        signers = tally.Signers;
        return tally.Fault switch
        {
            CertificateFault.None => null,
            CertificateFault.SignatureDoesNotRecover => new L1Refusal(L1RefuseReason.BadCertificate, "a certificate signature does not recover"),
            CertificateFault.RepeatedSigner => new L1Refusal(L1RefuseReason.BadCertificate, $"{tally.Culprit} signed the certificate twice"),
            CertificateFault.SignerNotInSet => new L1Refusal(L1RefuseReason.BadCertificate, $"{tally.Culprit} is not in the sequencer set of L1 height {setHeight}"),
            _ => new L1Refusal(L1RefuseReason.BadCertificate,
                $"the certificate of L2 block {call.LastBlock} is signed by {tally.Signers.Count} of {weights.Count} sequencers of L1 height {setHeight}, not more than 2/3 of their weight"),
        };
    }

    /// <summary>
    /// The anchor emergency exits prove against: the newest one that was final when the chain entered
    /// emergency mode (null when none was, or the chain is not in emergency).
    /// </summary>
    public static AnchorRecord? EmergencyRoot(L1StateView state, ChainRecord chain)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Status == ChainStatus.Emergency && chain.EmergencyAnchorCount > 0 ? state.GetAnchor(chain.ChainId, chain.EmergencyAnchorCount - 1) : null;
    }

    /// <summary>
    /// Null when anchor <paramref name="index"/> may pay withdrawals or execute messages; otherwise why
    /// not. In emergency only anchors final at its start count: the exit root is the newest of them, so
    /// a later anchor's withdrawals are still in the balances exits pay.
    /// </summary>
    public static L1Refusal? UsableInEmergency(ChainRecord chain, ulong index)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Status == ChainStatus.Emergency && index >= chain.EmergencyAnchorCount
            ? new L1Refusal(L1RefuseReason.ChainStatus, $"anchor {index} was not final when chain {chain.ChainId} entered emergency mode: its balances leave through l2_emergencywithdraw")
            : null;
    }

    /// <summary>
    /// Whether <paramref name="anchor"/> is final at <paramref name="height"/> after <paramref name="period"/>
    /// (a fast withdrawal's shorter one, say): its period is over and no fraud-proof game is open on it
    /// or on an anchor before it (a proven fraud there would revert it).
    /// </summary>
    public static bool IsFinal(L1StateView state, ChainRecord chain, AnchorRecord anchor, ulong height, ulong period)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(anchor);
        return anchor.IsFinalAt(height, period) && !Fraud.FraudVerifier.IsUnderChallenge(state, chain.ChainId, anchor.Index);
    }

    /// <summary>The newest anchor that is final at <paramref name="height"/>, or null.</summary>
    public static AnchorRecord? LastFinal(L1StateView state, ChainRecord chain, ulong height)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(chain);
        for (var index = chain.AnchorCount; index > 0; index--)
        {
            var anchor = state.GetAnchor(chain.ChainId, index - 1)!;
            if (IsFinal(state, chain, anchor, height, chain.ChallengePeriod))
                return anchor;
        }
        return null;
    }
}
