using System.Threading.Channels;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Application;
using Cascoin.L2.Settlement.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Rpc.WebSockets;

/// <summary>
/// Turns the node's events into subscription notifications: committed blocks (newHeads, pending
/// withdrawals), accepted transactions (pendingTransactions), and, after each change of the
/// settlement chain, new anchors and the finalized block (anchors, finalized, anchored and
/// finalizable withdrawals). Chain events are published where they happen, in commit order; the
/// settlement chain is read on this service's own loop, never on the L1 thread that raised the change.
/// </summary>
public sealed partial class SubscriptionFeeds : BackgroundService
{
    private readonly SubscriptionHub _hub;
    private readonly L2Blockchain _chain;
    private readonly TxPool _pool;
    private readonly SettlementQueries? _settlement;
    private readonly NetworkParameters _network;
    private readonly ILogger<SubscriptionFeeds> _logger;
    // One pending signal is enough: each pass reads the settlement chain's tip, whatever changed before it.
    private readonly Channel<bool> _settlementChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private ulong _anchorsSeen;
    private ulong _finalSeen;

    public SubscriptionFeeds(SubscriptionHub hub, L2Blockchain chain, TxPool pool, SettlementQueries? settlement, NetworkParameters network, ILogger<SubscriptionFeeds> logger)
    {
        _hub = hub;
        _chain = chain;
        _pool = pool;
        _settlement = settlement;
        _network = network;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Both events are raised inside the chain's commit and the mempool's admission: a failure here is
        // logged and goes no further, so a notification can never fail a block or a transaction.
        _chain.BlockCommitted += (block, outcome) => Guarded(() => OnBlockCommitted(block, outcome));
        _pool.TransactionAdded += transaction => Guarded(() => _hub.Publish(SubscriptionTopic.PendingTransactions, () => transaction.Id.ToString()));
        if (_settlement is not null)
        {
            // Subscribers hear of what happens after they subscribe: start from what is on L1 now.
            (_anchorsSeen, _finalSeen) = (_settlement.RunningChainRecordOrNull()?.AnchorCount ?? 0, _settlement.LastFinalAnchor()?.LastBlock ?? 0);
            _settlement.L1.Changed += _ => _settlementChanged.Writer.TryWrite(true);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_settlement is null)
            return;
        try
        {
            await foreach (var _ in _settlementChanged.Reader.ReadAllAsync(stoppingToken))
                Guarded(() => FollowSettlement(_settlement));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Guarded(Action publish)
    {
        try
        {
            publish();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscription notification could not be made; subscribers miss it")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    private void OnBlockCommitted(Block block, BlockOutcome outcome)
    {
        _hub.Publish(SubscriptionTopic.NewHeads, () => HeadDto.Of(block, _network));
        if (!_hub.HasSubscribers(SubscriptionTopic.Withdrawals))
            return;
        foreach (var withdrawal in Withdrawals(block, outcome.Receipts))
            _hub.Publish(SubscriptionTopic.Withdrawals, () => new WithdrawalEventDto(withdrawal.Id.ToString(), "pending", block.Number, withdrawal.To.ToBase58(_network), withdrawal.Value, null));
    }

    private void FollowSettlement(SettlementQueries settlement)
    {
        if (settlement.RunningChainRecordOrNull() is not { } chain)
            return;
        var state = settlement.L1.StateAtTip();
        // An L1 reorganization can lower both: then the next anchors are announced again, as they are recorded again.
        for (var index = Math.Min(_anchorsSeen, chain.AnchorCount); index < chain.AnchorCount; index++)
        {
            var anchor = state.GetAnchor(chain.ChainId, index)!;
            _hub.Publish(SubscriptionTopic.Anchors, () => AnchorEventDto.Of(anchor, _network));
            PublishWithdrawals(settlement, anchor, anchor.FirstBlock);
        }
        _anchorsSeen = chain.AnchorCount;

        if (settlement.LastFinalAnchor() is not { } final || final.LastBlock == _finalSeen)
            return;
        if (final.LastBlock > _finalSeen)
        {
            _hub.Publish(SubscriptionTopic.Finalized, () => new FinalizedDto(final.LastBlock, final.LastBlockHash.ToString(), final.StateRoot.ToHex(), final.Index, final.PostedHeight));
            PublishWithdrawals(settlement, final, _finalSeen + 1);
        }
        _finalSeen = final.LastBlock;
    }

    /// <summary>
    /// The withdrawals of blocks <paramref name="from"/>..the anchor's last, with the status
    /// l2_getwithdrawalstatus gives them now (anchored; finalizable or paid once the anchor is final),
    /// read only when someone listens.
    /// </summary>
    private void PublishWithdrawals(SettlementQueries settlement, AnchorRecord anchor, ulong from)
    {
        if (!_hub.HasSubscribers(SubscriptionTopic.Withdrawals))
            return;
        for (var number = from; number <= anchor.LastBlock; number++)
        {
            if (_chain.GetBlock(number) is not { } block)
                continue;
            foreach (var withdrawal in block.Transactions.Where(t => t.Type == TransactionType.Withdrawal))
            {
                if (settlement.Withdrawal(withdrawal.Id) is { Succeeded: true } status)
                    _hub.Publish(SubscriptionTopic.Withdrawals, () => WithdrawalEventDto.Of(status.Value, _network));
            }
        }
    }

    private static IEnumerable<Transaction> Withdrawals(Block block, IReadOnlyList<Receipt> receipts) =>
        block.Transactions.Where((t, i) => t.Type == TransactionType.Withdrawal && i < receipts.Count && receipts[i].Status == ReceiptStatus.Success);
}
