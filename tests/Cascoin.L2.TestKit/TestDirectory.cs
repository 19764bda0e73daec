namespace Cascoin.L2.TestKit;

/// <summary>
/// A fresh temporary directory for one test. It is deleted only when the test calls
/// <see cref="Succeeded"/>, so a failed run keeps its data directory and logs for inspection.
/// </summary>
public sealed class TestDirectory : IDisposable
{
    private bool _succeeded;

    private TestDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static TestDirectory Create(string name)
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cascoin-tests");
        var path = System.IO.Path.Combine(root, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return new TestDirectory(path);
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Marks the test as passed: the directory is removed on dispose.</summary>
    public void Succeeded() => _succeeded = true;

    public void Dispose()
    {
        if (!_succeeded)
            return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that is still exiting may hold a file; the OS temp cleaner will get it.
        }
    }

    public override string ToString() => Path;
}
