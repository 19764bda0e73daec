using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Election;

/// <summary>
/// An eligible sequencer as the L1 says it is (never as it announces itself): its bonded stake and
/// HAT score. Its weight in leader election and in votes is stake (sat) × score, so both a larger
/// bond and a better reputation count, and a sequencer with either at zero has no say.
/// </summary>
public readonly record struct SequencerWeight(Address Address, Amount Stake, byte Score)
{
    public UInt128 Weight => Stake.Sat <= 0 ? UInt128.Zero : (UInt128)(ulong)Stake.Sat * Score;
}
