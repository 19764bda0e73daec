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

    /// <summary>How far a block's timestamp may run ahead of the validating node's clock.</summary>
    public TimeSpan MaxFutureTimestamp { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest withdrawal (SPEC §2: 10,000 CAS per transaction). The L1 bridge never pays more, so the L2
    /// refuses a larger one instead of burning funds that could never be paid out.
    /// </summary>
    public Amount MaxWithdrawalPerTransaction { get; init; } = Amount.FromCas(10_000);

    /// <summary>Largest encoded transaction accepted (bytes).</summary>
    public int MaxTransactionBytes { get; init; } = Transactions.Transaction.MaxEncodedSize;

    /// <summary>Defaults of SPEC §2 with the given chain id; regtest shortens the block time.</summary>
    public static ChainParameters For(NetworkParameters network, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Name == "regtest"
            ? new ChainParameters { ChainId = chainId, BlockTime = TimeSpan.FromMilliseconds(100) }
            : new ChainParameters { ChainId = chainId };
    }

    /// <summary>The per-block transaction allowance of a sender with <paramref name="hatScore"/>.</summary>
    public int RateLimitFor(byte hatScore) => hatScore > HighScoreRateLimitScore ? HighScoreRateLimit : RateLimitPerBlock;
}
