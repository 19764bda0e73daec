using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The bridge contract: deposits are locked and queued for the L2; withdrawals are paid from the
/// locked total once proven against a final anchored root (a shorter period for senders with a
/// HAT score above the fast-withdrawal score); in emergency mode every L2 balance can be taken out
/// once against the last final root. Limits and the circuit breaker of SPEC §2 apply.
/// </summary>
public sealed class Bridge : ISystemContract
{
    private Bridge()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static Bridge Contract { get; } = new();

    public Address Address => SystemAddresses.Bridge;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.Deposit, L1TransactionKind.FinalizeWithdrawal, L1TransactionKind.EmergencyWithdraw];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        delivered = null;
        return request switch
        {
            DepositCall deposit => Deposit(context, deposit),
            FinalizeWithdrawalCall withdrawal => FinalizeWithdrawal(context, withdrawal),
            EmergencyWithdrawCall exit => EmergencyWithdraw(context, exit),
            _ => throw new ArgumentException($"not a bridge request: {request.Kind}", nameof(request)),
        };
    }

    public static L1Refusal? Deposit(ContractContext context, DepositCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status is ChainStatus.Emergency or ChainStatus.Deprecated)
            return L1Refusal.Closed(call.ChainId, chain.Status, "deposits are closed");
        if (chain.Status == ChainStatus.Paused)
            return Paused(call.ChainId, "deposits wait");
        var parameters = context.Parameters;
        if (call.Amount < parameters.MinDeposit)
            return new L1Refusal(L1RefuseReason.BadParameter, $"deposit below the minimum of {parameters.MinDeposit} CAS");
        if (call.Amount > parameters.MaxDepositPerTransaction)
            return new L1Refusal(L1RefuseReason.LimitExceeded, $"deposit limit: {parameters.MaxDepositPerTransaction} CAS per transaction");
        var day = context.Height / parameters.BlocksPerDay;
        var dailyKey = SettlementKeys.DepositedToday(call.ChainId, context.Sender, day);
        var today = context.State.Get(dailyKey) is { Length: 8 } bytes ? Amount.FromSat(BitConverter.ToInt64(bytes)) : Amount.Zero;
        if (today + call.Amount > parameters.MaxDepositPerAddressPerDay)
            return new L1Refusal(L1RefuseReason.LimitExceeded, $"deposit limit: {parameters.MaxDepositPerAddressPerDay} CAS per address per day ({today} CAS today)");
        if (!context.TryDebitSender(call.Amount))
            return new L1Refusal(L1RefuseReason.InsufficientBalance, "insufficient balance");
        context.State.Set(dailyKey, BitConverter.GetBytes((today + call.Amount).Sat));
        Queue(context, chain with { Locked = chain.Locked + call.Amount }, L1MessageKind.Deposit, call.L2Recipient, call.Amount, []);
        return null;
    }

    /// <summary>Adds an entry to the chain's L1→L2 queue (deposits and messages share one numbering).</summary>
    /// <param name="sender">Who the L2 sees as the message's sender: the transaction's signer, unless a system contract queues it as itself.</param>
    internal static void Queue(ContractContext context, ChainRecord chain, L1MessageKind kind, Address recipient, Amount amount, byte[] data, Address? sender = null)
    {
        var message = new L1Message(kind, chain.L1MessageCount, sender ?? context.Sender, recipient, amount, data, context.Height, context.TransactionId);
        context.State.Set(SettlementKeys.L1Message(chain.ChainId, message.Sequence), message.ToBytes());
        context.State.SetChain(chain with { L1MessageCount = chain.L1MessageCount + 1 });
    }

    public static L1Refusal? FinalizeWithdrawal(ContractContext context, FinalizeWithdrawalCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status == ChainStatus.Paused)
            return Paused(call.ChainId, "withdrawals wait");
        chain = RollDay(context, chain);
        if (call.AnchorIndex >= chain.AnchorCount || context.State.GetAnchor(call.ChainId, call.AnchorIndex) is not { } anchor)
            return new L1Refusal(L1RefuseReason.UnknownAnchor, $"chain {call.ChainId} has no anchor {call.AnchorIndex}");
        if (Anchors.UsableInEmergency(chain, anchor.Index) is { } closed)
            return closed;
        var paidKey = SettlementKeys.WithdrawalPaid(call.ChainId, call.WithdrawalId);
        if (context.State.IsMarked(paidKey))
            return new L1Refusal(L1RefuseReason.AlreadyDone, $"withdrawal {call.WithdrawalId} was already paid");
        WithdrawalRecord record;
        try
        {
            record = WithdrawalRecord.FromBytes(call.WithdrawalRecord);
        }
        catch (DecodeException ex)
        {
            return new L1Refusal(L1RefuseReason.Malformed, $"not a withdrawal record: {ex.Message}");
        }
        if (!SmtVerifier.VerifyCompact(anchor.StateRoot, BridgeKeys.Withdrawal(call.WithdrawalId), call.WithdrawalRecord, call.Proof))
            return new L1Refusal(L1RefuseReason.BadProof, $"the proof does not show withdrawal {call.WithdrawalId} under anchor {anchor.Index}'s state root");
        var period = WithdrawalPeriod(context.Parameters, chain, record);
        if (!anchor.IsFinalAt(context.Height, period))
            return new L1Refusal(L1RefuseReason.TooEarly, $"withdrawal {call.WithdrawalId} can be paid from L1 height {anchor.PostedHeight + period} (now {context.Height})");
        if (!Anchors.IsFinal(context.State, chain, anchor, context.Height, period))
            return new L1Refusal(L1RefuseReason.TooEarly, $"anchor {anchor.Index} waits for a fraud-proof game: withdrawal {call.WithdrawalId} is paid once it stands");
        if (record.Amount > context.Parameters.MaxWithdrawalPerTransaction)
            return new L1Refusal(L1RefuseReason.LimitExceeded, $"withdrawal limit: {context.Parameters.MaxWithdrawalPerTransaction} CAS per transaction");
        if (record.Amount > chain.Locked)
            return new L1Refusal(L1RefuseReason.BridgeUnderfunded, "the bridge holds less than this withdrawal");
        var withdrawnToday = chain.WithdrawnToday + record.Amount;
        if (withdrawnToday > CircuitBreakerLimit(chain, context.Parameters))
            return new L1Refusal(L1RefuseReason.CircuitBreaker, $"circuit breaker: withdrawals today would exceed {context.Parameters.CircuitBreakerPercent} % of the locked {chain.Locked} CAS; wait for the next day (L1 height {chain.DayStart + context.Parameters.BlocksPerDay})");
        context.State.Mark(paidKey);
        context.State.Credit(record.Recipient, record.Amount);
        context.State.SetChain(chain with { Locked = chain.Locked - record.Amount, WithdrawnToday = withdrawnToday });
        return null;
    }

    public static L1Refusal? EmergencyWithdraw(ContractContext context, EmergencyWithdrawCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status != ChainStatus.Emergency)
            return new L1Refusal(L1RefuseReason.ChainStatus, $"chain {call.ChainId} is not in emergency mode");
        if (Anchors.EmergencyRoot(context.State, chain) is not { } anchor)
            return new L1Refusal(L1RefuseReason.NoFinalRoot, "no anchor was final when the chain entered emergency mode: there is no root to prove a balance against");
        var exitKey = SettlementKeys.EmergencyExit(call.ChainId, context.Sender);
        if (context.State.IsMarked(exitKey))
            return new L1Refusal(L1RefuseReason.AlreadyDone, $"{context.Sender} has already exited chain {call.ChainId}");
        if (!AccountState.TryFromBytes(call.AccountRecord, out var account))
            return new L1Refusal(L1RefuseReason.Malformed, "not an account record");
        if (!SmtVerifier.VerifyCompact(anchor.StateRoot, StateKeys.ForAccount(context.Sender), call.AccountRecord, call.Proof))
            return new L1Refusal(L1RefuseReason.BadProof, $"the proof does not show this account of {context.Sender} under the last final root (anchor {anchor.Index})");
        if (account.Balance > chain.Locked)
            return new L1Refusal(L1RefuseReason.BridgeUnderfunded, "the bridge holds less than this balance");
        context.State.Mark(exitKey);
        context.State.Credit(context.Sender, account.Balance);
        context.State.SetChain(chain with { Locked = chain.Locked - account.Balance });
        return null;
    }

    /// <summary>
    /// L1 blocks after its anchor before a withdrawal pays: the chain's challenge period, shortened for
    /// owners whose aggregate reputation on the L2 (in the proven record, doc/reputation.md) was above
    /// the fast-withdrawal score when they withdrew. The one rule finalization and the status RPC share.
    /// </summary>
    public static ulong WithdrawalPeriod(SettlementParameters parameters, ChainRecord chain, WithdrawalRecord record)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(record);
        return record.OwnerScore > parameters.FastWithdrawalScore
            ? Math.Max(1, chain.ChallengePeriod / parameters.FastWithdrawalDivisor)
            : chain.ChallengePeriod;
    }

    private static L1Refusal Paused(ulong chainId, string what) =>
        new(L1RefuseReason.ChainStatus, $"the bridge of chain {chainId} is PAUSED by its sequencers (circuit breaker): {what} until more than 2/3 of them lift the pause");

    /// <summary>What one day's withdrawals may add up to: the circuit-breaker share of the locked total (at the day's start of each payment).</summary>
    public static Amount CircuitBreakerLimit(ChainRecord chain, SettlementParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(parameters);
        return (chain.Locked + chain.WithdrawnToday).PercentFloor(parameters.CircuitBreakerPercent);
    }

    /// <summary>
    /// A new day resets the withdrawal total. Days are the same aligned windows of
    /// <see cref="SettlementParameters.BlocksPerDay"/> L1 blocks as the deposit limit's.
    /// </summary>
    internal static ChainRecord RollDay(ContractContext context, ChainRecord chain)
    {
        var dayStart = context.Height / context.Parameters.BlocksPerDay * context.Parameters.BlocksPerDay;
        if (chain.DayStart == dayStart)
            return chain;
        var rolled = chain with { DayStart = dayStart, WithdrawnToday = Amount.Zero };
        context.State.SetChain(rolled);
        return rolled;
    }
}
