using Cascoin.L2.DataAvailability.Erasure;
using FsCheck;
using FsCheck.Xunit;

namespace Cascoin.L2.DataAvailability.Tests.Erasure;

/// <summary>Any k of the k + m shards rebuild all of them; a changed byte anywhere makes the parity wrong.</summary>
public sealed class ReedSolomonProperties
{
    private static byte[][] Encoded(Random random, int k, int m, int length)
    {
        var shards = new byte[k + m][];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = new byte[length];
            if (i < k)
                random.NextBytes(shards[i]);
        }
        new ReedSolomon(k, m).EncodeParity(shards);
        return shards;
    }

    [Property(MaxTest = 200)]
    public void Any_k_of_the_shards_rebuild_every_shard(int seed, PositiveInt dataShards, NonNegativeInt parityShards, NonNegativeInt length)
    {
        var random = new Random(seed);
        var k = 1 + dataShards.Get % 32;
        var m = parityShards.Get % 33;
        var size = length.Get % 300;
        var shards = Encoded(random, k, m, size);
        var kept = Enumerable.Range(0, k + m).OrderBy(_ => random.Next()).Take(k).ToHashSet();
        var damaged = shards.Select((s, i) => kept.Contains(i) ? (byte[]?)s.ToArray() : null).ToArray();

        new ReedSolomon(k, m).Reconstruct(damaged);

        for (var i = 0; i < shards.Length; i++)
            Assert.Equal(shards[i], damaged[i]);
    }

    [Property(MaxTest = 200)]
    public void A_changed_byte_in_any_shard_makes_the_parity_wrong(int seed, PositiveInt dataShards, PositiveInt parityShards, PositiveInt length, byte flip)
    {
        var random = new Random(seed);
        var k = 1 + dataShards.Get % 16;
        var m = 1 + parityShards.Get % 16;
        var shards = Encoded(random, k, m, 1 + length.Get % 100);
        var codec = new ReedSolomon(k, m);
        Assert.True(codec.IsParityCorrect(shards));
        var shard = random.Next(k + m);
        shards[shard][random.Next(shards[shard].Length)] ^= flip == 0 ? (byte)1 : flip;
        Assert.False(codec.IsParityCorrect(shards));
    }

    [Fact]
    public void Fewer_than_k_shards_or_shards_of_different_lengths_are_refused_not_guessed()
    {
        var codec = new ReedSolomon(4, 4);
        var shards = Encoded(new Random(1), 4, 4, 10);
        var three = shards.Select((s, i) => i < 3 ? s : null).ToArray();
        Assert.Throws<ArgumentException>(() => codec.Reconstruct(three));
        var uneven = shards.Select((s, i) => i == 0 ? s[..5] : i < 5 ? s : null).ToArray();
        Assert.Throws<ArgumentException>(() => codec.Reconstruct(uneven));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReedSolomon(200, 57));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReedSolomon(0, 4));
    }

    [Fact]
    public void The_largest_code_of_128_plus_128_rebuilds_from_parity_alone()
    {
        var shards = Encoded(new Random(7), 128, 128, 64);
        var parityOnly = shards.Select((s, i) => i >= 128 ? s : null).ToArray();
        new ReedSolomon(128, 128).Reconstruct(parityOnly);
        for (var i = 0; i < 128; i++)
            Assert.Equal(shards[i], parityOnly[i]);
    }
}
