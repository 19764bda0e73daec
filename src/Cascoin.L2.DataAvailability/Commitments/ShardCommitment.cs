using Cascoin.L2.Crypto;
using Cascoin.L2.DataAvailability.Erasure;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.DataAvailability.Commitments;

/// <summary>
/// The DA commitment of a batch: the Merkle root over the hashes of its k + m Reed–Solomon shards
/// (<see cref="ShardLayout"/>), with the length that fixes the layout. Leaves are SHA-256(0x00 ‖ index
/// u16 ‖ shard), inner nodes SHA-256(0x01 ‖ left ‖ right), the leaf row padded with zero hashes to a
/// power of two — domain-separated, so a shard can never pose as an inner node. Since the parity is
/// computed here from the data, a commitment built by <see cref="Of"/> cannot lie about its data.
/// </summary>
public sealed record ShardCommitment(Hash256 Root, int Length)
{
    public ShardLayout Layout => ShardLayout.For(Length);

    /// <summary>The commitment of <paramref name="data"/> (the compressed batch) and its k + m shards.</summary>
    public static (ShardCommitment Commitment, byte[][] Shards) Of(ReadOnlySpan<byte> data)
    {
        var shards = Shards(data);
        return (new ShardCommitment(RootOf(shards), data.Length), shards);
    }

    /// <summary>The k data shards of <paramref name="data"/> (zero-padded) and the m parity shards computed from them.</summary>
    public static byte[][] Shards(ReadOnlySpan<byte> data)
    {
        var layout = ShardLayout.For(data.Length);
        var shards = new byte[layout.TotalShards][];
        for (var i = 0; i < shards.Length; i++)
        {
            shards[i] = new byte[layout.ShardSize];
            if (i < layout.DataShards)
            {
                var start = i * layout.ShardSize;
                if (start < data.Length)
                    data.Slice(start, Math.Min(layout.ShardSize, data.Length - start)).CopyTo(shards[i]);
            }
        }
        new ReedSolomon(layout.DataShards, layout.ParityShards).EncodeParity(shards);
        return shards;
    }

    /// <summary>The data again from any k shards of this commitment (missing ones null), checked against the root; null when they do not rebuild it.</summary>
    public byte[]? Rebuild(byte[]?[] shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var layout = Layout;
        if (shards.Length != layout.TotalShards || shards.Any(s => s is not null && s.Length != layout.ShardSize)
            || shards.Count(s => s is not null) < layout.DataShards)
            return null;
        var copy = shards.Select(s => s?.ToArray()).ToArray();
        new ReedSolomon(layout.DataShards, layout.ParityShards).Reconstruct(copy);
        var full = copy.Select(s => s!).ToArray();
        if (RootOf(full) != Root)
            return null;
        var data = new byte[Length];
        for (var i = 0; i < layout.DataShards; i++)
        {
            var start = i * layout.ShardSize;
            full[i].AsSpan(0, Math.Min(layout.ShardSize, Length - start)).CopyTo(data.AsSpan(start));
        }
        // The padding is part of what the root commits to: a rebuild with non-zero padding is not this data.
        return full[layout.DataShards - 1].AsSpan(Length - (layout.DataShards - 1) * layout.ShardSize).ContainsAnyExcept((byte)0) ? null : data;
    }

    /// <summary>Shard <paramref name="index"/> with the sibling hashes from its leaf to the root.</summary>
    public static ShardProof Prove(byte[][] shards, int index)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, shards.Length);
        var level = Leaves(shards);
        var siblings = new List<Hash256>();
        for (var position = index; level.Count > 1; position /= 2)
        {
            siblings.Add(level[position ^ 1]);
            level = Parents(level);
        }
        return new ShardProof(index, shards[index], siblings);
    }

    /// <summary>Whether <paramref name="proof"/> shows a shard of this commitment: the right index range, size, and path to the root.</summary>
    public bool Verifies(ShardProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var layout = Layout;
        var width = Width(layout.TotalShards);
        if (proof.Index < 0 || proof.Index >= layout.TotalShards || proof.Shard.Length != layout.ShardSize || 1 << proof.Siblings.Count != width)
            return false;
        var hash = Leaf(proof.Index, proof.Shard);
        var position = proof.Index;
        foreach (var sibling in proof.Siblings)
        {
            hash = position % 2 == 0 ? Node(hash, sibling) : Node(sibling, hash);
            position /= 2;
        }
        return hash == Root;
    }

    public static Hash256 RootOf(byte[][] shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var level = Leaves(shards);
        while (level.Count > 1)
            level = Parents(level);
        return level[0];
    }

    private static List<Hash256> Leaves(byte[][] shards)
    {
        var leaves = new List<Hash256>(Width(shards.Length));
        for (var i = 0; i < shards.Length; i++)
            leaves.Add(Leaf(i, shards[i]));
        while (leaves.Count < Width(shards.Length))
            leaves.Add(Hash256.Zero);
        return leaves;
    }

    private static List<Hash256> Parents(List<Hash256> level)
    {
        var parents = new List<Hash256>(level.Count / 2);
        for (var i = 0; i < level.Count; i += 2)
            parents.Add(Node(level[i], level[i + 1]));
        return parents;
    }

    private static int Width(int count) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, count));

    private static Hash256 Leaf(int index, ReadOnlySpan<byte> shard)
    {
        var buffer = new byte[3 + shard.Length];
        buffer[0] = 0;
        buffer[1] = (byte)(index >> 8);
        buffer[2] = (byte)index;
        shard.CopyTo(buffer.AsSpan(3));
        return new Hash256(Hashes.Sha256(buffer));
    }

    private static Hash256 Node(Hash256 left, Hash256 right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * Hash256.Size];
        buffer[0] = 1;
        left.WriteTo(buffer[1..]);
        right.WriteTo(buffer[(1 + Hash256.Size)..]);
        return new Hash256(Hashes.Sha256(buffer));
    }
}
