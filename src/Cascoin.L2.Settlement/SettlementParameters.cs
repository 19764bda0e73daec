using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement;

/// <summary>
/// The rules of the settlement chain and its system contracts (SPEC §2, §6). Defaults are the main
/// network's; <see cref="Regtest"/> shortens every period so a test sees the whole life cycle.
/// </summary>
public sealed record SettlementParameters
{
    public Amount BlockReward { get; init; } = Amount.FromCas(50);

    /// <summary>A block's reward is paid to its miner this many blocks later (like a coinbase's maturity).</summary>
    public ulong CoinbaseMaturity { get; init; } = 100;

    public Amount MinimumFee { get; init; } = Amount.FromSat(10_000);

    public Amount MinimumSequencerStake { get; init; } = Amount.FromCas(100);

    public byte MinimumSequencerScore { get; init; } = 70;

    /// <summary>Blocks an unbonded stake waits before it is paid back (slashable meanwhile).</summary>
    public ulong UnbondDelay { get; init; } = 4032;

    /// <summary>Default challenge period of a new chain, in L1 blocks (7 days of 2.5-minute blocks).</summary>
    public ulong DefaultChallengePeriod { get; init; } = 4032;

    /// <summary>Senders with a HAT score above this use the fast withdrawal period.</summary>
    public byte FastWithdrawalScore { get; init; } = 80;

    /// <summary>The fast path's period as a fraction of the challenge period (divisor).</summary>
    public ulong FastWithdrawalDivisor { get; init; } = 4;

    /// <summary>Confirmations before an L1 event counts on L2.</summary>
    public ulong Confirmations { get; init; } = 6;

    /// <summary>L1 blocks within which a forced transaction must be included.</summary>
    public ulong ForcedInclusionDeadline { get; init; } = 576;

    /// <summary>L1 blocks without a new valid anchor after which a chain enters emergency mode.</summary>
    public ulong EmergencyWindow { get; init; } = 576;

    /// <summary>L2 blocks per anchored batch.</summary>
    public ulong BatchInterval { get; init; } = 100;

    /// <summary>The compact proof-of-work target of every block (bitcoind regtest's limit; the embedded L1 never retargets).</summary>
    public uint PowBits { get; init; } = 0x207f_ffff;

    /// <summary>
    /// The deepest reorganization this node follows: a block whose branch leaves the active chain more
    /// than this many blocks below the tip is refused before it is stored, so side branches are bounded
    /// and a peer cannot rewrite settled history (an anchor's challenge period, a paid withdrawal).
    /// </summary>
    public ulong MaxReorgDepth { get; init; } = 100;

    /// <summary>
    /// Eligible sequencers a chain needs before it becomes ACTIVE (SPEC §7: 3; regtest 1, so that one
    /// node can run a chain alone). With fewer, one sequencer could finalize and certify anchors by
    /// itself; with three of equal weight no single one can.
    /// </summary>
    public int MinimumActiveSequencers { get; init; } = 3;

    /// <summary>Most L2 blocks one anchor covers (its headers travel in one L1 transaction; at most <see cref="L1.AnchorCall.MaxHeaders"/>).</summary>
    public int MaxAnchorBlocks { get; init; } = 512;

    /// <summary>
    /// How many L1 blocks old the L1 block an anchor's last L2 block references may be. Honest L2 blocks
    /// reference the confirmed L1 tip; a bound keeps a set that held the majority long ago (the
    /// deployer, alone at deployment) from certifying a batch after it lost it.
    /// </summary>
    public ulong MaxAnchorL1Age { get; init; } = 100;

    /// <summary>
    /// L1 blocks per phase of an epoch key's DKG run (doc/encrypted-mempool.md). The seven phases and
    /// the record's mining must fit <see cref="MaxAnchorL1Age"/>, within which the record's set height
    /// must lie.
    /// </summary>
    public ulong EpochKeyPhaseBlocks { get; init; } = 10;

    /// <summary>DKG runs start at L1 heights that are multiples of this (half of <see cref="MaxAnchorL1Age"/>), when the sequencer set differs from the newest key's members.</summary>
    public ulong EpochKeyRunInterval => Math.Max(1, MaxAnchorL1Age / 2);

    /// <summary>
    /// The largest L1 block in bytes: a miner fills blocks up to it and larger ones are invalid, so a
    /// block always fits a peer's frame (32 MiB) and many anchors' batch data spread over several blocks.
    /// </summary>
    public int MaxBlockBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>What L1 charges for each byte an anchor carries (its batch data above all), on top of <see cref="MinimumFee"/>.</summary>
    public Amount BatchByteFee { get; init; } = Amount.FromSat(10);

    /// <summary>The largest anchor payload a sequencer posts: a longer range is cut into several anchors.</summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The lowest fee a transaction of <paramref name="kind"/> with <paramref name="payloadLength"/> payload
    /// bytes may pay: the calls that carry bulk (an anchor's batch, a challenge's headers, a one-step
    /// proof's witnesses, an epoch key's or a bridge pause's signatures) pay for every byte, so L1
    /// space is never free to fill.
    /// </summary>
    public Amount FeeFor(L1.L1TransactionKind kind, int payloadLength) =>
        kind is L1.L1TransactionKind.Anchor or L1.L1TransactionKind.Challenge or L1.L1TransactionKind.ProveStep or L1.L1TransactionKind.CommitEpochKey
            or L1.L1TransactionKind.ReportEarlyShares or L1.L1TransactionKind.SetBridgePause
            ? MinimumFee + Amount.FromSat(BatchByteFee.Sat * payloadLength)
            : MinimumFee;

    /// <summary>What a challenger bonds to open a fraud-proof game: lost (half to the defenders, half burned) when the block was right.</summary>
    public Amount ChallengeBond { get; init; } = Amount.FromCas(10);

    /// <summary>L1 blocks each side of a fraud-proof game has for its move; the silent side loses.</summary>
    public ulong MoveDeadline { get; init; } = 72;

    /// <summary>How many parts each round of a fraud-proof game cuts the disputed steps into (2: bisection).</summary>
    public int DissectionWidth { get; init; } = 2;

    /// <summary>Open challenges one address may have at once.</summary>
    public int MaxOpenChallengesPerAddress { get; init; } = 10;

    /// <summary>
    /// The L1 blocks the longest fraud-proof game over a block of a chain with <paramref name="gasLimit"/>
    /// can take: the most steps such a block holds (a transfer's gas each, the most L1 queue entries, the
    /// fee split), every move at its deadline. A chain's challenge period must be at least this long.
    /// </summary>
    public ulong LongestGame(ulong gasLimit)
    {
        var steps = (int)Math.Min(int.MaxValue - 2, gasLimit / Chain.Transactions.IntrinsicGas.Base) + Chain.Bridge.L1QueueEntries.MaxPerBlock + 1;
        return (ulong)Chain.Execution.Steps.DissectionGame.MaxMoves(steps, DissectionWidth) * MoveDeadline;
    }

    /// <summary>L1 blocks that make one "day" for the daily limits.</summary>
    public ulong BlocksPerDay { get; init; } = 576;

    /// <summary>
    /// The smallest deposit (0.001 CAS): each deposit costs every L2 node a queue entry and a system
    /// transaction forever, so dust is refused at the door.
    /// </summary>
    public Amount MinDeposit { get; init; } = Amount.FromSat(100_000);

    public Amount MaxDepositPerTransaction { get; init; } = Amount.FromCas(10_000);

    public Amount MaxDepositPerAddressPerDay { get; init; } = Amount.FromCas(100_000);

    public Amount MaxWithdrawalPerTransaction { get; init; } = Amount.FromCas(10_000);

    /// <summary>A day's withdrawals above this percentage of the locked total trip the circuit breaker (chain paused).</summary>
    public int CircuitBreakerPercent { get; init; } = 10;

    /// <summary>Part of a slashed stake for a missed forced transaction, in percent.</summary>
    public int ForcedInclusionSlashPercent { get; init; } = 10;

    /// <summary>Part of a stake burned for proven double signing (two seals at one L2 height), in percent.</summary>
    public int DoubleSignSlashPercent { get; init; } = 50;

    public static SettlementParameters Main { get; } = new();

    public static SettlementParameters Regtest { get; } = new()
    {
        MinimumSequencerStake = Amount.FromCas(10),
        MinimumSequencerScore = 50,
        UnbondDelay = 20,
        DefaultChallengePeriod = 10,
        Confirmations = 1,
        ForcedInclusionDeadline = 20,
        EmergencyWindow = 30,
        BatchInterval = 5,
        MaxAnchorL1Age = 20,
        EpochKeyPhaseBlocks = 2,
        MinimumActiveSequencers = 1,
        ChallengeBond = Amount.FromCas(1),
        MoveDeadline = 2,
        // Two rounds cover the most steps a block holds, so the longest game (5 moves × 2 blocks) fits the 10-block period.
        DissectionWidth = 64,
    };

    public static SettlementParameters For(NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Kind == NetworkKind.Regtest ? Regtest : Main;
    }
}
