using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Settlement.Application;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 reputation")]
public interface IReputationRpc
{
    [RpcMethod("l2_getreputation", "An address's reputation on this node's chain as its next transaction sees it (doc/reputation.md): the imported L1 HAT score, the behaviour score on the chain, the aggregate every benefit reads and the benefits it gives, this epoch's counters and the recent changes; beside it the address's L1 score now and whether it flows to the chain (l2_importreputation).",
        Returns = "{ address, aggregate, l1score, l1height, behaviour, ratelimit, feediscount, fastwithdrawal, epoch, firstepoch, epochcounts: { selftransfers, failures, ratelimithits }, recent: [ { block, event, before, after } ], l1scorenow, follows }")]
    L2ReputationDto GetReputation([RpcParam("the L2 address")] string address);

    [RpcMethod("l2_importreputation", "Makes an address's L1 HAT score flow to an L2 chain: queued at once as an L1→L2 message, and again at every change of the score. Signed on L1 by the address (its key must be in the wallet, and it pays the L1 fee).",
        Returns = "\"txid\" (L1)")]
    string ImportReputation([RpcParam("the address (a wallet key)")] string address, [RpcParam("the chain id (default: this node's)")] ulong? chainid = null);
}

public sealed record L2ReputationCountsDto(uint SelfTransfers, uint Failures, uint RateLimitHits);

public sealed record L2ReputationChangeDto(ulong Block, string Event, byte Before, byte After);

public sealed record L2ReputationDto(string Address, byte Aggregate, byte L1Score, ulong L1Height, byte Behaviour, int RateLimit, bool FeeDiscount, bool FastWithdrawal,
    ulong Epoch, ulong FirstEpoch, L2ReputationCountsDto EpochCounts, IReadOnlyList<L2ReputationChangeDto> Recent, byte L1ScoreNow, bool Follows);

/// <summary>Reputation over RPC: binds, asks the settlement application layer, maps.</summary>
public sealed class ReputationRpcModule(SettlementQueries queries, SettlementCommands commands, RpcNodeContext node) : IRpcModule, IReputationRpc
{
    public L2ReputationDto GetReputation(string address)
    {
        var status = ReputationQueries.Of(queries, RpcArguments.Address(address, node.Network)).OrThrow();
        var record = status.Record;
        return new L2ReputationDto(status.Address.ToBase58(node.Network), status.Aggregate, record.L1Score, record.L1Height, record.Behaviour, status.RateLimit,
            status.FeeDiscount, status.FastWithdrawal, status.Epoch, record.FirstEpoch, new L2ReputationCountsDto(record.SelfTransfers, record.Failures, record.LimitHits),
            record.Recent.Reverse().Select(c => new L2ReputationChangeDto(c.Block, EventName(c.Event), c.Before, c.After)).ToList(), status.L1ScoreNow, status.Follows);
    }

    public string ImportReputation(string address, ulong? chainid = null) =>
        commands.ImportReputation(RpcArguments.Address(address, node.Network), chainid).OrThrow().ToString();

    private static string EventName(ReputationEvent kind) => kind switch
    {
        ReputationEvent.L1Import => "l1import",
        ReputationEvent.EpochClosed => "epochclosed",
        ReputationEvent.RateLimitHit => "ratelimithit",
        _ => "failure",
    };
}
