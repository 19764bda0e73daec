using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Election;

/// <summary>
/// An eligible sequencer as the L1 says it is (never as it announces itself): its bonded stake and
/// HAT score, and its weight from them (<see cref="StakeQuorum.Weight"/>).
/// </summary>
public readonly record struct SequencerWeight(Address Address, Amount Stake, byte Score)
{
    public UInt128 Weight => StakeQuorum.Weight(Stake, Score);
}
