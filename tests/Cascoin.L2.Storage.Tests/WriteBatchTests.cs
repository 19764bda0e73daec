using Cascoin.L2.TestKit;
using static Cascoin.L2.Storage.Tests.TestDatabases;

namespace Cascoin.L2.Storage.Tests;

public class WriteBatchTests
{
    [Fact]
    public void Nothing_of_a_batch_is_visible_before_Commit_and_everything_after()
    {
        using var dir = TestDirectory.Create("batch-commit");
        using (var db = Open(dir.Path))
        {
            db.Put(DbColumn.Metadata, Key(0x10, 0), [0]);
            db.Put(DbColumn.Metadata, Key(0x10, 9), [9]);

            using var batch = db.CreateBatch();
            batch.Put(DbColumn.Metadata, Key(0x10, 1), [1])
                .Put(DbColumn.Metadata, Key(0x10, 2), [2])
                .Put(DbColumn.Metadata, Key(0x10, 3), 7UL, UInt64Codec.Instance)
                .Delete(DbColumn.Metadata, Key(0x10, 9))
                .Put(DbColumn.Metadata, Key(0x10, 0), [0xee]);
            Assert.Equal(5, batch.Count);

            Assert.Null(db.Get(DbColumn.Metadata, Key(0x10, 1)));
            Assert.Equal(new byte[] { 9 }, db.Get(DbColumn.Metadata, Key(0x10, 9)));
            Assert.Equal(new byte[] { 0 }, db.Get(DbColumn.Metadata, Key(0x10, 0)));

            db.Commit(batch);

            Assert.Equal(["1000", "1001", "1002", "1003"], HexKeys(db.IterateByPrefix(DbColumn.Metadata, [0x10])));
            Assert.Equal(new byte[] { 0xee }, db.Get(DbColumn.Metadata, Key(0x10, 0)));
            Assert.Equal(new byte[] { 1 }, db.Get(DbColumn.Metadata, Key(0x10, 1)));
            Assert.Equal(new byte[] { 2 }, db.Get(DbColumn.Metadata, Key(0x10, 2)));
            Assert.True(db.TryGet(DbColumn.Metadata, Key(0x10, 3), UInt64Codec.Instance, out var typed));
            Assert.Equal(7UL, typed);
            Assert.Null(db.Get(DbColumn.Metadata, Key(0x10, 9)));
        }
        dir.Succeeded();
    }

    [Fact]
    public void Within_a_batch_the_later_operation_on_a_key_wins()
    {
        using var dir = TestDirectory.Create("batch-order");
        using (var db = Open(dir.Path))
        {
            using var batch = db.CreateBatch();
            batch.Put(DbColumn.Metadata, Key(0x10, 1), [1])
                .Delete(DbColumn.Metadata, Key(0x10, 1))
                .Put(DbColumn.Metadata, Key(0x10, 2), [1])
                .Delete(DbColumn.Metadata, Key(0x10, 2))
                .Put(DbColumn.Metadata, Key(0x10, 2), [2]);
            db.Commit(batch);

            Assert.Null(db.Get(DbColumn.Metadata, Key(0x10, 1)));
            Assert.Equal(new byte[] { 2 }, db.Get(DbColumn.Metadata, Key(0x10, 2)));
        }
        dir.Succeeded();
    }

    [Fact]
    public void A_batch_disposed_without_Commit_writes_nothing_even_after_reopen()
    {
        using var dir = TestDirectory.Create("batch-abandoned");
        using (var db = Open(dir.Path))
        {
            db.Put(DbColumn.Metadata, Key(0x10, 5), [5]);
            using (var batch = db.CreateBatch())
            {
                batch.Put(DbColumn.Metadata, Key(0x10, 1), [1]);
                batch.Delete(DbColumn.Metadata, Key(0x10, 5));
                Assert.Equal(2, batch.Count);
            }
            Assert.Equal(["1005"], HexKeys(db.IterateByPrefix(DbColumn.Metadata, [0x10])));
        }
        using (var db = Open(dir.Path))
        {
            Assert.Equal(["1005"], HexKeys(db.IterateByPrefix(DbColumn.Metadata, [0x10])));
        }
        dir.Succeeded();
    }

    [Fact]
    public void Committing_a_batch_of_another_database_is_refused()
    {
        using var dirA = TestDirectory.Create("batch-owner-a");
        using var dirB = TestDirectory.Create("batch-owner-b");
        using (var a = Open(dirA.Path))
        using (var b = Open(dirB.Path))
        {
            using var batch = a.CreateBatch();
            batch.Put(DbColumn.Metadata, Key(0x10, 1), [1]);
            Assert.Throws<ArgumentException>(() => b.Commit(batch));
            Assert.Null(b.Get(DbColumn.Metadata, Key(0x10, 1)));
            Assert.Null(a.Get(DbColumn.Metadata, Key(0x10, 1)));
        }
        dirA.Succeeded();
        dirB.Succeeded();
    }

    [Fact]
    public async Task A_reader_never_sees_half_a_committed_batch()
    {
        // Every batch sets both keys to the same counter; a snapshot taken at any moment must see them equal.
        const int Commits = 1500;
        using var dir = TestDirectory.Create("batch-atomic");
        using (var db = Open(dir.Path))
        {
            Write(db, 0);
            using var done = new CancellationTokenSource();
            var reader = Task.Run(() =>
            {
                var observations = 0;
                var lastSeen = 0UL;
                while (!done.IsCancellationRequested || observations == 0)
                {
                    using var snapshot = db.CreateSnapshot();
                    Assert.True(snapshot.TryGet(DbColumn.Metadata, Key(0x10, 0xa), UInt64Codec.Instance, out var first));
                    Assert.True(snapshot.TryGet(DbColumn.Metadata, Key(0x10, 0xb), UInt64Codec.Instance, out var second));
                    Assert.Equal(first, second);
                    Assert.True(first >= lastSeen, "commits are seen in order");
                    lastSeen = first;
                    observations++;
                }
                return observations;
            });

            for (var i = 1UL; i <= Commits; i++)
                Write(db, i);
            await done.CancelAsync();
            var observed = await reader;

            Assert.True(observed > 0);
            Assert.True(db.TryGet(DbColumn.Metadata, Key(0x10, 0xa), UInt64Codec.Instance, out var final));
            Assert.Equal((ulong)Commits, final);
        }
        dir.Succeeded();

        static void Write(NodeDatabase db, ulong counter)
        {
            using var batch = db.CreateBatch();
            batch.Put(DbColumn.Metadata, Key(0x10, 0xa), counter, UInt64Codec.Instance);
            batch.Put(DbColumn.Metadata, Key(0x10, 0xb), counter, UInt64Codec.Instance);
            db.Commit(batch);
        }
    }
}
