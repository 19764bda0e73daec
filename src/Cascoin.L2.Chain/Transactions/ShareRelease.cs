using System.Security.Cryptography;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Transactions;

/// <summary>
/// What binds a member's decryption shares to the block they open and to that block's finality
/// (doc/encrypted-mempool.md, "Shares before finality"). A batch's proof is bound to
/// <see cref="Context"/> (chain, block, epoch); the member also signs <see cref="Digest"/> with its
/// sequencer key, which names the batch and the hash of the commit certificate it held for the block.
/// An honest member releases shares only once it holds that certificate, so a signed release whose
/// certificate does not certify the block is evidence the staking contract slashes.
/// </summary>
public static class ShareRelease
{
    /// <summary>The batch context a member's shares are bound to: chain, block and epoch (a share of one block never counts for another).</summary>
    public static byte[] Context(ulong chainId, ulong block, Hash256 blockHash, ulong epoch)
    {
        var writer = new SpanWriter(64);
        writer.WriteBytes("cascoin-l2-block-envelopes-v1"u8);
        WriteBlock(writer, chainId, block, blockHash, epoch);
        return writer.ToArray();
    }

    /// <summary>
    /// What the member signs: SHA-256d("cascoin-l2-share-release-v1" ‖ chain u64 ‖ block u64 ‖ block
    /// hash ‖ epoch u64 ‖ SHA-256(batch bytes) ‖ certificate hash), little-endian.
    /// </summary>
    public static Hash256 Digest(ulong chainId, ulong block, Hash256 blockHash, ulong epoch, ReadOnlySpan<byte> batch, Hash256 certificate)
    {
        var writer = new SpanWriter(160);
        writer.WriteBytes("cascoin-l2-share-release-v1"u8);
        WriteBlock(writer, chainId, block, blockHash, epoch);
        writer.WriteBytes(SHA256.HashData(batch));
        writer.WriteHash256(certificate);
        return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
    }

    private static void WriteBlock(SpanWriter writer, ulong chainId, ulong block, Hash256 blockHash, ulong epoch)
    {
        writer.WriteUInt64(chainId);
        writer.WriteUInt64(block);
        writer.WriteHash256(blockHash);
        writer.WriteUInt64(epoch);
    }
}
