using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// Slashing for double signing (SPEC §7): anyone may post two consensus messages (<see cref="SignedVote"/>)
/// of one sequencer for the same chain, height, round and step that name different blocks. The
/// contract checks everything itself — the messages conflict, both signatures recover to the same
/// address over their own signing hashes (which bind the chain id, height, round and step), and that
/// address has stake on the chain — and burns <see cref="SettlementParameters.DoubleSignSlashPercent"/>
/// of its bond and unbonding stake. One slash per sequencer and height: several honest nodes
/// reporting the same equivocation, or one equivocation in several rounds, cannot slash it twice.
/// An honest sequencer persists what it signed before sending it, so it never signs such a pair.
/// </summary>
public static class DoubleSigning
{
    public static L1Refusal? Report(ContractContext context, DoubleSignCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        var (first, second) = (call.First, call.Second);
        if (context.State.GetChain(first.ChainId) is null)
            return L1Refusal.UnknownChain(first.ChainId);
        if (first.ChainId != second.ChainId || first.Height != second.Height || first.Round != second.Round || first.Step != second.Step)
            return new L1Refusal(L1RefuseReason.BadEvidence, $"the messages are for different chains, heights, rounds or steps ({first.Height}/{first.Round}/{first.Step}, {second.Height}/{second.Round}/{second.Step}): not double signing");
        if (first.Block == second.Block)
            return new L1Refusal(L1RefuseReason.BadEvidence, "both messages name the same block: not double signing");
        if (first.RecoverSigner() is not { } signer || second.RecoverSigner() is not { } other)
            return new L1Refusal(L1RefuseReason.BadSignature, $"a signature does not recover over its message's signing hash for chain {first.ChainId}");
        if (signer != other)
            return new L1Refusal(L1RefuseReason.BadEvidence, $"the messages are signed by different sequencers ({signer}, {other})");
        return Staking.SlashOnce(context, first.ChainId, signer, SettlementKeys.DoubleSignSlashed(first.ChainId, signer, first.Height), $"double signing at L2 height {first.Height}");
    }
}
