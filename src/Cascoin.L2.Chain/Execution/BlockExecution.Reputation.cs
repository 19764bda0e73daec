using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Execution;

/// <summary>
/// Reputation inside the state transition (doc/reputation.md): an address's record rolls into the
/// block's epoch at its first transaction of the block, spam and failures lower it as they happen,
/// an L1 import sets its L1 part, and the aggregate lands in the account's HatScore, which the fee
/// discount and the rate limit read. Records are written only when something changed, so a sender
/// costs one extra state read per block and one write per epoch.
/// </summary>
public sealed partial class BlockExecution
{
    /// <summary>The reputation epoch this block is in.</summary>
    private ulong ReputationEpoch => Number / _parameters.ReputationEpochBlocks;

    /// <summary>The address's record as this block has left it so far, or null when it has none.</summary>
    private ReputationRecord? StoredRating(Address address) =>
        GetRecord(ReputationKeys.Of(address)) is { } bytes ? ReputationRecord.FromBytes(bytes) : null;

    /// <summary>The address's record (a fresh one when it has none) rolled into this block's epoch.</summary>
    private ReputationRecord RatingOf(Address address, AccountState account) =>
        ReputationRules.Current(StoredRating(address), account.HatScore, account.Nonce, ReputationEpoch);

    /// <summary>
    /// The sender's record rolled into this epoch when this is its first transaction of the block
    /// (null when nothing changed: a later transaction of the block, or an epoch already rolled).
    /// One state read per sender and block; a write only when its epoch turned (or it had no record).
    /// </summary>
    private ReputationRecord? RollAtFirstTransaction(Address sender, AccountState account, ulong blockStartNonce)
    {
        if (account.Nonce != blockStartNonce)
            return null;
        var stored = StoredRating(sender);
        if (stored is not null && stored.Epoch >= ReputationEpoch)
            return null;
        return Logged(ReputationRules.Current(stored, account.HatScore, account.Nonce, ReputationEpoch), ReputationEvent.EpochClosed, account.HatScore);
    }

    /// <summary><paramref name="record"/> with the change from <paramref name="before"/> in its recent changes, when its aggregate moved.</summary>
    private ReputationRecord Logged(ReputationRecord record, ReputationEvent kind, byte before) =>
        record.Aggregate == before && kind != ReputationEvent.L1Import ? record : record.WithChange(new ReputationChange(Number, kind, before, record.Aggregate));

    private void StoreReputation(Address address, ReputationRecord record) => _records[ReputationKeys.Of(address)] = record.ToBytes();

    /// <summary>A transaction of <paramref name="address"/> failed in this block: its behaviour score pays for it.</summary>
    private void RecordFailure(Address address)
    {
        var account = GetAccount(address);
        var record = Logged(ReputationRules.Failure(RatingOf(address, account)), ReputationEvent.Failure, account.HatScore);
        StoreReputation(address, record);
        _changes[address] = account with { HatScore = record.Aggregate };
    }

    /// <summary>An L1 HAT score arrived for <paramref name="address"/> from L1 block <paramref name="l1Height"/>.</summary>
    private void ImportReputation(Address address, byte score, ulong l1Height)
    {
        var account = GetAccount(address);
        var record = Logged(ReputationRules.ImportL1(RatingOf(address, account), score, l1Height), ReputationEvent.L1Import, account.HatScore);
        StoreReputation(address, record);
        _changes[address] = account with { HatScore = record.Aggregate };
    }

    /// <summary>
    /// What a successful user transaction does to its sender's reputation: it filled the sender's
    /// allowance (<paramref name="sentWithThis"/> reached <paramref name="limit"/>), or it was a
    /// transfer to itself. <paramref name="rolled"/> is the record already rolled for this transaction, if any.
    /// </summary>
    private ReputationRecord? AfterUserTransaction(Transaction transaction, Address sender, AccountState account, ReputationRecord? rolled, ulong sentWithThis, int limit)
    {
        var hit = sentWithThis == (ulong)limit;
        var self = transaction.Type == TransactionType.Transfer && transaction.To == sender;
        if (!hit && !self)
            return rolled;
        var record = rolled ?? RatingOf(sender, account);
        if (self)
            record = ReputationRules.SelfTransfer(record);
        if (hit)
            record = Logged(ReputationRules.RateLimitHit(record), ReputationEvent.RateLimitHit, record.Aggregate);
        return record;
    }
}
