namespace Cascoin.L2.Storage;

/// <summary>A stored record could not be decoded: the database is damaged or was written by other software.</summary>
public sealed class DatabaseCorruptionException : Exception
{
    public DatabaseCorruptionException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public static DatabaseCorruptionException ForRecord(DbColumn column, ReadOnlySpan<byte> key, Exception inner) =>
        new($"corrupt record in column '{column}' at key {Convert.ToHexStringLower(key)}: {inner.Message}", inner);
}

/// <summary>The database exists but cannot be used by this version of the node.</summary>
public sealed class DatabaseVersionException : Exception
{
    public DatabaseVersionException(string message) : base(message)
    {
    }
}

/// <summary>Another process holds the data directory.</summary>
public sealed class DataDirectoryLockedException : Exception
{
    public DataDirectoryLockedException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
