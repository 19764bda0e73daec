using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Execution;

/// <summary>
/// Envelopes (doc/encrypted-mempool.md): an envelope pays its fee and consumes its nonce in the block
/// that orders it, and joins the queue of envelopes waiting for their keys. Later blocks open them in
/// queue order, first; a plain transaction is taken only once no envelope of an earlier block waits,
/// so no plaintext can jump the order and nobody who read a plaintext can act before it. (New
/// envelopes may be ordered meanwhile: they are blind, and open after the earlier ones.) Each opening
/// (<see cref="TransactionType.Decryption"/>) is checked here without any share: the secret must match
/// the envelope's key commitment, or t checked shares must prove that it cannot.
/// </summary>
public sealed partial class BlockExecution
{
    private readonly Dictionary<ulong, EpochKeyInfo?> _epochKeys = [];
    private bool _earlierOpened;

    /// <summary>
    /// Whether plain transactions wait for the openings of earlier blocks' envelopes (always, for a
    /// block). Off only for a simulation that asks whether transactions still hold — nonce order and
    /// funds — after a revert, not whether this very block could take them.
    /// </summary>
    public bool WaitForOpenings { get; init; } = true;

    /// <summary>The settlement chain's epoch keys of this chain (null: none; envelopes are refused).</summary>
    public Func<ulong, EpochKeyInfo?>? EpochKeys { get; init; }

    /// <summary>The envelope queue's cursor as this block has left it so far.</summary>
    public EnvelopeCursor Envelopes => GetRecord(EnvelopeKeys.Cursor) is { } bytes ? EnvelopeCursor.FromBytes(bytes) : default;

    private EpochKeyInfo? EpochKey(ulong epoch)
    {
        if (!_epochKeys.TryGetValue(epoch, out var info))
            _epochKeys[epoch] = info = EpochKeys?.Invoke(epoch);
        return info;
    }

    /// <summary>
    /// An envelope may be for the newest key committed by the block's L1 reference, or the one before it
    /// (envelopes sealed just before a switch): its members still hold their shares.
    /// </summary>
    private TxRejection? EpochError(ulong epoch)
    {
        var reference = L1AnchorHeight ?? ulong.MaxValue;
        // Unknown: lasting, so an envelope sealed to a made-up epoch leaves the mempool instead of waiting there for good.
        if (EpochKey(epoch) is not { } key)
            return new TxRejection(TxRejectReason.UnknownEpoch, $"the settlement chain has no key of epoch {epoch}: seal to the newest key (l2_getencryptionkey)");
        if (key.CommittedHeight > reference)
            return new TxRejection(TxRejectReason.EpochNotReady, $"the key of epoch {epoch} is committed at L1 block {key.CommittedHeight}, after this block's L1 reference {reference}");
        if (EpochKey(epoch + 2) is { } newer && newer.CommittedHeight <= reference)
            return new TxRejection(TxRejectReason.EpochExpired, $"epoch {epoch}'s key is two epochs old: seal to the newest key (l2_getencryptionkey)");
        return null;
    }

    private void Enqueue(Transaction envelope, Address sender)
    {
        var cursor = Envelopes;
        _records[EnvelopeKeys.Entry(cursor.Next)] = new QueuedEnvelope(Number, sender, envelope).ToBytes();
        _records[EnvelopeKeys.Cursor] = (cursor with { Next = cursor.Next + 1 }).ToBytes();
    }

    private QueuedEnvelope? Queued(ulong sequence) =>
        GetRecord(EnvelopeKeys.Entry(sequence)) is { } bytes ? QueuedEnvelope.FromBytes(bytes) : null;

    /// <summary>Why a plain user transaction must wait: envelopes of earlier blocks are not opened yet.</summary>
    private TxRejection? WaitingFromEarlierBlocks()
    {
        if (_earlierOpened || !WaitForOpenings)
            return null;
        var cursor = Envelopes;
        if (cursor.Waiting > 0 && Queued(cursor.Opened) is { } oldest && oldest.Block < Number)
            return new TxRejection(TxRejectReason.AwaitingDecryption,
                $"{cursor.Waiting} envelopes from block {oldest.Block} on wait to be opened: a block opens them before its own transactions");
        // Nothing of an earlier block waits now, and this block's own envelopes never make it wait.
        _earlierOpened = true;
        return null;
    }

    private TxRejection? ApplyDecryption(Transaction transaction)
    {
        if (transaction.ChainId != _parameters.ChainId)
            return new TxRejection(TxRejectReason.WrongChainId, $"decryption for chain {transaction.ChainId}, this is chain {_parameters.ChainId}");
        (ulong Sequence, DecryptionMode Mode, byte[] Secret, IReadOnlyList<byte[]> Shares) opening;
        try
        {
            opening = Decryption.Parse(transaction);
        }
        catch (DecodeException ex)
        {
            return new TxRejection(TxRejectReason.Malformed, $"not a decryption: {ex.Message}");
        }
        var cursor = Envelopes;
        if (opening.Sequence != cursor.Opened || cursor.Waiting == 0 || Queued(opening.Sequence) is not { } queued)
            return new TxRejection(TxRejectReason.NonceTooHigh, $"the next envelope to open is {cursor.Opened} of {cursor.Next}, not {opening.Sequence}");
        if (queued.Block >= Number)
            return new TxRejection(TxRejectReason.Malformed, $"envelope {opening.Sequence} was ordered in block {queued.Block}: it opens in a later block, once that one is final");
        var (epoch, ciphertext) = Envelope.Parse(queued.Envelope)!.Value;
        var label = Envelope.LabelOf(queued.Envelope, queued.Sender, epoch);
        byte[]? plaintext;
        if (opening.Mode == DecryptionMode.Secret)
        {
            (var matches, plaintext) = ThresholdEncryption.OpenWith(ciphertext, label, opening.Secret);
            if (!matches)
                return new TxRejection(TxRejectReason.Malformed, $"the secret does not match envelope {opening.Sequence}'s key commitment");
        }
        else
        {
            if (EpochKey(epoch) is not { } key)
                return new TxRejection(TxRejectReason.EpochNotReady, $"no key of epoch {epoch} to check the shares of envelope {opening.Sequence} against");
            if (ThresholdEncryption.CheckedSecret(key.Key, ciphertext, label, opening.Shares) is not { } secret)
                return new TxRejection(TxRejectReason.Malformed, $"fewer than {key.Key.Threshold} valid shares of envelope {opening.Sequence}");
            if (ThresholdEncryption.OpenWith(ciphertext, label, secret).KeyMatches)
                return new TxRejection(TxRejectReason.Malformed, $"the shares open envelope {opening.Sequence}: it opens with its secret");
            plaintext = null;
        }
        _records[EnvelopeKeys.Entry(opening.Sequence)] = null;
        _records[EnvelopeKeys.Cursor] = (cursor with { Opened = cursor.Opened + 1 }).ToBytes();
        var inner = Envelope.Open(queued.Envelope, plaintext);
        var status = inner is not null && ApplyCarried(inner, queued.Sender) is null ? ReceiptStatus.Success : ReceiptStatus.Failed;
        if (status == ReceiptStatus.Failed)
            RecordFailure(queued.Sender);
        _receipts.Add(new Receipt(transaction.Id, status, inner is null ? 0 : IntrinsicGas.Of(inner), GasUsed, 0, Amount.Zero));
        _openings.Add((queued.Envelope.Id, transaction.Id));
        return null;
    }

    /// <summary>
    /// The contents of an opened envelope (<see cref="Envelope.Open"/> checked its type, chain, nonce and
    /// gas): its fee and nonce were paid when it was ordered, and its gas counted then; the rules that
    /// remain (the withdrawal limit, funds, the effect itself) apply. Null when applied.
    /// </summary>
    private TxRejection? ApplyCarried(Transaction inner, Address sender)
    {
        if (inner.Type == TransactionType.Withdrawal && inner.Value > _parameters.MaxWithdrawalPerTransaction)
            return new TxRejection(TxRejectReason.OverLimit, $"withdrawal of {inner.Value} CAS is above the limit of {_parameters.MaxWithdrawalPerTransaction} CAS per transaction");
        var account = GetAccount(sender);
        if (inner.Value > account.Balance)
            return new TxRejection(TxRejectReason.InsufficientFunds, $"balance {account.Balance} is below the value {inner.Value}");
        return Effect(inner, sender, account with { Balance = account.Balance - inner.Value, LastActivity = Number });
    }
}
