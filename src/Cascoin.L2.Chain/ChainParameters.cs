using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain;

/// <summary>
/// The consensus parameters of one L2 chain (SPEC §2, set at deployment). Every node of a chain
/// must use the same values: they decide validity, fees and therefore state roots.
/// </summary>
public sealed record ChainParameters
{
    /// <summary>The 64-bit id every signed transaction commits to, so nothing replays across chains.</summary>
    public required ulong ChainId { get; init; }

    /// <summary>Target time between blocks (500 ms; regtest 100 ms).</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromMilliseconds(500);

    public ulong BlockGasLimit { get; init; } = 30_000_000;

    /// <summary>The base fee of the block after genesis, in sat per gas.</summary>
    public ulong InitialBaseFee { get; init; } = 10;

    /// <summary>Floor of the base fee and the least max fee per gas a transaction may offer, in sat per gas.</summary>
    public ulong MinGasPrice { get; init; } = 1;

    /// <summary>Transactions one sender may have in a block; <see cref="HighScoreRateLimit"/> above <see cref="HighScoreRateLimitScore"/>.</summary>
    public int RateLimitPerBlock { get; init; } = 100;

    public int HighScoreRateLimit { get; init; } = 500;

    public byte HighScoreRateLimitScore { get; init; } = 70;

    /// <summary>Senders with a HAT score above this pay half the base fee.</summary>
    public byte FeeDiscountScore { get; init; } = 80;

    /// <summary>
    /// L2 blocks per reputation epoch (doc/reputation.md): behaviour points are earned per epoch, and
    /// idle epochs move the behaviour score back toward neutral. An hour at the default block time;
    /// regtest 600 blocks (a minute), so that a benchmark run crosses a few.
    /// </summary>
    public ulong ReputationEpochBlocks { get; init; } = 7_200;

    /// <summary>How far a block's timestamp may run ahead of the validating node's clock.</summary>
    public TimeSpan MaxFutureTimestamp { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How far a block's timestamp may be from the time of the L1 block it references (SPEC §5: 15 minutes).</summary>
    public TimeSpan MaxL1TimestampDrift { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// L1 blocks per sequencer epoch. A height's sequencer set, and a slot's leader seed, are those of
    /// the first L1 block of the epoch its parent references: a leader that moves the L1 anchor can
    /// only keep the epoch or enter the next one, never pick a seed among many L1 blocks. Regtest
    /// uses 1 so that a new staker takes part from the next L1 block on.
    /// </summary>
    public ulong L1EpochBlocks { get; init; } = 12;

    /// <summary>The first L1 height of the epoch that <paramref name="l1Height"/> is in.</summary>
    public ulong L1EpochStart(ulong l1Height) => l1Height - l1Height % L1EpochBlocks;

    /// <summary>
    /// The largest withdrawal (SPEC §2): the L1 bridge refuses to pay more in one transaction, so the
    /// L2 refuses to burn more rather than lock the funds for good.
    /// </summary>
    public Amount MaxWithdrawalPerTransaction { get; init; } = Amount.FromCas(10_000);

    /// <summary>Whether the chain keeps an encrypted mempool (its registry record; off for the development chain).</summary>
    public Transactions.EncryptionPolicy Encryption { get; init; }

    /// <summary>Largest encoded transaction accepted (bytes).</summary>
    public int MaxTransactionBytes { get; init; } = Transactions.Transaction.MaxEncodedSize;

    /// <summary>Defaults of SPEC §2 with the given chain id; regtest shortens the block time.</summary>
    public static ChainParameters For(NetworkParameters network, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Name == "regtest"
            ? new ChainParameters { ChainId = chainId, BlockTime = TimeSpan.FromMilliseconds(100), L1EpochBlocks = 1, ReputationEpochBlocks = 600 }
            : new ChainParameters { ChainId = chainId };
    }

    /// <summary>The per-block transaction allowance of a sender with <paramref name="hatScore"/>.</summary>
    public int RateLimitFor(byte hatScore) => hatScore > HighScoreRateLimitScore ? HighScoreRateLimit : RateLimitPerBlock;
}
