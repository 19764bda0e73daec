using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.State;

/// <summary>
/// Prunes the state tree in the background: after each committed block the block pipeline calls
/// <see cref="NotifyCommitted"/>, and <see cref="RunAsync"/> deletes what left the retention window,
/// in bounded batches, off the block path. Does nothing on an archive node (SmtOptions.Prune = false).
/// </summary>
public sealed class StatePruner
{
    private readonly StateManager _state;
    private readonly ILogger<StatePruner> _logger;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public StatePruner(StateManager state, ILogger<StatePruner> logger)
    {
        _state = state;
        _logger = logger;
    }

    /// <summary>Wakes the pruner; many calls before it runs count as one.</summary>
    public void NotifyCommitted() => _signals.Writer.TryWrite(true);

    /// <summary>Runs until cancelled; each wake-up prunes until nothing prunable is left.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_state.Options.Tree.Prune)
            return;
        await foreach (var _ in _signals.Reader.ReadAllAsync(cancellationToken))
        {
            long total = 0;
            int deleted;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                deleted = _state.Tree.Prune();
                total += deleted;
            }
            while (deleted >= _state.Options.Tree.PruneBatchSize);
            if (total > 0)
                _logger.LogDebug("Pruned {Count} state records; oldest retained block {Block}", total, _state.Tree.OldestRetainedVersion);
        }
    }
}
