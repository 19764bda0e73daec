using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>
/// Proof that <paramref name="Sequencer"/> accepted two different blocks at one height: both signed
/// votes, which anyone can re-check (<see cref="IsValid"/>). This is what the staking contract slashes for.
/// </summary>
public sealed record DoubleSignEvidence(Address Sequencer, L2Vote First, L2Vote Second)
{
    public bool IsValid() =>
        First.ChainId == Second.ChainId && First.Height == Second.Height && First.BlockHash != Second.BlockHash
        && First.Kind == VoteKind.Accept && Second.Kind == VoteKind.Accept
        && First.RecoverVoter() == Sequencer && Second.RecoverVoter() == Sequencer;
}
