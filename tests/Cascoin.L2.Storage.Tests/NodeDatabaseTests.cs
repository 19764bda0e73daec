using System.Buffers.Binary;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using static Cascoin.L2.Storage.Tests.TestDatabases;

namespace Cascoin.L2.Storage.Tests;

public class NodeDatabaseTests
{
    private static readonly byte[] SchemaVersionKey = "schema_version"u8.ToArray();

    [Fact]
    public void Put_then_Get_returns_the_value_and_Delete_removes_it()
    {
        using var dir = TestDirectory.Create("db-put-get");
        using (var db = Open(dir.Path))
        {
            var key = Key(0x10, 0x01);
            Assert.Null(db.Get(DbColumn.Metadata, key));
            Assert.False(db.Contains(DbColumn.Metadata, key));

            db.Put(DbColumn.Metadata, key, [1, 2, 3]);
            Assert.Equal(new byte[] { 1, 2, 3 }, db.Get(DbColumn.Metadata, key));
            Assert.True(db.Contains(DbColumn.Metadata, key));

            db.Put(DbColumn.Metadata, key, [9]);
            Assert.Equal(new byte[] { 9 }, db.Get(DbColumn.Metadata, key));

            db.Delete(DbColumn.Metadata, key);
            Assert.Null(db.Get(DbColumn.Metadata, key));
            Assert.False(db.Contains(DbColumn.Metadata, key));

            // Deleting a missing key is not an error.
            db.Delete(DbColumn.Metadata, key);
            Assert.Null(db.Get(DbColumn.Metadata, key));
        }
        dir.Succeeded();
    }

    [Fact]
    public void An_empty_value_is_stored_and_distinct_from_a_missing_key()
    {
        using var dir = TestDirectory.Create("db-empty-value");
        using (var db = Open(dir.Path))
        {
            db.Put(DbColumn.Metadata, Key(0x10), []);
            Assert.Equal(Array.Empty<byte>(), db.Get(DbColumn.Metadata, Key(0x10)));
            Assert.True(db.Contains(DbColumn.Metadata, Key(0x10)));
        }
        dir.Succeeded();
    }

    [Fact]
    public void Typed_Put_and_TryGet_round_trip_through_the_codec()
    {
        using var dir = TestDirectory.Create("db-typed");
        using (var db = Open(dir.Path))
        {
            db.Put(DbColumn.Metadata, Key(0x10, 0x02), 0xdead_beef_0000_0001UL, UInt64Codec.Instance);
            Assert.True(db.TryGet(DbColumn.Metadata, Key(0x10, 0x02), UInt64Codec.Instance, out var value));
            Assert.Equal(0xdead_beef_0000_0001UL, value);

            Assert.False(db.TryGet(DbColumn.Metadata, Key(0x10, 0x03), UInt64Codec.Instance, out var missing));
            Assert.Equal(0UL, missing);
        }
        dir.Succeeded();
    }

    [Fact]
    public void TryGet_reports_a_record_the_codec_rejects_as_corruption_naming_column_and_hex_key()
    {
        using var dir = TestDirectory.Create("db-corrupt-record");
        using (var db = Open(dir.Path))
        {
            var key = Key(0x10, 0xab, 0xff, 0x00);
            db.Put(DbColumn.Metadata, key, [1, 2, 3]);

            var ex = Assert.Throws<DatabaseCorruptionException>(() => db.TryGet(DbColumn.Metadata, key, new RejectingCodec(), out _));
            Assert.Contains("Metadata", ex.Message, StringComparison.Ordinal);
            Assert.Contains("10abff00", ex.Message, StringComparison.Ordinal);
            Assert.Contains(RejectingCodec.Reason, ex.Message, StringComparison.Ordinal);
            Assert.IsType<FormatException>(ex.InnerException);

            using var snapshot = db.CreateSnapshot();
            var fromSnapshot = Assert.Throws<DatabaseCorruptionException>(() => snapshot.TryGet(DbColumn.Metadata, key, new RejectingCodec(), out _));
            Assert.Contains("10abff00", fromSnapshot.Message, StringComparison.Ordinal);
        }
        dir.Succeeded();
    }

    [Fact]
    public void A_record_of_the_wrong_length_for_a_SpanReader_codec_is_corruption()
    {
        using var dir = TestDirectory.Create("db-decode-exception");
        using (var db = Open(dir.Path))
        {
            // 9 bytes: a ulong and one trailing byte, which SpanReader.EnsureEnd rejects with DecodeException.
            db.Put(DbColumn.Metadata, Key(0x10, 0x07), new byte[9]);
            db.Put(DbColumn.Metadata, Key(0x10, 0x08), new byte[3]);

            var trailing = Assert.Throws<DatabaseCorruptionException>(() => db.TryGet(DbColumn.Metadata, Key(0x10, 0x07), UInt64Codec.Instance, out _));
            Assert.IsType<DecodeException>(trailing.InnerException);
            Assert.Contains("1007", trailing.Message, StringComparison.Ordinal);

            var truncated = Assert.Throws<DatabaseCorruptionException>(() => db.TryGet(DbColumn.Metadata, Key(0x10, 0x08), UInt64Codec.Instance, out _));
            Assert.IsType<DecodeException>(truncated.InnerException);
        }
        dir.Succeeded();
    }

    [Fact]
    public void Data_survives_dispose_and_reopen()
    {
        using var dir = TestDirectory.Create("db-reopen");
        using (var db = Open(dir.Path))
        {
            db.Put(DbColumn.Metadata, Key(0x10, 1), [0xaa]);
            db.Put(DbColumn.Metadata, Key(0x10, 2), [0xbb]);
            db.Delete(DbColumn.Metadata, Key(0x10, 2));
            using var batch = db.CreateBatch();
            batch.Put(DbColumn.Metadata, Key(0x10, 3), [0xcc]);
            db.Commit(batch);
        }
        using (var db = Open(dir.Path))
        {
            Assert.Equal(new byte[] { 0xaa }, db.Get(DbColumn.Metadata, Key(0x10, 1)));
            Assert.Null(db.Get(DbColumn.Metadata, Key(0x10, 2)));
            Assert.Equal(new byte[] { 0xcc }, db.Get(DbColumn.Metadata, Key(0x10, 3)));
            Assert.Equal(NodeDatabase.CurrentSchemaVersion, db.SchemaVersion);
        }
        dir.Succeeded();
    }

    [Fact]
    public void Dispose_twice_is_harmless_and_use_after_dispose_throws_ObjectDisposedException()
    {
        using var dir = TestDirectory.Create("db-disposed");
        var db = Open(dir.Path);
        db.Dispose();
        db.Dispose();
        Assert.Throws<ObjectDisposedException>(() => db.Get(DbColumn.Metadata, Key(0x10)));
        Assert.Throws<ObjectDisposedException>(() => db.Put(DbColumn.Metadata, Key(0x10), [1]));
        Assert.Throws<ObjectDisposedException>(() => db.CreateBatch());
        Assert.Throws<ObjectDisposedException>(() => db.CreateSnapshot());
        dir.Succeeded();
    }

    [Fact]
    public void A_new_database_gets_the_current_schema_version_written_as_4_bytes_big_endian()
    {
        using var dir = TestDirectory.Create("db-schema-new");
        using (var db = Open(dir.Path))
        {
            Assert.Equal(NodeDatabase.CurrentSchemaVersion, db.SchemaVersion);
            var stored = db.Get(DbColumn.Metadata, SchemaVersionKey);
            Assert.NotNull(stored);
            Assert.Equal(4, stored.Length);
            Assert.Equal(NodeDatabase.CurrentSchemaVersion, BinaryPrimitives.ReadUInt32BigEndian(stored));
        }
        dir.Succeeded();
    }

    [Fact]
    public void A_newer_stored_schema_version_refuses_to_open()
    {
        using var dir = TestDirectory.Create("db-schema-newer");
        WriteSchemaRecord(dir.Path, BigEndian(NodeDatabase.CurrentSchemaVersion + 1));

        var ex = Assert.Throws<DatabaseVersionException>(() => Open(dir.Path));
        Assert.Contains((NodeDatabase.CurrentSchemaVersion + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);

        // The failed open closed the database again: a second attempt gives the same answer, not a RocksDB lock error.
        Assert.Throws<DatabaseVersionException>(() => Open(dir.Path));
        dir.Succeeded();
    }

    [Fact]
    public void An_older_stored_schema_version_without_migration_refuses_to_open()
    {
        using var dir = TestDirectory.Create("db-schema-older");
        WriteSchemaRecord(dir.Path, BigEndian(NodeDatabase.CurrentSchemaVersion - 1));
        Assert.Throws<DatabaseVersionException>(() => Open(dir.Path));
        dir.Succeeded();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void A_schema_record_of_the_wrong_length_is_corruption(int length)
    {
        using var dir = TestDirectory.Create("db-schema-length");
        WriteSchemaRecord(dir.Path, new byte[length]);

        var ex = Assert.Throws<DatabaseCorruptionException>(() => Open(dir.Path));
        Assert.Contains("schema_version", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"found {length}", ex.Message, StringComparison.Ordinal);
        dir.Succeeded();
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static void WriteSchemaRecord(string path, byte[] value)
    {
        using var db = Open(path);
        db.Put(DbColumn.Metadata, SchemaVersionKey, value);
    }
}
