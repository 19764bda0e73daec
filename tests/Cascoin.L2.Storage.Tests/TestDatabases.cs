using Cascoin.L2.Primitives;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Storage.Tests;

/// <summary>Opens real RocksDB databases in temporary directories, tuned for test speed.</summary>
internal static class TestDatabases
{
    /// <summary>Options for tests: no fsync per commit, a small block cache.</summary>
    public static DatabaseOptions Options { get; } = new() { SyncWrites = false, BlockCacheBytes = 8UL * 1024 * 1024 };

    public static NodeDatabase Open(string path) => NodeDatabase.Open(path, Options, NullLogger.Instance);

    /// <summary>Builds a key from bytes: keeps test keys readable.</summary>
    public static byte[] Key(params byte[] bytes) => bytes;

    public static List<string> HexKeys(IEnumerable<KeyValuePair<byte[], byte[]>> records) =>
        records.Select(r => Convert.ToHexStringLower(r.Key)).ToList();
}

/// <summary>
/// A record of one little-endian ulong written with the project's own <see cref="SpanWriter"/> conventions
/// and read back with <see cref="SpanReader"/>, so decode failures are the real <see cref="DecodeException"/>.
/// </summary>
internal sealed class UInt64Codec : IDbCodec<ulong>
{
    public static UInt64Codec Instance { get; } = new();

    public byte[] Encode(ulong value) => BitConverter.GetBytes(value);

    public ulong Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var value = reader.ReadUInt64();
        reader.EnsureEnd();
        return value;
    }
}

/// <summary>A codec whose decoder always rejects the bytes, as a decoder meeting damaged data does.</summary>
internal sealed class RejectingCodec : IDbCodec<string>
{
    public const string Reason = "test codec rejects every record";

    public byte[] Encode(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    public string Decode(ReadOnlySpan<byte> bytes) => throw new FormatException(Reason);
}
