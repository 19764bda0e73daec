namespace Cascoin.L2.Chain.Reputation;

/// <summary>
/// The reputation arithmetic (doc/reputation.md), pure: the same record and the same events give the
/// same scores on every node, in integers. The L1 HAT score is the base; the behaviour score on this
/// chain adds at most <see cref="MaxBonus"/> and takes up to <see cref="Neutral"/> away, so behaviour
/// alone never buys a benefit that the L1 reputation system did not grant, while spam loses it.
/// </summary>
public static class ReputationRules
{
    /// <summary>The behaviour score of an address without history.</summary>
    public const byte Neutral = 50;

    /// <summary>The most behaviour points one epoch of valid activity earns (the per-epoch cap).</summary>
    public const int MaxGainPerEpoch = 2;

    /// <summary>Valid transactions to other addresses per behaviour point.</summary>
    public const int TransactionsPerPoint = 10;

    /// <summary>Epochs an address must have been rated before its activity earns anything (new addresses ramp up).</summary>
    public const int RampEpochs = 3;

    /// <summary>Behaviour points lost each time an address fills its per-block allowance.</summary>
    public const int RateLimitPenalty = 10;

    /// <summary>Behaviour points lost per failed transaction.</summary>
    public const int FailurePenalty = 5;

    /// <summary>The most the behaviour score adds to the L1 score (behaviour 100).</summary>
    public const int MaxBonus = 10;

    /// <summary>Idle epochs after which the behaviour score has certainly returned to neutral (the decay loop stops there).</summary>
    public const int MaxDecayEpochs = 32;

    /// <summary>
    /// The aggregate score every benefit reads: the L1 score, plus a fifth of the behaviour above
    /// neutral (at most <see cref="MaxBonus"/>), minus all of the behaviour below it; within 0..100.
    /// </summary>
    public static byte Aggregate(byte l1Score, byte behaviour)
    {
        var value = (int)l1Score + (behaviour > Neutral ? (behaviour - Neutral) / 5 : behaviour - Neutral);
        return (byte)Math.Clamp(value, 0, 100);
    }

    /// <summary>
    /// Closes the record's epoch and every one after it before <paramref name="epoch"/>, as the first
    /// transaction of the address in <paramref name="epoch"/> begins (its nonce then is
    /// <paramref name="nonce"/>): the closed epoch's valid transactions to others earn up to
    /// <see cref="MaxGainPerEpoch"/> points once the address is past its ramp, and each epoch without a
    /// transaction moves the behaviour a quarter of the way back to neutral (penalties heal, bonuses
    /// fade). Self-transfers and failed transactions earn nothing. The record comes back unchanged when
    /// its epoch is not before <paramref name="epoch"/>.
    /// </summary>
    public static ReputationRecord Roll(ReputationRecord record, ulong epoch, ulong nonce)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (epoch <= record.Epoch)
            return record;
        var behaviour = (int)record.Behaviour;
        var sent = nonce >= record.EpochStartNonce ? nonce - record.EpochStartNonce : 0;
        var earning = sent - Math.Min(sent, (ulong)record.SelfTransfers + record.Failures);
        if (record.Epoch - record.FirstEpoch >= RampEpochs)
            behaviour = Math.Min(100, behaviour + (int)Math.Min((ulong)MaxGainPerEpoch, earning / TransactionsPerPoint));
        var idle = Math.Min(epoch - record.Epoch - 1, (ulong)MaxDecayEpochs);
        for (var i = 0UL; i < idle; i++)
            behaviour = TowardNeutral(behaviour);
        return record with
        {
            Behaviour = (byte)behaviour,
            Epoch = epoch,
            EpochStartNonce = nonce,
            SelfTransfers = 0,
            Failures = 0,
            LimitHits = 0,
        };
    }

    /// <summary>
    /// An address's record as of <paramref name="epoch"/>: <paramref name="stored"/> (or a fresh one from
    /// its account's score when it has none) rolled into that epoch at its account's nonce. The one rule
    /// block execution and <c>l2_getreputation</c> share.
    /// </summary>
    public static ReputationRecord Current(ReputationRecord? stored, byte accountScore, ulong accountNonce, ulong epoch) =>
        Roll(stored ?? ReputationRecord.Fresh(accountScore, epoch, accountNonce), epoch, accountNonce);

    /// <summary>A quarter of the way to neutral, at least one point, never past it.</summary>
    private static int TowardNeutral(int behaviour)
    {
        var distance = Neutral - behaviour;
        return distance == 0 ? behaviour : behaviour + (distance / 4 != 0 ? distance / 4 : Math.Sign(distance));
    }

    /// <summary>The record after the address filled its per-block allowance once more.</summary>
    public static ReputationRecord RateLimitHit(ReputationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with { Behaviour = Lower(record.Behaviour, RateLimitPenalty), LimitHits = record.LimitHits + 1 };
    }

    /// <summary>The record after a transaction of the address failed in a block.</summary>
    public static ReputationRecord Failure(ReputationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with { Behaviour = Lower(record.Behaviour, FailurePenalty), Failures = record.Failures + 1 };
    }

    /// <summary>The record after a transfer to itself: counted, so that it earns nothing when the epoch closes.</summary>
    public static ReputationRecord SelfTransfer(ReputationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with { SelfTransfers = record.SelfTransfers + 1 };
    }

    /// <summary>
    /// The record after an L1 score import from L1 block <paramref name="l1Height"/>: the newest import
    /// wins, whatever order two of them are applied in.
    /// </summary>
    public static ReputationRecord ImportL1(ReputationRecord record, byte score, ulong l1Height)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (score > 100)
            throw new ArgumentOutOfRangeException(nameof(score), score, "a HAT score is within 0..100");
        return l1Height < record.L1Height ? record : record with { L1Score = score, L1Height = l1Height };
    }

    private static byte Lower(byte behaviour, int points) => (byte)Math.Max(0, behaviour - points);
}
