using RocksDbSharp;

namespace Cascoin.L2.Storage;

/// <summary>
/// Changes collected for one atomic <see cref="NodeDatabase.Commit"/>. Each change names its column
/// family by the open database's handle, so it is made under a lease like any operation.
/// </summary>
public sealed class DbWriteBatch : IDisposable
{
    internal DbWriteBatch(NodeDatabase owner)
    {
        Owner = owner;
    }

    internal NodeDatabase Owner { get; }

    internal WriteBatch Inner { get; } = new();

    public int Count => Inner.Count();

    public DbWriteBatch Put(DbColumn column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        using (Owner.Use())
            Inner.Put(key, value, Owner.Handle(column));
        return this;
    }

    public DbWriteBatch Put<T>(DbColumn column, ReadOnlySpan<byte> key, T value, IDbCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return Put(column, key, codec.Encode(value));
    }

    public DbWriteBatch Delete(DbColumn column, ReadOnlySpan<byte> key)
    {
        using (Owner.Use())
            Inner.Delete(key, Owner.Handle(column));
        return this;
    }

    /// <summary>Deletes every key in [<paramref name="from"/>, <paramref name="to"/>): cheap, whatever the range holds.</summary>
    public DbWriteBatch DeleteRange(DbColumn column, byte[] from, byte[] to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        using (Owner.Use())
            Inner.DeleteRange(from, (ulong)from.Length, to, (ulong)to.Length, Owner.Handle(column));
        return this;
    }

    public void Dispose() => Inner.Dispose();
}
