using System.Buffers.Binary;
using System.Text;
using Cascoin.L2.Primitives;
using Cascoin.L2.Storage;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>One security-relevant event: when, what kind, about what, and a sentence.</summary>
public sealed record AuditEntry(DateTimeOffset Time, string Kind, string Subject, string Message);

/// <summary>
/// The audit log (doc/monitoring.md): security-relevant events — alerts, bans, slashing, challenges,
/// pauses, the node's starts and stops with their settings, RPC calls that move funds — written to the
/// node database as they happen, in time order, and kept <see cref="Retention"/>. It survives restarts;
/// an entry is one small write, outside any block's batch.
/// </summary>
public sealed class AuditLog(NodeDatabase database, TimeProvider time)
{
    private const byte Version = 1;
    private const int MaxText = 4_096;

    /// <summary>How long entries are kept (older ones are deleted at most once an hour, as new ones are written).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>The most entries one query returns.</summary>
    public const int MaxQuery = 1_000;

    private readonly Lock _lock = new();
    private uint _sequence;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    public void Record(string kind, string subject, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow();
        var writer = new SpanWriter(64 + message.Length);
        writer.WriteByte(Version);
        foreach (var text in new[] { kind, subject, message })
            writer.WriteVarBytes(Encoding.UTF8.GetBytes(text.Length > MaxText ? text[..MaxText] : text));
        lock (_lock)
        {
            using var batch = database.CreateBatch();
            batch.Put(DbColumn.AuditLog, Key(now, _sequence++), writer.ToArray());
            if (now - _lastPrune >= TimeSpan.FromHours(1))
            {
                _lastPrune = now;
                batch.DeleteRange(DbColumn.AuditLog, Key(DateTimeOffset.UnixEpoch, 0), Key(now - Retention, 0));
            }
            database.Commit(batch);
        }
    }

    /// <summary>Up to <paramref name="max"/> entries from <paramref name="since"/> on, of <paramref name="kind"/> when given, oldest first.</summary>
    public IReadOnlyList<AuditEntry> Since(DateTimeOffset since, string? kind = null, int max = MaxQuery)
    {
        var entries = new List<AuditEntry>();
        foreach (var (key, value) in database.IterateFrom(DbColumn.AuditLog, Key(since < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : since, 0)))
        {
            if (entries.Count >= max)
                break;
            var entry = Decode(key, value);
            if (kind is null || string.Equals(entry.Kind, kind, StringComparison.OrdinalIgnoreCase))
                entries.Add(entry);
        }
        return entries;
    }

    private static byte[] Key(DateTimeOffset time, uint sequence)
    {
        var key = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(key, (ulong)time.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(8), sequence);
        return key;
    }

    /// <exception cref="DatabaseCorruptionException">an entry this version did not write.</exception>
    private static AuditEntry Decode(byte[] key, byte[] value)
    {
        try
        {
            var reader = new SpanReader(value);
            if (key.Length != 12 || reader.ReadByte() != Version)
                throw new DecodeException("unknown audit entry version");
            var (kind, subject, message) = (Text(ref reader), Text(ref reader), Text(ref reader));
            reader.EnsureEnd();
            return new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds((long)BinaryPrimitives.ReadUInt64BigEndian(key)), kind, subject, message);
        }
        catch (DecodeException ex)
        {
            throw new DatabaseCorruptionException($"audit log entry {Convert.ToHexStringLower(key)}: {ex.Message}");
        }
    }

    private static string Text(ref SpanReader reader) => Encoding.UTF8.GetString(reader.ReadVarBytes(MaxText * 4));
}
