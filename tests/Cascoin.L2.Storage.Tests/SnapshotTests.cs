using Cascoin.L2.TestKit;
using static Cascoin.L2.Storage.Tests.TestDatabases;

namespace Cascoin.L2.Storage.Tests;

public class SnapshotTests
{
    [Fact]
    public void A_snapshot_does_not_see_later_puts_overwrites_deletes_or_batches()
    {
        using var dir = TestDirectory.Create("snapshot");
        using (var db = Open(dir.Path))
        {
            db.Put(DbColumn.Metadata, Key(0x10, 1), [1]);
            db.Put(DbColumn.Metadata, Key(0x10, 2), [2]);
            db.Put(DbColumn.Metadata, Key(0x10, 3), 3UL, UInt64Codec.Instance);

            using var snapshot = db.CreateSnapshot();

            db.Put(DbColumn.Metadata, Key(0x10, 1), [0x11]);
            db.Delete(DbColumn.Metadata, Key(0x10, 2));
            db.Put(DbColumn.Metadata, Key(0x10, 4), [4]);
            using (var batch = db.CreateBatch())
            {
                batch.Put(DbColumn.Metadata, Key(0x10, 3), 33UL, UInt64Codec.Instance);
                batch.Put(DbColumn.Metadata, Key(0x10, 5), [5]);
                db.Commit(batch);
            }

            Assert.Equal(new byte[] { 1 }, snapshot.Get(DbColumn.Metadata, Key(0x10, 1)));
            Assert.Equal(new byte[] { 2 }, snapshot.Get(DbColumn.Metadata, Key(0x10, 2)));
            Assert.Null(snapshot.Get(DbColumn.Metadata, Key(0x10, 4)));
            Assert.True(snapshot.TryGet(DbColumn.Metadata, Key(0x10, 3), UInt64Codec.Instance, out var old));
            Assert.Equal(3UL, old);
            Assert.False(snapshot.TryGet(DbColumn.Metadata, Key(0x10, 5), UInt64Codec.Instance, out _));
            Assert.Equal(["1001", "1002", "1003"], HexKeys(snapshot.IterateByPrefix(DbColumn.Metadata, [0x10])));

            // The live view has all of the later writes.
            Assert.Equal(new byte[] { 0x11 }, db.Get(DbColumn.Metadata, Key(0x10, 1)));
            Assert.Equal(["1001", "1003", "1004", "1005"], HexKeys(db.IterateByPrefix(DbColumn.Metadata, [0x10])));
            Assert.True(db.TryGet(DbColumn.Metadata, Key(0x10, 3), UInt64Codec.Instance, out var current));
            Assert.Equal(33UL, current);
        }
        dir.Succeeded();
    }

    [Fact]
    public void Two_snapshots_each_keep_their_own_moment()
    {
        using var dir = TestDirectory.Create("snapshot-two");
        using (var db = Open(dir.Path))
        {
            db.Put(DbColumn.Metadata, Key(0x10), [1]);
            using var first = db.CreateSnapshot();
            db.Put(DbColumn.Metadata, Key(0x10), [2]);
            using var second = db.CreateSnapshot();
            db.Put(DbColumn.Metadata, Key(0x10), [3]);

            Assert.Equal(new byte[] { 1 }, first.Get(DbColumn.Metadata, Key(0x10)));
            Assert.Equal(new byte[] { 2 }, second.Get(DbColumn.Metadata, Key(0x10)));
            Assert.Equal(new byte[] { 3 }, db.Get(DbColumn.Metadata, Key(0x10)));
        }
        dir.Succeeded();
    }

    [Fact]
    public void A_snapshot_iterator_started_before_writes_keeps_the_old_view_while_enumerating()
    {
        using var dir = TestDirectory.Create("snapshot-iterate");
        using (var db = Open(dir.Path))
        {
            for (byte i = 0; i < 10; i++)
                db.Put(DbColumn.Metadata, Key(0x10, i), [i]);
            using var snapshot = db.CreateSnapshot();

            var seen = new List<string>();
            foreach (var record in snapshot.IterateByPrefix(DbColumn.Metadata, [0x10]))
            {
                seen.Add(Convert.ToHexStringLower(record.Key));
                // Writes during the enumeration, including one just ahead of the cursor.
                db.Delete(DbColumn.Metadata, Key(0x10, (byte)(record.Key[1] + 1)));
                db.Put(DbColumn.Metadata, Key(0x10, (byte)(record.Key[1] + 20)), [0]);
            }
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"10{i:x2}"), seen);
        }
        dir.Succeeded();
    }
}
