using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain;

/// <summary>The encrypted mempool's side of the chain: the envelopes waiting at the head, and their openings as the next block takes them.</summary>
public sealed partial class L2Blockchain
{
    /// <summary>
    /// Set by the sequencing layer on a chain with an encrypted mempool: the openings
    /// (<see cref="TransactionType.Decryption"/>) of the given waiting envelopes that this node can make
    /// now, in order — a prefix of them, as far as their decryption shares have arrived.
    /// </summary>
    public Func<IReadOnlyList<(ulong Sequence, QueuedEnvelope Envelope)>, IReadOnlyList<Transaction>>? OpenEnvelopes { get; set; }

    /// <summary>The envelope queue's cursor at the head.</summary>
    public EnvelopeCursor Envelopes => GetRecord(EnvelopeKeys.Cursor) is { } bytes ? EnvelopeCursor.FromBytes(bytes) : default;

    private (Hash256 Head, EnvelopeCursor Cursor, IReadOnlyList<(ulong, QueuedEnvelope)> Waiting)? _waiting;

    /// <summary>
    /// The envelopes ordered and not yet opened at the head, in order. Read from the state once per
    /// head, and then only the new ones: when the head is the child of the one last read, every entry
    /// still waiting is the record read then (an entry is written once, at the cursor's end, and
    /// deleted when opened), so a block costs the envelopes it ordered, not the whole queue — which
    /// matters most when openings stall and the queue grows.
    /// </summary>
    public IReadOnlyList<(ulong Sequence, QueuedEnvelope Envelope)> WaitingEnvelopes()
    {
        // Under the write lock, so the head and the records read are of one state.
        lock (_writeLock)
        {
            var head = Head;
            if (_waiting is { } known && known.Head == head.Hash)
                return known.Waiting;
            var cursor = Envelopes;
            var previous = _waiting is { } last && last.Head == head.ParentHash ? last : default((Hash256 Head, EnvelopeCursor Cursor, IReadOnlyList<(ulong, QueuedEnvelope)> Waiting)?);
            var waiting = new List<(ulong, QueuedEnvelope)>((int)Math.Min(cursor.Waiting, 100_000));
            for (var sequence = cursor.Opened; sequence < cursor.Next; sequence++)
            {
                if (previous is { } read && sequence >= read.Cursor.Opened && sequence < read.Cursor.Next)
                {
                    waiting.Add(read.Waiting[(int)(sequence - read.Cursor.Opened)]);
                    continue;
                }
                if (GetRecord(EnvelopeKeys.Entry(sequence)) is not { } bytes)
                    throw new Cascoin.L2.Storage.DatabaseCorruptionException($"envelope {sequence} waits to be opened but is not in the state");
                waiting.Add((sequence, QueuedEnvelope.FromBytes(bytes)));
            }
            _waiting = (head.Hash, cursor, waiting);
            return waiting;
        }
    }

    /// <summary>Every waiting envelope read from the head's state, none reused (what <see cref="WaitingEnvelopes"/> must always equal).</summary>
    internal List<(ulong Sequence, QueuedEnvelope Envelope)> ReadAllWaiting()
    {
        lock (_writeLock)
        {
            var cursor = Envelopes;
            var waiting = new List<(ulong, QueuedEnvelope)>();
            for (var sequence = cursor.Opened; sequence < cursor.Next; sequence++)
                waiting.Add((sequence, QueuedEnvelope.FromBytes(GetRecord(EnvelopeKeys.Entry(sequence))!)));
            return waiting;
        }
    }

    /// <summary>Whether envelopes wait at the head whose openings this node cannot make yet (their shares have not all arrived).</summary>
    public bool OpeningsPending()
    {
        if (Envelopes.Waiting == 0)
            return false;
        var waiting = WaitingEnvelopes();
        return (OpenEnvelopes?.Invoke(waiting).Count ?? 0) < waiting.Count;
    }

    /// <summary>
    /// The transaction that opened <paramref name="envelope"/> and ran its contents (its receipt's
    /// status is theirs), once a block on this chain has; null before, or when a revert undid it.
    /// </summary>
    public StoredTransaction? GetOpening(Hash256 envelope) => _blocks.GetOpening(envelope) is { } id ? GetTransaction(id) : null;

    private IReadOnlyList<Transaction> Openings() =>
        OpenEnvelopes is { } open && Envelopes.Waiting > 0 ? open(WaitingEnvelopes()) : [];
}
