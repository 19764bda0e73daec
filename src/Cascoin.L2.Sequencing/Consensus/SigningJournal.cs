using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus.Bft;
using Cascoin.L2.Storage;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>A message this node signed at a height, and the parent it was deciding on.</summary>
public readonly record struct JournalEntry(SignedStep Signed, Hash256 Parent);

/// <summary>
/// What this sequencer has signed (SPEC §7: never slashable when honest). Before a proposal,
/// prevote or precommit leaves, its (height, round, step) and block are written with a synced write
/// to the node's database; a second, different message for the same (height, round, step) is
/// refused, whatever happened in between — a crash, a restart, an L1 reorganization that reverted
/// the height and made the node decide it again. Sending the same message again is allowed.
/// After a restart the entries of a height restore the node's round, step and lock
/// (<see cref="HeightConsensus"/>); entries made on another parent (the height was reverted) only
/// push the node into later rounds.
/// </summary>
public sealed class SigningJournal
{
    private const int KeySize = 8 + 4 + 1;

    /// <summary>The step byte of kept prevotes: no message step has the high bit.</summary>
    private const byte JustificationTag = 0x80;

    private const int JustificationKeySize = KeySize + Address.Size + Hash256.Size;

    /// <summary>height ‖ FE: the height was decided here.</summary>
    private const int DecidedKeySize = 9;

    private const byte DecidedTag = 0xFE;

    /// <summary>Heights kept below the head: deeper than any L1 reorganization can revert the L2 chain by.</summary>
    public const ulong RetainedHeights = 10_000;

    private readonly NodeDatabase _database;
    private readonly Lock _lock = new();

    public SigningJournal(NodeDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>
    /// Records that this node signs <paramref name="block"/> (zero for nil) at (height, round, step)
    /// deciding on <paramref name="parent"/>; false when it signed another block there before, in
    /// which case the message must not be signed.
    /// </summary>
    public bool TryRecord(ulong height, int round, VoteStep step, Hash256 parent, Hash256 block)
    {
        var key = Key(height, round, step);
        lock (_lock)
        {
            if (_database.Get(DbColumn.SigningJournal, key) is { } existing)
                return existing.Length == 64 && new Hash256(existing.AsSpan(32, 32)) == block;
            var value = new byte[64];
            parent.WriteTo(value);
            block.WriteTo(value.AsSpan(32));
            _database.Put(DbColumn.SigningJournal, key, value);
            return true;
        }
    }

    /// <summary>
    /// Keeps the prevotes behind a lock (written before the precommit that locks): key height ‖
    /// round ‖ 0x80 ‖ voter ‖ block, value the vote message.
    /// </summary>
    public void KeepJustification(ulong height, IEnumerable<VoteMessage> prevotes)
    {
        ArgumentNullException.ThrowIfNull(prevotes);
        using var batch = _database.CreateBatch();
        foreach (var prevote in prevotes)
        {
            var key = new byte[JustificationKeySize];
            Key(height, prevote.Vote.Round, VoteStep.Prevote).CopyTo(key, 0);
            key[12] = JustificationTag;
            prevote.Voter.WriteTo(key.AsSpan(KeySize));
            prevote.Vote.Block.WriteTo(key.AsSpan(KeySize + Address.Size));
            batch.Put(DbColumn.SigningJournal, key, prevote.ToBytes());
        }
        if (batch.Count > 0)
        {
            lock (_lock)
                _database.Commit(batch);
        }
    }

    /// <summary>The prevotes kept behind this node's locks at <paramref name="height"/>.</summary>
    public IReadOnlyList<VoteMessage> JustificationsAt(ulong height)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(prefix, height);
        var votes = new List<VoteMessage>();
        foreach (var (key, value) in _database.IterateByPrefix(DbColumn.SigningJournal, prefix))
        {
            if (key.Length != JustificationKeySize)
                continue;
            try
            {
                votes.Add(VoteMessage.FromBytes(value));
            }
            catch (DecodeException ex)
            {
                throw DatabaseCorruptionException.ForRecord(DbColumn.SigningJournal, key, ex);
            }
        }
        return votes;
    }

    /// <summary>Everything this node signed at <paramref name="height"/>, in (round, step) order.</summary>
    public IReadOnlyList<JournalEntry> SignedAt(ulong height)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(prefix, height);
        var entries = new List<JournalEntry>();
        foreach (var (key, value) in _database.IterateByPrefix(DbColumn.SigningJournal, prefix))
        {
            if (key.Length != KeySize)
                continue; // a kept prevote (KeepJustification) or a decided mark
            if (value.Length != 64)
                throw DatabaseCorruptionException.ForRecord(DbColumn.SigningJournal, key, new DecodeException("a signing journal entry is 13 bytes of key and 64 of value"));
            var round = (int)BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(8));
            var block = new Hash256(value.AsSpan(32, 32));
            entries.Add(new JournalEntry(new SignedStep(round, (VoteStep)key[12], block == Hash256.Zero ? null : block), new Hash256(value.AsSpan(0, 32))));
        }
        return entries;
    }

    /// <summary>
    /// Notes that <paramref name="height"/> was decided (this node committed a block there). If the
    /// height is ever decided again, an L1 reorganization reverted it: what this node signed there
    /// then belongs to a decision that no longer stands (<see cref="ResumeAt"/>).
    /// </summary>
    public void MarkDecided(ulong height)
    {
        var key = DecidedKey(height);
        lock (_lock)
        {
            if (!_database.Contains(DbColumn.SigningJournal, key))
                _database.Put(DbColumn.SigningJournal, key, [1]);
        }
    }

    /// <summary>
    /// Where a node deciding <paramref name="height"/> on <paramref name="parent"/> resumes: what it
    /// signed there on this parent (restoring its round, step and lock), and the first round it may
    /// sign in at all. A height decided before (an L1 reorganization reverted it, on this parent or
    /// another) or signed in on another parent is <paramref name="height"/> decided anew: nothing is
    /// restored — a lock on a reverted block would hold the node forever — and every round it signed
    /// in is closed to it, so it never signs a second message for any of them.
    /// </summary>
    public (IReadOnlyList<SignedStep> SameParent, int FirstRound, bool Reopened) ResumeAt(ulong height, Hash256 parent)
    {
        var signed = SignedAt(height);
        var reopened = _database.Contains(DbColumn.SigningJournal, DecidedKey(height));
        var carried = reopened ? [] : signed.Where(e => e.Parent == parent).Select(e => e.Signed).ToList();
        var closed = reopened ? signed : signed.Where(e => e.Parent != parent).ToList();
        var firstRound = closed.Select(e => e.Signed.Round + 1).DefaultIfEmpty(0).Max();
        return (carried, firstRound, reopened);
    }

    private static byte[] DecidedKey(ulong height)
    {
        var key = new byte[DecidedKeySize];
        BinaryPrimitives.WriteUInt64BigEndian(key, height);
        key[8] = DecidedTag;
        return key;
    }

    /// <summary>Forgets heights below <paramref name="height"/> (called as the chain grows, <see cref="RetainedHeights"/> behind the head).</summary>
    public void PruneBelow(ulong height)
    {
        var end = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(end, height);
        // Keys are height ‖ round ‖ step: every key of a lower height sorts before the bare height.
        using var batch = _database.CreateBatch();
        batch.DeleteRange(DbColumn.SigningJournal, new byte[KeySize], end);
        lock (_lock)
            _database.Commit(batch);
    }

    private static byte[] Key(ulong height, int round, VoteStep step)
    {
        var key = new byte[KeySize];
        BinaryPrimitives.WriteUInt64BigEndian(key, height);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(8), (uint)round);
        key[12] = (byte)step;
        return key;
    }
}
