namespace Cascoin.L2.Primitives;

/// <summary>
/// Bytes or text that do not decode: truncated or trailing data, a non-canonical CompactSize,
/// a length over its limit, a bool other than 0/1, a bad checksum. The message says which.
/// </summary>
public sealed class DecodeException : FormatException
{
    public DecodeException(string message)
        : base(message)
    {
    }

    public DecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
