using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Primitives;
using FsCheck;
using FsCheck.Xunit;

namespace Cascoin.L2.DataAvailability.Tests.Commitments;

/// <summary>The DA commitment: any k shards rebuild the data; any changed byte in any shard is caught; proofs show exactly their shard.</summary>
public sealed class ShardCommitmentProperties
{
    [Property(MaxTest = 150)]
    public void Any_k_of_the_k_plus_m_shards_rebuild_the_data(int seed, NonNegativeInt length)
    {
        var random = new Random(seed);
        var data = BatchBuilder.RandomBytes(random, length.Get % 20_000);
        var (commitment, shards) = ShardCommitment.Of(data);
        var layout = commitment.Layout;
        Assert.Equal(layout.DataShards, layout.ParityShards);
        var kept = Enumerable.Range(0, layout.TotalShards).OrderBy(_ => random.Next()).Take(layout.DataShards).ToHashSet();

        var rebuilt = commitment.Rebuild(shards.Select((s, i) => kept.Contains(i) ? s : null).ToArray());

        Assert.Equal(data, rebuilt);
    }

    [Property(MaxTest = 150)]
    public void A_changed_byte_in_any_shard_is_caught_by_the_commitment(int seed, PositiveInt length, byte flip)
    {
        var random = new Random(seed);
        var data = BatchBuilder.RandomBytes(random, 1 + length.Get % 10_000);
        var (commitment, shards) = ShardCommitment.Of(data);
        var index = random.Next(shards.Length);
        var proof = ShardCommitment.Prove(shards, index);
        Assert.True(commitment.Verifies(proof));

        var changed = shards.Select(s => s.ToArray()).ToArray();
        changed[index][random.Next(changed[index].Length)] ^= flip == 0 ? (byte)1 : flip;

        Assert.NotEqual(commitment.Root, ShardCommitment.RootOf(changed));
        Assert.False(commitment.Verifies(proof with { Shard = changed[index] }));
        Assert.Null(commitment.Rebuild(changed));
        // The same shard under another index, or a proof cut short, shows nothing.
        Assert.False(commitment.Verifies(proof with { Index = (index + 1) % shards.Length }));
        Assert.False(commitment.Verifies(proof with { Siblings = proof.Siblings.Skip(1).ToList() }));
    }

    [Fact]
    public void The_layout_keeps_shards_in_64_byte_units_and_at_most_64_data_shards()
    {
        Assert.Equal(new ShardLayout(0, 1, 1, 64), ShardLayout.For(0));
        Assert.Equal(new ShardLayout(100, 2, 2, 64), ShardLayout.For(100));
        Assert.Equal(new ShardLayout(4096, 64, 64, 64), ShardLayout.For(4096));
        Assert.Equal(new ShardLayout(4097, 33, 33, 128), ShardLayout.For(4097));
        var large = ShardLayout.For(10_000_000);
        Assert.True(large.DataShards <= ShardLayout.MaxDataShards && large.ShardSize % 64 == 0 && large.DataShards * large.ShardSize >= 10_000_000);
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_as_a_shard_proof_are_refused_or_verify_nothing(int seed)
    {
        var random = new Random(seed);
        var bytes = BatchBuilder.RandomBytes(random, random.Next(0, 400));
        var (commitment, _) = ShardCommitment.Of(BatchBuilder.RandomBytes(random, 500));
        try
        {
            Assert.False(commitment.Verifies(ShardProof.Decode(bytes)));
        }
        catch (DecodeException)
        {
        }
    }

    [Fact]
    public void A_proof_reads_back_as_written()
    {
        var (commitment, shards) = ShardCommitment.Of(BatchBuilder.RandomBytes(new Random(9), 3000));
        var proof = ShardCommitment.Prove(shards, 17);
        var read = ShardProof.Decode(proof.ToBytes());
        Assert.Equal(proof.Index, read.Index);
        Assert.Equal(proof.Shard, read.Shard);
        Assert.Equal(proof.Siblings, read.Siblings);
        Assert.True(commitment.Verifies(read));
    }
}
