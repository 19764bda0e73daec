using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The reputation contract: on regtest anyone sets an address's HAT v2 score (on a live chain the
/// reputation system's role); a change may move the chains the address stakes on in or out of ACTIVE.
/// </summary>
public sealed class Reputation : ISystemContract
{
    private Reputation()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static Reputation Contract { get; } = new();

    public Address Address => SystemAddresses.Reputation;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.SetReputation];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        ArgumentNullException.ThrowIfNull(context);
        delivered = null;
        if (request is not SetReputationCall reputation)
            throw new ArgumentException($"not a reputation request: {request.Kind}", nameof(request));
        if (context.Network?.Kind != NetworkKind.Regtest)
            return new L1Refusal(L1RefuseReason.NotAllowed, "setreputation exists on regtest only; scores come from the HAT v2 reputation system");
        context.State.SetAccount(reputation.Subject, context.State.GetAccount(reputation.Subject) with { HatScore = reputation.Score });
        Registry.OnReputationChanged(context, reputation.Subject);
        return null;
    }
}
