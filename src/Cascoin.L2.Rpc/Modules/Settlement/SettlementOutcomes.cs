using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Rpc.Modules.Settlement;

/// <summary>The RPC errors of the settlement application layer's outcomes: one table (convention 9).</summary>
internal static class SettlementOutcomes
{
    /// <summary>The value, or the outcome's error as an RPC error.</summary>
    public static T OrThrow<T>(this Outcome<T> outcome) => outcome.Error is { } error ? throw ToRpc(error) : outcome.Value;

    public static RpcException ToRpc(SettlementError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            { Refusal: { } refusal } => Rejected(refusal),
            { Rejection: { } rejection } => RpcArguments.Rejected(rejection),
            _ => new RpcException(error.Kind switch
            {
                SettlementErrorKind.NotFound => RpcErrorCode.InvalidAddressOrKey,
                SettlementErrorKind.NotReady => RpcErrorCode.VerifyRejected,
                SettlementErrorKind.InsufficientFunds => RpcErrorCode.WalletInsufficientFunds,
                SettlementErrorKind.UnknownKey => RpcErrorCode.WalletError,
                _ => RpcErrorCode.MiscError,
            }, error.Message),
        };
    }

    /// <summary>The RPC error for an L1 refusal: -6 when funds are short, -26 otherwise; the message starts with the reason code.</summary>
    public static RpcException Rejected(L1Refusal refusal) => new(refusal.Reason switch
    {
        L1RefuseReason.InsufficientFunds or L1RefuseReason.InsufficientBalance => RpcErrorCode.WalletInsufficientFunds,
        _ => RpcErrorCode.VerifyRejected,
    }, refusal.ToString());
}
