using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// A system contract as one unit (convention 11): its address, the call kinds it answers (each
/// decoded by its call record, see <see cref="L1Call"/>), how it applies one, and its duty at the end
/// of every block. <see cref="SystemContracts"/> lists them all; block execution knows nothing else.
/// </summary>
public interface ISystemContract
{
    /// <summary>The fixed address (<see cref="SystemAddresses"/>).</summary>
    Address Address { get; }

    IReadOnlyList<L1TransactionKind> Kinds { get; }

    /// <summary>Applies <paramref name="request"/> (one of <see cref="Kinds"/>); why it failed, or null. <paramref name="delivered"/>: what the receipt reports it delivered, if anything.</summary>
    L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered);

    /// <summary>The per-block duty for <paramref name="chain"/> after the block's last transaction (none by default).</summary>
    void EndOfBlock(ContractContext context, ChainRecord chain)
    {
    }
}

/// <summary>Every system contract, in the order of their end-of-block duties, and the one that answers each call kind.</summary>
public static class SystemContracts
{
    /// <summary>
    /// Forced-inclusion misses are judged before unbonded stake is released (stake whose delay ends on a
    /// deadline block was held while the forced transaction waited); fraud-proof games time out before
    /// the emergency clock is read (a proven fraud restarts it).
    /// </summary>
    public static IReadOnlyList<ISystemContract> All { get; } =
        [ForcedInclusion.Contract, Staking.Contract, Fraud.FraudVerifier.Contract, Anchors.Contract, Registry.Contract, CircuitBreaker.Contract, Reputation.Contract, Bridge.Contract, Messages.Contract];

    private static readonly Dictionary<L1TransactionKind, ISystemContract> ByKind = All.SelectMany(c => c.Kinds.Select(k => (k, c))).ToDictionary(p => p.k, p => p.c);

    /// <summary>The contract that answers <paramref name="kind"/>, or null (a plain transfer, or no contract).</summary>
    public static ISystemContract? For(L1TransactionKind kind) => ByKind.GetValueOrDefault(kind);
}
