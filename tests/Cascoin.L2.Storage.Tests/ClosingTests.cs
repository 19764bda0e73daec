using Cascoin.L2.TestKit;
using static Cascoin.L2.Storage.Tests.TestDatabases;

namespace Cascoin.L2.Storage.Tests;

/// <summary>
/// Closing while other threads still use the database (a host stopping while a peer's block is
/// being written): closing waits for what runs, refuses what comes, and never lets RocksDB be used
/// after it closed — which would be a segfault, not an exception.
/// </summary>
public sealed class ClosingTests
{
    [Fact]
    public async Task Closing_waits_for_an_open_iterator_and_refuses_new_operations_meanwhile()
    {
        using var dir = TestDirectory.Create("closing-iterator");
        var db = Open(dir.Path);
        for (byte i = 0; i < 10; i++)
            db.Put(DbColumn.Metadata, Key(0x20, i), [i]);
        var batch = db.CreateBatch();
        var snapshot = db.CreateSnapshot();

        using (var iterator = db.IterateByPrefix(DbColumn.Metadata, Key(0x20)).GetEnumerator())
        {
            Assert.True(iterator.MoveNext());
            var closing = Task.Run(db.Dispose);
            await Task.Delay(300);
            Assert.False(closing.IsCompleted, "the database closed under an open iterator");
            Assert.Throws<ObjectDisposedException>(() => db.Get(DbColumn.Metadata, Key(0x20, 1)));
            Assert.Throws<ObjectDisposedException>(() => batch.Put(DbColumn.Metadata, Key(0x30), [1]));
            // The iterator in hand still reads what it was opened on.
            Assert.True(iterator.MoveNext());
            Assert.Equal([1], iterator.Current.Value);
            iterator.Dispose();
            await closing.WaitAsync(TimeSpan.FromSeconds(10));
        }
        snapshot.Dispose();
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => db.Put(DbColumn.Metadata, Key(0x20), [1]));
        dir.Succeeded();
    }

    [Fact]
    public async Task Readers_and_writers_racing_a_close_end_in_success_or_ObjectDisposedException_and_what_was_written_stays()
    {
        using var dir = TestDirectory.Create("closing-race");
        for (var round = 0; round < 5; round++)
        {
            var db = Open(dir.Path);
            var written = new System.Collections.Concurrent.ConcurrentBag<int>();
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var n = worker * 1_000_000 + round * 100_000 + i;
                    try
                    {
                        using (var batch = db.CreateBatch())
                        {
                            batch.Put(DbColumn.Metadata, BitConverter.GetBytes(n), BitConverter.GetBytes(n));
                            db.Commit(batch);
                        }
                        written.Add(n);
                        db.Get(DbColumn.Metadata, BitConverter.GetBytes(n / 2));
                        db.TrySeek(DbColumn.Metadata, BitConverter.GetBytes(n), [], out _, out _);
                        using var snapshot = db.CreateSnapshot();
                        snapshot.Get(DbColumn.Metadata, BitConverter.GetBytes(n));
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            })).ToArray();
            await Task.Delay(50);
            db.Dispose();
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            using var reopened = Open(dir.Path);
            Assert.NotEmpty(written);
            Assert.All(written, n => Assert.Equal(BitConverter.GetBytes(n), reopened.Get(DbColumn.Metadata, BitConverter.GetBytes(n))));
        }
        dir.Succeeded();
    }
}
