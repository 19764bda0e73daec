using System.Buffers;

namespace Cascoin.L2.Primitives;

/// <summary>Strict hex decoding without exceptions: exact length, digits of either case, nothing else.</summary>
internal static class HexDigits
{
    public static bool TryDecodeExact(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        if (hex.Length != destination.Length * 2)
            return false;
        return Convert.FromHexString(hex, destination, out int consumed, out int written) == OperationStatus.Done
            && consumed == hex.Length
            && written == destination.Length;
    }
}

/// <summary>Helpers for error messages that quote untrusted input.</summary>
internal static class Texts
{
    private const int MaxExcerpt = 100;

    /// <summary>The input, cut to a readable length, so a huge RPC argument never ends up whole in a message or log.</summary>
    public static string Excerpt(string text) =>
        text.Length <= MaxExcerpt ? text : string.Concat(text.AsSpan(0, MaxExcerpt), "…");
}
