namespace Cascoin.L2.Storage;

/// <summary>
/// The column families of the node database. Each member becomes one RocksDB column family
/// named after it in lower case; adding a member adds a family on the next start.
/// The key layout of every family is written down in doc/db-schema.md.
/// </summary>
public enum DbColumn
{
    /// <summary>Small singleton records: schema version, chain tips, node identity.</summary>
    Metadata,

    /// <summary>Sparse Merkle tree nodes, keyed by creation version (u64 BE) and node hash.</summary>
    SmtNodes,

    /// <summary>What left the tree at a version: staleSince (u64 BE) → list of (tag ‖ record key). Drives pruning.</summary>
    SmtStale,

    /// <summary>The tree's root at every version: version (u64 BE) → root reference.</summary>
    SmtRoots,

    /// <summary>Leaf values by key and version: key (32) ‖ ~version (u64 BE), newest first.</summary>
    SmtValues,

    /// <summary>The keys each version changed: version (u64 BE) → keys (32 bytes each). Lets a revert find what to undo.</summary>
    SmtVersionKeys,

    /// <summary>Accounts moved out of the live tree for dormancy: state key (32) ‖ ~archivedAt (u64 BE) → archive record.</summary>
    StateArchive,

    /// <summary>L2 blocks by number: number (u64 BE) → encoded block (header, transactions, signatures).</summary>
    L2Blocks,

    /// <summary>L2 block numbers by hash: header hash (32) → number (u64 BE).</summary>
    L2BlockNumbers,

    /// <summary>Where each L2 transaction is: txid (32) → block number (u64 BE) ‖ index in the block (u32 BE).</summary>
    L2Transactions,

    /// <summary>The receipts of each L2 block: number (u64 BE) → CompactSize n ‖ n receipts.</summary>
    L2Receipts,

    /// <summary>Embedded settlement chain blocks, every branch: block hash (32) → encoded L1 block.</summary>
    L1Blocks,

    /// <summary>Receipts of connected L1 blocks: block hash (32) → CompactSize n ‖ n receipts.</summary>
    L1Receipts,

    /// <summary>The active L1 chain: height (u64 BE) → block hash.</summary>
    L1ActiveChain,

    /// <summary>L1 blocks marked invalid (invalidateblock, or failed validation): block hash (32) → 01.</summary>
    L1Invalid,

    /// <summary>
    /// What this sequencer signed, written before the message leaves: L2 height (u64 BE) ‖ round (u32 BE)
    /// ‖ step (u8) → parent hash (32) ‖ block hash (32, zero for nil).
    /// </summary>
    SigningJournal,

    /// <summary>
    /// This sequencer's shares of epoch encryption keys: chain (u64 BE) ‖ epoch (u64 BE) ‖ set height
    /// (u64 BE) → member index (u16 BE) ‖ secret share (32). Written as the DKG run computes it, before
    /// the member signs the key: a restart must not lose the share of a key it helped commit.
    /// </summary>
    EpochKeyShares,

    /// <summary>
    /// The audit log: security-relevant events, kept 90 days: time (unix ms, u64 BE) ‖ sequence (u32 BE)
    /// → version (1) ‖ kind, subject, message (each CompactSize-prefixed UTF-8).
    /// </summary>
    AuditLog,
}
