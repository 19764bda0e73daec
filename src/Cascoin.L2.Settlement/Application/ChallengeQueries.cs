using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.Contracts.Fraud;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Application;

/// <summary>Where an anchor stands: in its challenge period, held by an open fraud-proof game, or final.</summary>
public enum AnchorStatus
{
    Pending,
    Challenged,
    Final,
}

/// <summary>The fraud-proof games of a chain and the status of its anchors, as the settlement chain holds them at its tip.</summary>
public sealed class ChallengeQueries(L1Chain l1)
{
    /// <summary>Every game chain <paramref name="chainId"/> had, oldest first; <paramref name="open"/> true: only open ones, false: only ended ones.</summary>
    public Outcome<IReadOnlyList<GameRecord>> Games(ulong chainId, bool? open = null)
    {
        var state = l1.StateAtTip();
        if (state.GetChain(chainId) is null)
            return new SettlementError(SettlementErrorKind.NotFound, $"chain {chainId} is not deployed on the settlement chain (l2_listchains)");
        return All(state, chainId).Where(game => open is null || open == !game.Game.IsOver).ToList();
    }

    /// <summary>Every game chain <paramref name="chainId"/> had in <paramref name="state"/>, oldest first.</summary>
    public static IEnumerable<GameRecord> All(L1StateView state, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var count = FraudVerifier.OpenOf(state, chainId).Count;
        for (ulong id = 0; id < count; id++)
        {
            if (FraudVerifier.GetGame(state, chainId, id) is { } game)
                yield return game;
        }
    }

    /// <summary>Where <paramref name="anchor"/> of <paramref name="chain"/> stands at the tip.</summary>
    public AnchorStatus StatusOf(ChainRecord chain, AnchorRecord anchor)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(anchor);
        var state = l1.StateAtTip();
        if (FraudVerifier.IsUnderChallenge(state, chain.ChainId, anchor.Index))
            return AnchorStatus.Challenged;
        return Anchors.IsFinal(state, chain, anchor, l1.Height, chain.ChallengePeriod) ? AnchorStatus.Final : AnchorStatus.Pending;
    }

    /// <summary>A game phase as the RPC names it.</summary>
    public static string PhaseName(GamePhase phase) => phase switch
    {
        GamePhase.DefenderMoves => "defender-moves",
        GamePhase.ChallengerMoves => "challenger-moves",
        GamePhase.OneStep => "one-step",
        GamePhase.DefenderWon => "defender-won",
        GamePhase.ChallengerWon => "challenger-won",
        _ => "annulled",
    };
}
