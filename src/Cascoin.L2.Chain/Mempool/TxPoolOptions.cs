namespace Cascoin.L2.Chain.Mempool;

public sealed record TxPoolOptions
{
    /// <summary>Transactions the pool holds in all; when full, the cheapest last-in-queue transaction makes room for a better one.</summary>
    public int MaxTransactions { get; init; } = 100_000;

    /// <summary>Pending transactions one sender may have (consecutive nonces).</summary>
    public int MaxPerSender { get; init; } = 1_000;

    /// <summary>A replacement (same sender and nonce) must raise both fee caps by at least this percentage.</summary>
    public int ReplacementBumpPercent { get; init; } = 10;
}
