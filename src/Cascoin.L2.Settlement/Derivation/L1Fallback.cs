using Cascoin.L2.Chain;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Settlement.Derivation;

/// <summary>
/// A node that follows its peers (-l2sync=p2p) falls back to the settlement chain when they do not
/// serve blocks that anchors on L1 cover: once its head has not moved for <see cref="Stall"/> while the
/// last anchor is ahead of it, it derives the anchored blocks from their batches (SPEC §7b), then goes on
/// with its peers. Sequencers who withhold the blocks they anchored cannot stop a node from reaching them.
/// </summary>
public sealed class L1Fallback
{
    private readonly L1Chain _l1;
    private readonly L2Blockchain _l2;
    private readonly L1Derivation _derivation;
    private readonly ILogger _logger;

    public L1Fallback(L1Chain l1, L2Blockchain l2, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(l1);
        ArgumentNullException.ThrowIfNull(l2);
        _l1 = l1;
        _l2 = l2;
        _logger = logger;
        _derivation = new L1Derivation(l1, l2, logger) { KeepsPeerBlocks = true };
    }

    /// <summary>How long the head may stand still below the last anchored block before the node derives from L1.</summary>
    public TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the head is looked at.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Why derivation stopped (a batch that does not re-execute: fraud evidence), or null.</summary>
    public string? Halted => _derivation.Halted;

    /// <summary>
    /// Derives the anchored blocks after the head now, whatever the peers do; returns the head after it.
    /// Nothing happens when the head is at or past the last anchored block.
    /// </summary>
    public ulong DeriveAnchored(ulong nowMs)
    {
        var head = _l2.Head.Number;
        if (_l1.StateAtTip().GetChain(_l2.Parameters.ChainId) is not { } chain || chain.LastAnchoredBlock == ulong.MaxValue || chain.LastAnchoredBlock <= head)
            return head;
        _logger.LogWarning("L2 blocks {First}..{Last} are anchored on L1 but no peer has served them: deriving them from the settlement chain's batches",
            head + 1, chain.LastAnchoredBlock);
        var progress = _derivation.CatchUp(nowMs);
        if (progress.Halted is null)
            _logger.LogInformation("Derived L2 blocks up to {Head} from L1; following peers again", progress.Head);
        return progress.Head;
    }

    /// <summary>Watches the head until cancelled and derives from L1 whenever it stalls below the last anchor.</summary>
    public async Task RunAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var timer = new PeriodicTimer(Poll, time);
        var head = _l2.Head.Number;
        var since = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_l2.Head.Number != head)
                {
                    (head, since) = (_l2.Head.Number, time.GetTimestamp());
                    continue;
                }
                if (time.GetElapsedTime(since) < Stall || Halted is not null)
                    continue;
                head = DeriveAnchored((ulong)time.GetUtcNow().ToUnixTimeMilliseconds());
                since = time.GetTimestamp();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: each derived block is committed in one write batch.
        }
    }
}
