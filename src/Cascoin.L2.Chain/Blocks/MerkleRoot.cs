using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>
/// The binary Merkle root of a block's transaction ids or receipt hashes. Leaves and inner nodes
/// carry different domain bytes and an odd node is carried up unchanged (not paired with itself),
/// so two different lists never share a root (Bitcoin's duplicate-last rule, CVE-2012-2459, does not apply).
/// The empty list's root is zero.
/// </summary>
public static class MerkleRoot
{
    private const byte LeafTag = 0x00;
    private const byte InnerTag = 0x01;

    public static Hash256 Compute(IReadOnlyList<Hash256> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
            return Hash256.Zero;
        var level = new Hash256[items.Count];
        Span<byte> buffer = stackalloc byte[65];
        Span<byte> output = stackalloc byte[32];
        for (var i = 0; i < items.Count; i++)
        {
            buffer[0] = LeafTag;
            items[i].WriteTo(buffer[1..]);
            Hashes.Sha256(buffer[..33], output);
            level[i] = new Hash256(output);
        }
        var count = level.Length;
        while (count > 1)
        {
            var next = 0;
            for (var i = 0; i < count; i += 2)
            {
                if (i + 1 == count)
                {
                    level[next++] = level[i];
                    continue;
                }
                buffer[0] = InnerTag;
                level[i].WriteTo(buffer[1..]);
                level[i + 1].WriteTo(buffer[33..]);
                Hashes.Sha256(buffer, output);
                level[next++] = new Hash256(output);
            }
            count = next;
        }
        return level[0];
    }
}
