using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Archive;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.State;

/// <summary>A block's state change, computed but not yet written.</summary>
public sealed class PendingStateCommit
{
    internal PendingStateCommit(ulong block, SmtPendingUpdate tree, IReadOnlyList<ArchivedAccount> archived, IReadOnlyList<Hash256> restored)
    {
        Block = block;
        Tree = tree;
        Archived = archived;
        Restored = restored;
    }

    public ulong Block { get; }

    public Hash256 StateRoot => Tree.Root;

    /// <summary>Accounts this block moves to the archive.</summary>
    public IReadOnlyList<ArchivedAccount> Archived { get; }

    /// <summary>State keys of archived accounts this block brings back.</summary>
    public IReadOnlyList<Hash256> Restored { get; }

    internal SmtPendingUpdate Tree { get; }
}

/// <summary>An account with its proof against a state root (what l2_getproof returns).</summary>
public sealed record AccountProof(Hash256 Root, ulong Block, Hash256 Key, SmtProof Proof, byte[]? Value, AccountState Account);

/// <summary>
/// The L2 world state: accounts in the sparse Merkle tree (key = SHA-256(address), value = the
/// canonical AccountState; an all-zero account is absent, so unknown accounts read as zero), one
/// tree version per L2 block. A block's tree nodes, account records, root and archive records are
/// committed in one write batch.
/// </summary>
public sealed class StateManager : IDisposable
{
    private readonly NodeDatabase _database;
    private readonly ILogger<StateManager> _logger;
    private readonly Lock _archiveLock = new();

    /// <summary>State keys that are archived and not restored: a write to one must be its restore.</summary>
    private HashSet<Hash256> _archivedKeys;

    public StateManager(NodeDatabase database, StateOptions options, ILogger<StateManager> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ArchiveSweepInterval < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "ArchiveSweepInterval must be at least 1");
        if (options.ArchivePerBlock < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "ArchivePerBlock must be at least 1");
        _database = database;
        Options = options;
        _logger = logger;
        Tree = new SparseMerkleTree(database, options.Tree);
        _archivedKeys = LoadArchivedKeys();
    }

    public StateOptions Options { get; }

    public SparseMerkleTree Tree { get; }

    /// <summary>The newest committed block, or null before genesis.</summary>
    public ulong? LatestBlock => Tree.LatestVersion;

    public Hash256 GetStateRoot() => Tree.Root;

    public bool TryGetStateRoot(ulong block, out Hash256 root) => Tree.TryGetRoot(block, out root);

    public AccountState GetAccount(Address address) =>
        LatestBlock is { } latest ? GetAccount(address, latest) : AccountState.Empty;

    /// <summary>A non-account state record at the newest block (null when absent).</summary>
    public byte[]? GetRecord(Hash256 key) => LatestBlock is { } latest ? Tree.Get(key, latest) : null;

    public byte[]? GetRecord(Hash256 key, ulong block) => Tree.Get(key, block);

    /// <summary>The proof of any state key against <paramref name="root"/> (newest when null), with its block.</summary>
    public (SmtProof Proof, ulong Block, Hash256 Root) GetRecordProof(Hash256 key, Hash256? root = null)
    {
        ulong block;
        if (root is { } wanted)
        {
            if (!Tree.TryGetVersion(wanted, out block))
                throw new ArgumentException($"state root {wanted.ToHex()} is not retained", nameof(root));
        }
        else
        {
            block = LatestBlock ?? throw new InvalidOperationException("no state yet");
        }
        Tree.TryGetRoot(block, out var blockRoot);
        return (Tree.GetProof(key, block), block, blockRoot);
    }

    public AccountState GetAccount(Address address, ulong block) =>
        Decode(StateKeys.ForAccount(address), Tree.Get(StateKeys.ForAccount(address), block));

    /// <summary>
    /// Computes block <paramref name="block"/>'s state: the given accounts set (an empty account is
    /// removed), and, on sweep blocks, dormant accounts moved to the archive. Nothing is written.
    /// </summary>
    /// <param name="records">Other state records (keys of <see cref="StateKeys.ForNamespace"/>): bytes, or null to delete.</param>
    public PendingStateCommit Prepare(ulong block, IReadOnlyDictionary<Address, AccountState> changes, IReadOnlyDictionary<Hash256, byte[]?>? records = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var treeChanges = StateChanges.ToTree(changes, records);
        var restored = new List<Hash256>();
        foreach (var (address, account) in changes)
        {
            var key = StateKeys.ForAccount(address);
            if (IsArchived(key))
            {
                // Only the exact archived record may come back; anything else would strand or duplicate its balance.
                var record = GetArchived(address);
                if (record is null || record.Account != account)
                    throw new InvalidOperationException($"account {address} is archived: restore it (StateManager.Restore) before changing it");
                restored.Add(key);
            }
        }
        var archived = SweepDormant(block, treeChanges);
        foreach (var account in archived)
            treeChanges[account.Key] = null;
        var update = Tree.Prepare(block, treeChanges.Select(c => new SmtChange(c.Key, c.Value)));
        return new PendingStateCommit(block, update, archived, restored);
    }

    /// <summary>Adds the block's state records to <paramref name="batch"/>; commit it, then call <see cref="Committed"/>.</summary>
    public void Stage(PendingStateCommit commit, DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(batch);
        Tree.Stage(commit.Tree, batch);
        Span<byte> key = stackalloc byte[SmtKeys.ValueKeySize];
        foreach (var account in commit.Archived)
        {
            SmtKeys.Value(account.Key, account.ArchivedAtVersion, key);
            batch.Put(DbColumn.StateArchive, key, account.ToBytes());
        }
        foreach (var restored in commit.Restored)
        {
            SmtKeys.Value(restored, commit.Block, key);
            batch.Put(DbColumn.StateArchive, key, ArchivedAccount.RestoredMarker);
        }
    }

    public void Committed(PendingStateCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        Tree.Committed(commit.Tree);
        lock (_archiveLock)
        {
            foreach (var account in commit.Archived)
                _archivedKeys.Add(account.Key);
            foreach (var key in commit.Restored)
                _archivedKeys.Remove(key);
        }
        if (commit.Archived.Count > 0)
            _logger.LogInformation("Block {Block}: archived {Count} dormant accounts", commit.Block, commit.Archived.Count);
    }

    /// <summary>Prepares, writes and commits one block in one batch; returns its state root.</summary>
    public Hash256 ApplyBlock(ulong block, IReadOnlyDictionary<Address, AccountState> changes)
    {
        var commit = Prepare(block, changes);
        using (var batch = _database.CreateBatch())
        {
            Stage(commit, batch);
            _database.Commit(batch);
        }
        Committed(commit);
        return commit.StateRoot;
    }

    /// <summary>
    /// Makes the block whose state root is <paramref name="root"/> the newest again (cost: what came
    /// after it). The tree and the archive entries of later blocks are undone in one batch.
    /// </summary>
    public void RevertToStateRoot(Hash256 root)
    {
        if (!Tree.TryGetVersion(root, out var block))
            throw new ArgumentException($"state root {root.ToHex()} is not retained", nameof(root));
        using (var batch = _database.CreateBatch())
        {
            if (!StageRevert(block, batch))
                return;
            _database.Commit(batch);
        }
        RevertCommitted(block);
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> what makes <paramref name="block"/> the newest again (tree and
    /// archive records of later blocks); false when nothing is newer. Commit, then <see cref="RevertCommitted"/>.
    /// </summary>
    public bool StageRevert(ulong block, DbWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!Tree.StageRevert(block, batch))
            return false;
        foreach (var (key, _) in _database.IterateByPrefix(DbColumn.StateArchive, []))
        {
            if (key.Length == SmtKeys.ValueKeySize && ~System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(32)) > block)
                batch.Delete(DbColumn.StateArchive, key);
        }
        return true;
    }

    public void RevertCommitted(ulong block)
    {
        Tree.RevertCommitted(block);
        var archivedKeys = LoadArchivedKeys();
        lock (_archiveLock)
            _archivedKeys = archivedKeys;
    }

    private bool IsArchived(Hash256 key)
    {
        lock (_archiveLock)
            return _archivedKeys.Contains(key);
    }

    /// <summary>Keys whose newest archive entry is a record, not a restore marker.</summary>
    private HashSet<Hash256> LoadArchivedKeys()
    {
        var keys = new HashSet<Hash256>();
        var previous = Hash256.Zero;
        var first = true;
        foreach (var (recordKey, entry) in _database.IterateByPrefix(DbColumn.StateArchive, []))
        {
            var key = new Hash256(recordKey.AsSpan(0, 32));
            if (!first && key == previous)
                continue;
            first = false;
            previous = key;
            if (!ArchivedAccount.IsRestoredMarker(entry))
                keys.Add(key);
        }
        return keys;
    }

    /// <summary>The account and its proof at the newest block, or at the block whose root is <paramref name="atRoot"/>.</summary>
    public AccountProof GetProof(Address address, Hash256? atRoot = null)
    {
        ulong block;
        if (atRoot is { } root)
        {
            if (!Tree.TryGetVersion(root, out block))
                throw new ArgumentException($"state root {root.ToHex()} is not retained", nameof(atRoot));
        }
        else
        {
            block = LatestBlock ?? throw new InvalidOperationException("the state has no blocks yet");
        }
        var key = StateKeys.ForAccount(address);
        Tree.TryGetRoot(block, out var blockRoot);
        var value = Tree.Get(key, block);
        return new AccountProof(blockRoot, block, key, Tree.GetProof(key, block), value, Decode(key, value));
    }

    /// <summary>The newest archive record of <paramref name="address"/>, if it was archived.</summary>
    public ArchivedAccount? GetArchived(Address address)
    {
        var key = StateKeys.ForAccount(address);
        var prefix = key.ToArray();
        if (!_database.TrySeek(DbColumn.StateArchive, prefix, prefix, out var recordKey, out var record) || ArchivedAccount.IsRestoredMarker(record))
            return null;
        try
        {
            return ArchivedAccount.FromBytes(key, record);
        }
        catch (DecodeException ex)
        {
            throw DatabaseCorruptionException.ForRecord(DbColumn.StateArchive, recordKey, ex);
        }
    }

    /// <summary>
    /// The change that brings an archived account back exactly as it was, for the next block's
    /// <see cref="Prepare"/>: the caller presents the archive's proof, which must verify against the
    /// archived root, and the account must not be live.
    /// </summary>
    public KeyValuePair<Address, AccountState> Restore(Address address, byte[] proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var archived = GetArchived(address) ?? throw new InvalidOperationException($"account {address} was never archived");
        if (!GetAccount(address).IsEmpty)
            throw new InvalidOperationException($"account {address} is live; only archived accounts can be restored");
        if (!SmtVerifier.VerifyCompact(archived.ProvenRoot, archived.Key, archived.Account.ToBytes(), proof))
            throw new ArgumentException("the proof does not show the archived account under the archived state root", nameof(proof));
        return new KeyValuePair<Address, AccountState>(address, archived.Account);
    }

    /// <summary>On sweep blocks: up to ArchivePerBlock accounts whose lastActivity is older than the archive age.</summary>
    private List<ArchivedAccount> SweepDormant(ulong block, Dictionary<Hash256, byte[]?> touched)
    {
        var archived = new List<ArchivedAccount>();
        if (Options.ArchiveAfterBlocks is not { } age || block % Options.ArchiveSweepInterval != 0 || LatestBlock is not { } latest || block <= age)
            return archived;
        var cutoff = block - age;
        Tree.TryGetRoot(latest, out var root);
        var previousKey = Hash256.Zero;
        var first = true;
        foreach (var (recordKey, record) in _database.IterateByPrefix(DbColumn.SmtValues, []))
        {
            // Records sort by key, newest version first: the first record of each key is its current value.
            var key = new Hash256(recordKey.AsSpan(0, 32));
            if (!first && key == previousKey)
                continue;
            first = false;
            previousKey = key;
            if (record.Length < 2 || record[0] != 1 || touched.ContainsKey(key) || !AccountState.TryFromBytes(record.AsSpan(1), out var account))
                continue;
            if (account.LastActivity >= cutoff)
                continue;
            if (archived.Count >= Options.ArchivePerBlock)
                break;
            archived.Add(new ArchivedAccount(key, account, block, latest, root, Tree.GetProof(key, latest).ToCompact()));
        }
        return archived;
    }

    private static AccountState Decode(Hash256 key, byte[]? value)
    {
        if (value is null)
            return AccountState.Empty;
        try
        {
            return AccountState.FromBytes(value);
        }
        catch (DecodeException ex)
        {
            throw new DatabaseCorruptionException($"corrupt account record for state key {key.ToHex()}: {ex.Message}", ex);
        }
    }

    public void Dispose() => Tree.Dispose();
}
