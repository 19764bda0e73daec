namespace Cascoin.L2.Storage;

/// <summary>
/// An exclusive lock on a data directory, held for the life of the daemon, so that a second
/// process can never open the same databases. The lock is an OS file lock on <c>.lock</c>
/// (released by the kernel even if the process is killed); the file is removed on a clean stop.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private DataDirectoryLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    public static DataDirectoryLock Acquire(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, FileName);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush();
            return new DataDirectoryLock(path, stream);
        }
        catch (IOException ex)
        {
            throw new DataDirectoryLockedException(
                $"Cannot obtain a lock on data directory {directory}. cascoind is probably already running.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DataDirectoryLockedException($"Cannot write the lock file {path}: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        // Delete while still holding the lock, so no other process can take it in between and lose its file.
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // The lock is released below either way; a stale empty file does no harm.
        }
        _stream.Dispose();
    }
}
