using System.Diagnostics;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.DataAvailability.Tests.Batches;

/// <summary>One standard zstd frame: the `zstd` tool reads what we write, and we refuse what is not exactly one bounded frame.</summary>
public sealed class BatchFrameTests
{
    private static readonly byte[] Raw = BatchBuilder.RandomBatch(new Random(3), maxBlocks: 5, maxTransactions: 50).ToBytes();

    [SkippableFact]
    public void The_zstd_tool_decodes_a_batch_frame_to_the_same_bytes()
    {
        Skip.IfNot(File.Exists("/usr/bin/zstd"), "zstd is not installed (run contrib/install-deps.sh as root to install Debian's zstd)");
        using var directory = TestDirectory.Create("zstd-cli");
        var framePath = directory.Combine("batch.zst");
        File.WriteAllBytes(framePath, BatchFrame.Compress(Raw));
        var start = new ProcessStartInfo("/usr/bin/zstd", ["-d", "-q", "-f", framePath, "-o", directory.Combine("batch")]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        Assert.True(process.WaitForExit(30_000), "zstd did not finish");
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(Raw, File.ReadAllBytes(directory.Combine("batch")));
    }

    [Fact]
    public void Two_frames_trailing_bytes_a_frame_without_its_size_or_too_large_a_size_are_refused()
    {
        var frame = BatchFrame.Compress(Raw);
        Assert.Equal(Raw, BatchFrame.Decompress(frame));
        Assert.Throws<DecodeException>(() => BatchFrame.Decompress([.. frame, .. frame]));
        Assert.Throws<DecodeException>(() => BatchFrame.Decompress([.. frame, 0]));
        Assert.Throws<DecodeException>(() => BatchFrame.Decompress(frame.AsSpan(0, frame.Length - 1)));
        Assert.Throws<DecodeException>(() => BatchFrame.Decompress([]));

        // A frame whose header leaves the content size out (descriptor 0x00, a window byte, one raw last block) is valid zstd, but unbounded here.
        var unsized = new List<byte> { 0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x50 };
        var blockHeader = 1 | (100 << 3);
        unsized.AddRange([(byte)blockHeader, (byte)(blockHeader >> 8), (byte)(blockHeader >> 16)]);
        unsized.AddRange(Raw.Take(100));
        Assert.Contains("does not declare its content size", Assert.Throws<DecodeException>(() => BatchFrame.Decompress(unsized.ToArray())).Message, StringComparison.Ordinal);

        // A frame header declaring more than the bound (a zip bomb's first bytes) is refused before anything is allocated.
        var huge = new byte[BatchFrame.MaxRawBytes + 1];
        using var plain = new ZstdSharp.Compressor(1);
        var bomb = plain.Wrap(huge).ToArray();
        Assert.Contains("more than", Assert.Throws<DecodeException>(() => BatchFrame.Decompress(bomb)).Message, StringComparison.Ordinal);
    }
}
