namespace Cascoin.L2.DataAvailability.Commitments;

/// <summary>
/// How a batch of <see cref="Length"/> compressed bytes is cut: k data shards of <see cref="ShardSize"/>
/// bytes (the last zero-padded) and m = k parity shards. A function of the length alone, so the
/// commitment needs to carry only the root and the length. Shards are multiples of 64 bytes and at
/// most 64 data shards are used: a small batch has few small shards, a large one 64 larger ones.
/// </summary>
public readonly record struct ShardLayout(int Length, int DataShards, int ParityShards, int ShardSize)
{
    public const int MaxDataShards = 64;

    public const int ShardUnit = 64;

    public int TotalShards => DataShards + ParityShards;

    public static ShardLayout For(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var perShard = Math.Max(1, (length + MaxDataShards - 1) / MaxDataShards);
        var shardSize = (perShard + ShardUnit - 1) / ShardUnit * ShardUnit;
        var dataShards = Math.Max(1, (length + shardSize - 1) / shardSize);
        return new ShardLayout(length, dataShards, dataShards, shardSize);
    }
}
