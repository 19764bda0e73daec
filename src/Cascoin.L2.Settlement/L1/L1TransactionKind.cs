namespace Cascoin.L2.Settlement.L1;

/// <summary>What an L1 transaction does; the first byte of its encoding. The payload layout depends on it (see the call records).</summary>
public enum L1TransactionKind : byte
{
    /// <summary>Moves CAS between L1 accounts.</summary>
    Transfer = 0,

    /// <summary>Regtest only: sets an address's HAT v2 score (the reputation system's role on a live chain).</summary>
    SetReputation = 1,

    /// <summary>Registry: deploys an L2 chain; the attached stake becomes the deployer's sequencer bond.</summary>
    DeployChain = 2,

    /// <summary>Staking: adds to the sender's sequencer bond on a chain.</summary>
    Bond = 3,

    /// <summary>Staking: starts unbonding part of the bond; it is paid back after the unbond delay.</summary>
    Unbond = 4,

    /// <summary>Bridge: locks CAS and queues it as an L1→L2 deposit message.</summary>
    Deposit = 5,

    /// <summary>Anchors: a sequencer posts a batch (L2 block range, state root, DA hash, processed counters).</summary>
    Anchor = 6,

    /// <summary>Bridge: pays an L2 withdrawal, proven against a final anchored state root.</summary>
    FinalizeWithdrawal = 7,

    /// <summary>Bridge: in emergency mode, pays an L2 balance proven against the last final root, once.</summary>
    EmergencyWithdraw = 8,

    /// <summary>Forced inclusion: posts a signed L2 transaction the sequencers must include before a deadline.</summary>
    ForceInclude = 9,

    /// <summary>Messages: queues an L1→L2 message.</summary>
    SendMessage = 10,

    /// <summary>Messages: executes an L2→L1 message, proven against a final anchored root, once.</summary>
    ExecuteMessage = 11,

    /// <summary>Staking: two seals by one sequencer on different L2 block headers of one height; slashes it once per height.</summary>
    ReportDoubleSign = 12,

    /// <summary>Fraud verifier: opens a dissection game over a block of an anchor in its challenge period, with a bond.</summary>
    Challenge = 13,

    /// <summary>Fraud verifier: the defenders (the anchor's signers) post the commitments that cut the disputed steps.</summary>
    Dissect = 14,

    /// <summary>Fraud verifier: the challenger names the part it disputes.</summary>
    ChooseStep = 15,

    /// <summary>Fraud verifier: the challenger's one-step proof of the last disputed step.</summary>
    ProveStep = 16,

    /// <summary>Registry: an epoch's encryption key for the encrypted mempool, signed by more than 2/3 of the sequencer set.</summary>
    CommitEpochKey = 17,

    /// <summary>Staking: a member's signed release of decryption shares for an L2 block its certificate does not certify; slashes it once per block height.</summary>
    ReportEarlyShares = 18,

    /// <summary>Reputation: the sender's L1 HAT score flows to an L2 chain from now on (queued as an L1→L2 message at once and at every change).</summary>
    ImportReputation = 19,

    /// <summary>Circuit breaker: pauses a chain's bridge or lifts the pause, signed by more than 2/3 of its sequencer weight.</summary>
    SetBridgePause = 20,
}
