using System.Buffers.Binary;
using Cascoin.L2.Storage;

namespace Cascoin.L2.State.Smt;

public sealed partial class SparseMerkleTree
{
    /// <summary>A revert and a prune never run at once: each decides from the versions the other removes.</summary>
    private readonly Lock _historyLock = new();

    /// <summary>
    /// Makes <paramref name="version"/> the newest again: deletes the nodes, values, stale entries and
    /// roots of every later version in one batch. The cost is proportional to what those versions
    /// changed, never to the size of the tree.
    /// </summary>
    public void RevertTo(ulong version)
    {
        lock (_historyLock)
            RevertToLocked(version);
    }

    private void RevertToLocked(ulong version)
    {
        using (var batch = _database.CreateBatch())
        {
            if (!StageRevert(version, batch))
                return;
            _database.Commit(batch);
        }
        RevertCommitted(version);
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> the deletes that make <paramref name="version"/> the newest again;
    /// false when nothing is newer. Commit the batch, then call <see cref="RevertCommitted"/>.
    /// The caller serializes this with pruning and updates.
    /// </summary>
    public bool StageRevert(ulong version, DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RequireRetained(version);
        List<ulong> newer;
        lock (_rootsLock)
            newer = _roots.Keys.Where(v => v > version).ToList(); // few: a revert undoes recent versions
        if (newer.Count == 0)
            return false;
        Span<byte> valueKey = stackalloc byte[SmtKeys.ValueKeySize];
        foreach (var undone in newer)
        {
            var keys = _database.Get(DbColumn.SmtVersionKeys, SmtKeys.Version(undone)) ?? [];
            if (keys.Length % 32 != 0)
                throw new DatabaseCorruptionException($"corrupt record in column 'SmtVersionKeys' at key {Convert.ToHexStringLower(SmtKeys.Version(undone))}: length {keys.Length} is not a multiple of 32");
            for (var offset = 0; offset < keys.Length; offset += 32)
            {
                SmtKeys.Value(new Primitives.Hash256(keys.AsSpan(offset, 32)), undone, valueKey);
                batch.Delete(DbColumn.SmtValues, valueKey);
            }
        }
        var (from, to) = SmtKeys.FromVersionOn(version + 1);
        foreach (var column in new[] { DbColumn.SmtNodes, DbColumn.SmtStale, DbColumn.SmtRoots, DbColumn.SmtVersionKeys })
            batch.DeleteRange(column, from, to);
        return true;
    }

    /// <summary>After the batch of <see cref="StageRevert"/> was committed: forget the undone versions in memory.</summary>
    public void RevertCommitted(ulong version) => ForgetAfter(version);

    /// <summary>Makes the version whose root is <paramref name="root"/> the newest again.</summary>
    public void RevertTo(Primitives.Hash256 root)
    {
        if (!TryGetVersion(root, out var version))
            throw new ArgumentException($"root {root.ToHex()} is not a retained version of the tree", nameof(root));
        RevertTo(version);
    }

    /// <summary>The oldest version pruning keeps: the newest <see cref="SmtOptions.RetainVersions"/> versions stay.</summary>
    public ulong? OldestRetainedVersion =>
        LatestVersion is { } latest && latest + 1 > Options.RetainVersions ? latest + 1 - Options.RetainVersions : OldestVersion;

    /// <summary>
    /// Deletes nodes and values that no retained version reaches, and the roots of versions that
    /// left the retention window. A record that left the tree at version b is needed by versions
    /// before b only, so it goes once the oldest retained version is ≥ b. Returns the records deleted;
    /// call again while it returns at least <see cref="SmtOptions.PruneBatchSize"/>. Does nothing on an archive node.
    /// </summary>
    public int Prune()
    {
        lock (_historyLock)
            return PruneLocked();
    }

    private int PruneLocked()
    {
        if (!Options.Prune || OldestRetainedVersion is not { } oldest)
            return 0;
        var deleted = 0;
        using (var batch = _database.CreateBatch())
        {
            foreach (var (staleKey, list) in _database.IterateByPrefix(DbColumn.SmtStale, []))
            {
                if (staleKey.Length != 8 || list.Length % SmtKeys.StaleEntrySize != 0)
                    throw new DatabaseCorruptionException($"corrupt record in column 'SmtStale' at key {Convert.ToHexStringLower(staleKey)}: not a stale list");
                if (BinaryPrimitives.ReadUInt64BigEndian(staleKey) > oldest)
                    break;
                for (var offset = 0; offset < list.Length; offset += SmtKeys.StaleEntrySize)
                {
                    var column = list[offset] == SmtKeys.StaleNode ? DbColumn.SmtNodes : DbColumn.SmtValues;
                    batch.Delete(column, list.AsSpan(offset + 1, SmtKeys.StaleEntrySize - 1));
                }
                batch.Delete(DbColumn.SmtStale, staleKey);
                deleted += list.Length / SmtKeys.StaleEntrySize;
                // Whole versions per batch; stop once the batch is big enough.
                if (deleted >= Options.PruneBatchSize)
                    break;
            }
            var (from, _) = SmtKeys.FromVersionOn(0);
            var until = SmtKeys.Version(oldest);
            batch.DeleteRange(DbColumn.SmtRoots, from, until);
            batch.DeleteRange(DbColumn.SmtVersionKeys, from, until);
            _database.Commit(batch);
        }
        ForgetBefore(oldest);
        return deleted;
    }
}
