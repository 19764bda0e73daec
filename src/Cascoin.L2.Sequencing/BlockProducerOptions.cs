namespace Cascoin.L2.Sequencing;

public sealed record BlockProducerOptions
{
    /// <summary>How often the producer looks for transactions: the chain's block time.</summary>
    public required TimeSpan BlockTime { get; init; }

    /// <summary>With nothing to include, an empty block still goes out this often, so followers see the chain is alive.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);
}
