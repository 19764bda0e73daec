using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;

namespace Cascoin.L2.Settlement.Application;

/// <summary>
/// An address's reputation on the chain this node runs, as its next transaction will see it (the
/// stored record rolled into the next block's epoch), beside its L1 score now and whether that score
/// flows to the chain.
/// </summary>
public sealed record ReputationStatus(Address Address, ReputationRecord Record, byte Aggregate, int RateLimit, bool FeeDiscount, bool FastWithdrawal,
    byte L1ScoreNow, bool Follows, ulong Epoch);

public static class ReputationQueries
{
    public static Outcome<ReputationStatus> Of(SettlementQueries queries, Address address) => queries.RunningChain.Then(chain =>
    {
        var parameters = chain.Parameters;
        var account = chain.GetAccount(address);
        var epoch = (chain.Head.Number + 1) / parameters.ReputationEpochBlocks;
        var stored = chain.GetRecord(ReputationKeys.Of(address)) is { } bytes ? ReputationRecord.FromBytes(bytes) : null;
        var record = ReputationRules.Current(stored, account.HatScore, account.Nonce, epoch);
        var aggregate = record.Aggregate;
        var l1 = queries.L1.StateAtTip();
        return Outcome.Of(new ReputationStatus(address, record, aggregate, parameters.RateLimitFor(aggregate), aggregate > parameters.FeeDiscountScore,
            aggregate > queries.L1.Parameters.FastWithdrawalScore, l1.GetAccount(address).HatScore,
            ReputationFollows.Of(l1, address).Contains(parameters.ChainId), epoch));
    });
}
