using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>The bridge's withdrawal period rule (SPEC §2, §6) in one place, for the contract and for what the RPC reports.</summary>
public static class WithdrawalRules
{
    /// <summary>
    /// L1 blocks after its anchor before a withdrawal can be paid: the chain's challenge period, or a
    /// quarter of it (at least one block) when the withdrawal's owner (its L1 recipient) has a HAT score
    /// above the fast-withdrawal score.
    /// </summary>
    public static ulong PeriodFor(ChainRecord chain, SettlementParameters parameters, byte ownerScore)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(parameters);
        return ownerScore > parameters.FastWithdrawalScore
            ? Math.Max(1, chain.ChallengePeriod / parameters.FastWithdrawalDivisor)
            : chain.ChallengePeriod;
    }

    /// <summary>The L1 height from which <paramref name="anchor"/>'s withdrawals owned by an address with <paramref name="ownerScore"/> can be paid.</summary>
    public static ulong FinalHeight(AnchorRecord anchor, ChainRecord chain, SettlementParameters parameters, byte ownerScore)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        return anchor.PostedHeight + PeriodFor(chain, parameters, ownerScore);
    }
}
