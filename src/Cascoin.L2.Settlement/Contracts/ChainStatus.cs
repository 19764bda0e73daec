namespace Cascoin.L2.Settlement.Contracts;

/// <summary>The registry's life cycle of an L2 chain (SPEC §6).</summary>
public enum ChainStatus : byte
{
    /// <summary>Deployed; no eligible sequencer (stake and score) yet.</summary>
    Bootstrapping = 0,

    /// <summary>Producing and anchoring.</summary>
    Active = 1,

    /// <summary>The bridge is paused by more than 2/3 of the sequencers (circuit breaker): deposits and withdrawal payments wait; the L2 runs on.</summary>
    Paused = 2,

    /// <summary>No valid anchor for the emergency window: users exit with balance proofs; production halts.</summary>
    Emergency = 3,

    /// <summary>Retired by its deployer.</summary>
    Deprecated = 4,
}
