using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Application;

/// <summary>Why a settlement query or command could not be answered; the kind decides the RPC error code.</summary>
public enum SettlementErrorKind
{
    /// <summary>The node runs no L2 chain, or its chain is not deployed on the settlement chain.</summary>
    NoChain,

    /// <summary>No such chain, withdrawal, message or queue entry.</summary>
    NotFound,

    /// <summary>The call cannot be made yet or any more: not anchored, not in emergency, no final root.</summary>
    NotReady,

    /// <summary>The node no longer holds the state version a proof needs.</summary>
    StateUnavailable,

    /// <summary>No wallet address holds enough on the layer that pays.</summary>
    InsufficientFunds,

    /// <summary>The wallet does not hold the key of the address that must sign.</summary>
    UnknownKey,

    /// <summary>The settlement chain refused the transaction (<see cref="SettlementError.Refusal"/>).</summary>
    L1Refused,

    /// <summary>The L2 mempool refused the transaction (<see cref="SettlementError.Rejection"/>).</summary>
    L2Rejected,
}

/// <summary>An expected failure of the settlement application layer: a kind and a message for people.</summary>
public sealed record SettlementError(SettlementErrorKind Kind, string Message)
{
    public L1Refusal? Refusal { get; init; }

    public TxRejection? Rejection { get; init; }

    public static SettlementError Refused(L1Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new(SettlementErrorKind.L1Refused, refusal.ToString()) { Refusal = refusal };
    }

    public static SettlementError Rejected(TxRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new(SettlementErrorKind.L2Rejected, rejection.ToString()) { Rejection = rejection };
    }
}

/// <summary>A value or the reason there is none (convention 4: expected failures are values).</summary>
public readonly record struct Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, SettlementError? error)
    {
        _value = value;
        Error = error;
    }

    public SettlementError? Error { get; }

    public bool Succeeded => Error is null;

    /// <summary>The value; only when <see cref="Succeeded"/>.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"no value: {Error.Message}");

#pragma warning disable CA2225 // The conversions are the point: a method returns a value or an error alike; a named
    // factory on a generic type would break CA1000 instead.
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(SettlementError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
#pragma warning restore CA2225

    /// <summary>The next step on the value, or this error.</summary>
    public Outcome<TNext> Then<TNext>(Func<T, Outcome<TNext>> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Error is null ? next(_value!) : Error;
    }
}

/// <summary>Names the value type where C# cannot infer it (a lambda that returns a value on one path and an error on another).</summary>
public static class Outcome
{
    public static Outcome<T> Of<T>(T value) => value;
}
