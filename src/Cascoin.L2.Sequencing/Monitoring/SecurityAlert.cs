namespace Cascoin.L2.Sequencing.Monitoring;

public enum AlertSeverity
{
    Info = 0,
    Warning = 1,

    /// <summary>Funds or the chain's correctness are at stake: an operator should act (and consider the circuit breaker).</summary>
    Critical = 2,
}

/// <summary>
/// Something a monitor of this node saw (doc/monitoring.md): numbered in the order raised, with a
/// kind operators can filter and page on, a sentence, and the evidence as name/value pairs.
/// </summary>
public sealed record SecurityAlert(ulong Id, DateTimeOffset Time, AlertSeverity Severity, string Kind, string Message, IReadOnlyDictionary<string, string> Evidence);

/// <summary>The kinds of alert the node raises.</summary>
public static class AlertKinds
{
    /// <summary>The CAS locked on L1 for the chain differs from what the L2 owes (its supply plus withdrawals burned but not paid).</summary>
    public const string BridgeDiscrepancy = "bridge-discrepancy";

    /// <summary>Withdrawals burned on L2 within the window exceed a share of the locked total.</summary>
    public const string WithdrawalSurge = "withdrawal-surge";

    /// <summary>An address's aggregate reputation fell sharply within one block.</summary>
    public const string ReputationDrop = "reputation-drop";

    /// <summary>An anchor on L1 signs a state root this node's execution does not reach.</summary>
    public const string AnchorDisagreement = "anchor-disagreement";

    /// <summary>Leaders failed and were passed over repeatedly within the window.</summary>
    public const string RepeatedFailovers = "repeated-failovers";

    /// <summary>The collusion detector's findings about the sequencers.</summary>
    public const string Collusion = "collusion";

    /// <summary>The bridge was paused or unpaused on L1.</summary>
    public const string BridgePaused = "bridge-paused";
}
