using System.Globalization;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Storage.Tests;

public class DataDirectoryLockTests
{
    private static readonly string PidLine = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";

    [Fact]
    public void Acquire_creates_the_lock_file_holding_this_process_id()
    {
        using var dir = TestDirectory.Create("lock-file");
        using (var held = DataDirectoryLock.Acquire(dir.Path))
        {
            Assert.Equal(dir.Combine(DataDirectoryLock.FileName), held.Path);
            Assert.True(File.Exists(held.Path));
            // The holder's exclusive lock keeps other handles out (even read-only ones), so check the size: "<pid>\n".
            Assert.Equal(PidLine.Length, new FileInfo(held.Path).Length);
        }
        dir.Succeeded();
    }

    [Fact]
    public void Acquire_creates_a_missing_directory()
    {
        using var dir = TestDirectory.Create("lock-mkdir");
        var nested = dir.Combine("a", "b");
        using (DataDirectoryLock.Acquire(nested))
            Assert.True(File.Exists(Path.Combine(nested, DataDirectoryLock.FileName)));
        dir.Succeeded();
    }

    [Fact]
    public void A_second_Acquire_on_the_same_directory_fails_while_the_first_is_held()
    {
        using var dir = TestDirectory.Create("lock-exclusive");
        using (DataDirectoryLock.Acquire(dir.Path))
        {
            var ex = Assert.Throws<DataDirectoryLockedException>(() => DataDirectoryLock.Acquire(dir.Path));
            Assert.Contains("Cannot obtain a lock", ex.Message, StringComparison.Ordinal);
            Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
            // A failed attempt must not disturb the holder's lock.
            Assert.Throws<DataDirectoryLockedException>(() => DataDirectoryLock.Acquire(dir.Path));
        }
        dir.Succeeded();
    }

    [Fact]
    public void Dispose_deletes_the_lock_file_and_releases_the_lock()
    {
        using var dir = TestDirectory.Create("lock-release");
        var first = DataDirectoryLock.Acquire(dir.Path);
        first.Dispose();
        Assert.False(File.Exists(dir.Combine(DataDirectoryLock.FileName)));

        using (var second = DataDirectoryLock.Acquire(dir.Path))
        {
            Assert.True(File.Exists(second.Path));
            Assert.Throws<DataDirectoryLockedException>(() => DataDirectoryLock.Acquire(dir.Path));
        }
        Assert.False(File.Exists(dir.Combine(DataDirectoryLock.FileName)));
        dir.Succeeded();
    }

    [Fact]
    public void Locks_on_different_directories_are_independent()
    {
        using var dir = TestDirectory.Create("lock-independent");
        using var a = DataDirectoryLock.Acquire(dir.Combine("a"));
        using var b = DataDirectoryLock.Acquire(dir.Combine("b"));
        Assert.NotEqual(a.Path, b.Path);
        Assert.True(File.Exists(a.Path));
        Assert.True(File.Exists(b.Path));
        dir.Succeeded();
    }

    [Fact]
    public void A_stale_lock_file_left_by_a_killed_process_does_not_block()
    {
        using var dir = TestDirectory.Create("lock-stale");
        File.WriteAllText(dir.Combine(DataDirectoryLock.FileName), "99999999999999999999\n");
        using (var held = DataDirectoryLock.Acquire(dir.Path))
        {
            // The old, longer content was replaced by this process's id, not overwritten in place.
            Assert.Equal(PidLine.Length, new FileInfo(held.Path).Length);
        }
        Assert.False(File.Exists(dir.Combine(DataDirectoryLock.FileName)));
        dir.Succeeded();
    }
}
