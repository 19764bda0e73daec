using Cascoin.L2.Primitives;
using ZstdSharp;

namespace Cascoin.L2.DataAvailability.Batches;

/// <summary>
/// A batch's canonical bytes as exactly one standard zstd frame (RFC 8878) that declares its content
/// size — what the `zstd` tool decodes. Decoding refuses a second frame or trailing bytes, a frame
/// without a content size, or one larger than <see cref="MaxRawBytes"/>, before allocating for it.
/// </summary>
public static class BatchFrame
{
    /// <summary>zstd's level for batches (see doc/da.md for the measurement behind it).</summary>
    public const int Level = 9;

    /// <summary>The largest batch accepted uncompressed.</summary>
    public const int MaxRawBytes = 64 * 1024 * 1024;

    public static byte[] Compress(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxRawBytes)
            throw new ArgumentException($"a batch is at most {MaxRawBytes} bytes, got {raw.Length}", nameof(raw));
        using var compressor = new Compressor(Level);
        // The one-shot call writes the content size into the frame header: the decoder's bound.
        return compressor.Wrap(raw).ToArray();
    }

    /// <exception cref="DecodeException">not exactly one frame of at most <see cref="MaxRawBytes"/> declared bytes, or a corrupt one.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
            throw new DecodeException("an empty batch frame");
        var (frameLength, contentSize) = Measure(frame);
        if (frameLength != (ulong)frame.Length)
            throw new DecodeException($"the zstd frame ends at byte {frameLength} of {frame.Length}: one frame and nothing after it");
        if (contentSize > MaxRawBytes)
            throw new DecodeException($"the frame declares {contentSize} bytes, more than the {MaxRawBytes} a batch may have");
        var raw = new byte[(int)contentSize];
        try
        {
            using var decompressor = new Decompressor();
            if (!decompressor.TryUnwrap(frame, raw, out var written) || written != raw.Length)
                throw new DecodeException($"the frame does not decode to the {contentSize} bytes it declares");
        }
        catch (ZstdException ex)
        {
            throw new DecodeException($"corrupt zstd frame: {ex.Message}");
        }
        return raw;
    }

    private static unsafe (ulong FrameLength, ulong ContentSize) Measure(ReadOnlySpan<byte> frame)
    {
        fixed (byte* start = frame)
        {
            var length = ZstdSharp.Unsafe.Methods.ZSTD_findFrameCompressedSize(start, (nuint)frame.Length);
            if (ZstdSharp.Unsafe.Methods.ZSTD_isError(length))
                throw new DecodeException("not a complete zstd frame");
            var content = ZstdSharp.Unsafe.Methods.ZSTD_getFrameContentSize(start, (nuint)frame.Length);
            // ZSTD_CONTENTSIZE_UNKNOWN (2^64 − 1) and ZSTD_CONTENTSIZE_ERROR (2^64 − 2).
            if (content >= ulong.MaxValue - 1)
                throw new DecodeException("the zstd frame does not declare its content size");
            return (length, content);
        }
    }
}
