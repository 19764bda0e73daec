using Xunit.Abstractions;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>Both backends by name, so a theory runs once per backend; libsecp256k1 cases turn
/// into a logged no-op where the library is not installed.</summary>
internal static class TestBackends
{
    public const string BouncyCastle = "bouncycastle";
    public const string Native = "libsecp256k1";
    public const string NotInstalled = "libsecp256k1 is not installed: only the BouncyCastle backend was checked";

    public static TheoryData<string> Names => new() { BouncyCastle, Native };

    /// <summary>Every backend paired with every vector index: the rows of a vector theory.</summary>
    public static TheoryData<string, int> WithVectors(int vectorCount)
    {
        var data = new TheoryData<string, int>();
        foreach (var backend in new[] { BouncyCastle, Native })
        {
            for (var i = 0; i < vectorCount; i++)
                data.Add(backend, i);
        }
        return data;
    }

    /// <summary>The backend, or null (after writing a line to the test output) when it is not installed.</summary>
    public static ISecp256k1Backend? Get(string name, ITestOutputHelper output)
    {
        if (name == BouncyCastle)
            return Secp256k1Backends.BouncyCastle;
        if (Secp256k1Backends.Native is { } native)
            return native;
        output.WriteLine(NotInstalled);
        return null;
    }

    /// <summary>Every installed backend (BouncyCastle first).</summary>
    public static IReadOnlyList<ISecp256k1Backend> Installed(ITestOutputHelper? output = null)
    {
        if (Secp256k1Backends.Native is { } native)
            return [Secp256k1Backends.BouncyCastle, native];
        output?.WriteLine(NotInstalled);
        return [Secp256k1Backends.BouncyCastle];
    }
}

internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
