using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>The staking contract: bonds, unbonding with a delay, and slashing (the slashed part is burned).</summary>
public sealed class Staking : ISystemContract
{
    private Staking()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static Staking Contract { get; } = new();

    public Address Address => SystemAddresses.Staking;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.Bond, L1TransactionKind.Unbond, L1TransactionKind.ReportDoubleSign, L1TransactionKind.ReportEarlyShares];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        delivered = null;
        return request switch
        {
            BondCall bond => Bond(context, bond),
            UnbondCall unbond => Unbond(context, unbond),
            DoubleSignCall doubleSign => DoubleSigning.Report(context, doubleSign),
            EarlySharesCall early => EarlyShares.Report(context, early),
            _ => throw new ArgumentException($"not a staking request: {request.Kind}", nameof(request)),
        };
    }

    public void EndOfBlock(ContractContext context, ChainRecord chain)
    {
        ReleaseMatured(context, chain);
    }

    public static L1Refusal? Bond(ContractContext context, BondCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status is ChainStatus.Deprecated or ChainStatus.Emergency)
            return L1Refusal.Closed(call.ChainId, chain.Status, "no new stake");
        if (call.Amount <= Amount.Zero)
            return new L1Refusal(L1RefuseReason.BadParameter, "the amount must be positive");
        if (!context.TryDebitSender(call.Amount))
            return new L1Refusal(L1RefuseReason.InsufficientBalance, "insufficient balance");
        var stake = context.State.GetStake(call.ChainId, context.Sender);
        context.State.SetStake(call.ChainId, context.Sender, stake with { Bonded = stake.Bonded + call.Amount });
        if (!chain.Stakers.Contains(context.Sender))
            chain = chain with { Stakers = [.. chain.Stakers, context.Sender] };
        context.State.SetChain(Registry.UpdateStatus(context, chain));
        return null;
    }

    public static L1Refusal? Unbond(ContractContext context, UnbondCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        var stake = context.State.GetStake(call.ChainId, context.Sender);
        if (call.Amount <= Amount.Zero || call.Amount > stake.Bonded)
            return new L1Refusal(L1RefuseReason.BadParameter, $"can unbond 0 < amount ≤ {stake.Bonded} CAS");
        context.State.SetStake(call.ChainId, context.Sender, new StakeRecord(stake.Bonded - call.Amount, stake.Unbonding + call.Amount,
            context.Height + context.Parameters.UnbondDelay));
        context.State.SetChain(Registry.UpdateStatus(context, chain));
        return null;
    }

    /// <summary>Pays back unbonded stake whose delay has passed (every block).</summary>
    public static void ReleaseMatured(ContractContext context, ChainRecord chain)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chain);
        var stakers = chain.Stakers.ToList();
        foreach (var staker in chain.Stakers)
        {
            var stake = context.State.GetStake(chain.ChainId, staker);
            if (stake.Unbonding == Amount.Zero || context.Height < stake.ReleaseHeight)
                continue;
            context.State.Credit(staker, stake.Unbonding);
            var left = stake with { Unbonding = Amount.Zero, ReleaseHeight = 0 };
            context.State.SetStake(chain.ChainId, staker, left);
            if (left.IsEmpty)
                stakers.Remove(staker);
        }
        if (stakers.Count != chain.Stakers.Count)
            context.State.SetChain(context.State.GetChain(chain.ChainId)! with { Stakers = stakers });
    }

    /// <summary>
    /// Slashes <paramref name="sequencer"/> for an offence that counts once (<paramref name="mark"/>
    /// set afterwards): <see cref="SettlementParameters.DoubleSignSlashPercent"/> of its bond and
    /// unbonding stake; refused when it was already slashed for it or holds no stake on the chain.
    /// </summary>
    public static L1Refusal? SlashOnce(ContractContext context, ulong chainId, Address sequencer, Hash256 mark, string offence)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.State.IsMarked(mark))
            return new L1Refusal(L1RefuseReason.AlreadyDone, $"sequencer {sequencer} was already slashed for {offence}");
        var stake = context.State.GetStake(chainId, sequencer);
        if (stake.Bonded == Amount.Zero && stake.Unbonding == Amount.Zero)
            return new L1Refusal(L1RefuseReason.NoStake, $"{sequencer} has no stake on chain {chainId}");
        Slash(context, chainId, sequencer, context.Parameters.DoubleSignSlashPercent);
        context.State.Mark(mark);
        return null;
    }

    /// <summary>Burns <paramref name="percent"/> % of <paramref name="sequencer"/>'s bond (and unbonding stake, which stays slashable); returns what was burned.</summary>
    public static Amount Slash(ContractContext context, ulong chainId, Address sequencer, int percent)
    {
        ArgumentNullException.ThrowIfNull(context);
        var stake = context.State.GetStake(chainId, sequencer);
        var fromBond = stake.Bonded.PercentFloor(percent);
        var fromUnbonding = stake.Unbonding.PercentFloor(percent);
        context.State.SetStake(chainId, sequencer, stake with { Bonded = stake.Bonded - fromBond, Unbonding = stake.Unbonding - fromUnbonding });
        var chain = context.State.GetChain(chainId)!;
        context.State.SetChain(Registry.UpdateStatus(context, chain));
        return fromBond + fromUnbonding;
    }
}
