using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// Slashing for decryption shares released before their block was final (doc/encrypted-mempool.md,
/// "Shares before finality"). An honest member makes its shares of a block only once it holds the
/// block's commit certificate, and signs a release naming that certificate. Anyone may post the
/// release: the contract checks everything itself — the member of the epoch key signed it, the batch's
/// proof checks against the member's verification key for that block, the parent header fixes the
/// block's sequencer set through an L1 block still on this chain — and slashes the member's stake
/// (<see cref="SettlementParameters.DoubleSignSlashPercent"/>, as for double signing) when the
/// certificate does not give distinct members of that set more than 2/3 of its weight. One slash per
/// member and height.
/// </summary>
/// <remarks>
/// Why an honest member is never slashed: its certificate is one its node accepted for the block,
/// under the set the same rule gives (<see cref="Anchors"/> and the L2 count certificates the same
/// way). After an L1 reorganization the parent may name an L1 block that is gone; such evidence is
/// refused, since the set the member counted against may be gone with it.
/// </remarks>
public static class EarlyShares
{
    public static L1Refusal? Report(ContractContext context, EarlySharesCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.History is not { } history || context.Network is not { } network)
            throw new InvalidOperationException("early-share evidence is checked against the L1 history and network");
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (EpochKeys.Get(context.State, call.ChainId, call.Epoch) is not { } record)
            return Bad($"chain {call.ChainId} has no encryption key of epoch {call.Epoch}");
        if (call.Member < 1 || call.Member > record.Members.Count)
            return Bad($"epoch {call.Epoch} has members 1..{record.Members.Count}, not {call.Member}");
        var member = record.Members[call.Member - 1];
        var (header, parent) = (call.Header, call.Parent);
        if (header.Number < 2 || parent.Hash != header.ParentHash || parent.Number + 1 != header.Number)
            return Bad("the parent header is not the parent of the block the shares name (blocks 0 and 1 hold no envelopes)");
        var release = ShareRelease.Digest(call.ChainId, header.Number, header.Hash, call.Epoch, call.Batch, call.Certificate.Hash);
        if (SignatureSigners.Recover(call.Signature, release.ToArray()) != member)
            return new L1Refusal(L1RefuseReason.BadSignature, $"the release is not signed by member {call.Member} of epoch {call.Epoch} ({member})");
        if (BatchDecryptionShare.MemberOf(call.Batch, call.Points.Count) != call.Member
            || CiphertextBatch.OfPoints(call.Points, ShareRelease.Context(call.ChainId, header.Number, header.Hash, call.Epoch)) is not { } points
            || !BatchDecryptionShare.Verify(record.Key, points, call.Batch))
            return Bad($"the batch is not member {call.Member}'s valid shares of L2 block {header.Number} {header.Hash}");
        if (history.HashAt(parent.L1AnchorHeight) != parent.L1AnchorHash)
            return new L1Refusal(L1RefuseReason.BadL1Reference,
                $"the parent names L1 block {parent.L1AnchorHeight} {parent.L1AnchorHash}, no longer on this chain: the set the member counted may be gone with it");
        var setHeight = ContractContext.CertificateSetHeight(chain, network, parent.L1AnchorHeight);
        if (context.SequencerWeightsAt(call.ChainId, setHeight) is not { } weights)
            return new L1Refusal(L1RefuseReason.BadL1Reference, $"the sequencer set of L1 height {setHeight} is not known");
        if (CertificateTally.Of(call.Certificate, call.ChainId, header, weights).IsValid)
            return Bad($"the certificate certifies L2 block {header.Number} {header.Hash}: the shares were released after finality");
        return Staking.SlashOnce(context, call.ChainId, member, SettlementKeys.EarlySharesSlashed(call.ChainId, member, header.Number),
            $"shares released before finality at L2 height {header.Number}");
    }

    private static L1Refusal Bad(string message) => new(L1RefuseReason.BadEvidence, message);
}
