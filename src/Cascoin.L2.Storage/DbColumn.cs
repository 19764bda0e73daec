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
}
