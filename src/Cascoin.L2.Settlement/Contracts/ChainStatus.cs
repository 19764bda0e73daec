namespace Cascoin.L2.Settlement.Contracts;

/// <summary>The registry's life cycle of an L2 chain (SPEC §6).</summary>
public enum ChainStatus : byte
{
    /// <summary>Deployed; no eligible sequencer (stake and score) yet.</summary>
    Bootstrapping = 0,

    /// <summary>Producing and anchoring.</summary>
    Active = 1,

    /// <summary>The circuit breaker tripped (a day's withdrawals above the limit): withdrawals wait.</summary>
    Paused = 2,

    /// <summary>No valid anchor for the emergency window: users exit with balance proofs; production halts.</summary>
    Emergency = 3,

    /// <summary>Retired by its deployer.</summary>
    Deprecated = 4,
}
