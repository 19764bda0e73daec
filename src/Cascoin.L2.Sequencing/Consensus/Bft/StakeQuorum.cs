namespace Cascoin.L2.Sequencing.Consensus.Bft;

/// <summary>The weighted thresholds of BFT agreement, exact in integers (no rounding).</summary>
public static class StakeQuorum
{
    /// <summary>More than 2/3: 3 × part > 2 × total. Two such sets of one total share more than 1/3 of it.</summary>
    public static bool IsSupermajority(UInt128 part, UInt128 total) => total > UInt128.Zero && part * 3 > total * 2;

    /// <summary>More than 1/3: at least one sequencer that follows the rules is among them while the rule breakers hold less.</summary>
    public static bool IsMoreThanOneThird(UInt128 part, UInt128 total) => total > UInt128.Zero && part * 3 > total;
}
