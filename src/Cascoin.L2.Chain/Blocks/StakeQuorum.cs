using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// The weighted thresholds of BFT agreement, exact in integers (no rounding), and a sequencer's
/// weight in them. One definition for the L2 (votes, finality certificates) and the L1 (anchor
/// certificates): a certificate final on one layer is final on the other.
/// </summary>
public static class StakeQuorum
{
    /// <summary>
    /// A sequencer's weight in leader election and in votes: bonded stake (sat) × HAT score, so both a
    /// larger bond and a better reputation count, and a sequencer with either at zero has no say.
    /// </summary>
    public static UInt128 Weight(Amount stake, byte score) => stake.Sat <= 0 ? UInt128.Zero : (UInt128)(ulong)stake.Sat * score;

    /// <summary>More than 2/3: 3 × part > 2 × total. Two such sets of one total share more than 1/3 of it.</summary>
    public static bool IsSupermajority(UInt128 part, UInt128 total) => total > UInt128.Zero && part * 3 > total * 2;

    /// <summary>More than 1/3: at least one sequencer that follows the rules is among them while the rule breakers hold less.</summary>
    public static bool IsMoreThanOneThird(UInt128 part, UInt128 total) => total > UInt128.Zero && part * 3 > total;
}
