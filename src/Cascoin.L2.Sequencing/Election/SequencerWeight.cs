using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Election;

/// <summary>
/// An eligible sequencer as the L1 says it is (never as it announces itself): its bonded stake and
/// HAT score, and its weight from them (<see cref="StakeQuorum.Weight"/>). In a leader election, a
/// sequencer that recently missed its slots (<paramref name="Misses"/>) draws with its weight divided
/// by 1 + misses (at least 1); votes and certificates always count the full weight.
/// </summary>
public readonly record struct SequencerWeight(Address Address, Amount Stake, byte Score, int Misses = 0)
{
    public UInt128 Weight
    {
        get
        {
            var full = StakeQuorum.Weight(Stake, Score);
            return Misses <= 0 || full == UInt128.Zero ? full : UInt128.Max(UInt128.One, full / (UInt128)(1 + Misses));
        }
    }
}
