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

    /// <summary>Everything this node signed at <paramref name="height"/>, in (round, step) order.</summary>
    public IReadOnlyList<JournalEntry> SignedAt(ulong height)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(prefix, height);
        var entries = new List<JournalEntry>();
        foreach (var (key, value) in _database.IterateByPrefix(DbColumn.SigningJournal, prefix))
        {
            if (key.Length != KeySize || value.Length != 64)
                throw DatabaseCorruptionException.ForRecord(DbColumn.SigningJournal, key, new DecodeException("a signing journal entry is 13 bytes of key and 64 of value"));
            var round = (int)BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(8));
            var block = new Hash256(value.AsSpan(32, 32));
            entries.Add(new JournalEntry(new SignedStep(round, (VoteStep)key[12], block == Hash256.Zero ? null : block), new Hash256(value.AsSpan(0, 32))));
        }
        return entries;
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
