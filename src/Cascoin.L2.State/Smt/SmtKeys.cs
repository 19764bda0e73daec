using System.Buffers.Binary;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>The database key layouts of the tree's column families (doc/db-schema.md).</summary>
internal static class SmtKeys
{
    public const byte StaleNode = 0;
    public const byte StaleValue = 1;
    public const int ValueKeySize = 40;

    public static byte[] Version(ulong version)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, version);
        return key;
    }

    /// <summary>Everything from <paramref name="version"/> on, for range deletes of version-prefixed families.</summary>
    public static (byte[] From, byte[] To) FromVersionOn(ulong version) => (Version(version), [.. Enumerable.Repeat((byte)0xff, 41)]);

    /// <summary>key (32) ‖ ~version (8, BE): a seek to key ‖ ~v finds the newest record at or below v.</summary>
    public static void Value(in Hash256 key, ulong version, Span<byte> destination)
    {
        key.WriteTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], ~version);
    }

    /// <summary>One entry of a version's stale list: tag (1) ‖ the record's key (40).</summary>
    public const int StaleEntrySize = 41;

    public static void StaleNodeEntry(NodeRef node, Span<byte> destination)
    {
        destination[0] = StaleNode;
        node.WriteKey(destination[1..]);
    }

    public static void StaleValueEntry(in Hash256 key, ulong valueVersion, Span<byte> destination)
    {
        destination[0] = StaleValue;
        Value(key, valueVersion, destination[1..]);
    }
}
