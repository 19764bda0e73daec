using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>
/// Two ACCEPTs by <paramref name="Sequencer"/> for different blocks said to be at one height, both
/// signatures re-checkable (<see cref="IsValid"/>). An ACCEPT signs the block's seal hash, which
/// commits to the height through the header; slashing on L1 therefore also needs the two headers,
/// which the proposals carry.
/// </summary>
public sealed record DoubleSignEvidence(Address Sequencer, L2Vote First, L2Vote Second)
{
    public bool IsValid() =>
        First.ChainId == Second.ChainId && First.Height == Second.Height && First.BlockHash != Second.BlockHash
        && First.Kind == VoteKind.Accept && Second.Kind == VoteKind.Accept
        && First.RecoverVoter() == Sequencer && Second.RecoverVoter() == Sequencer;
}
