using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>Published SHA-256 vectors (FIPS 180-2 appendix B, NIST CAVS) through <see cref="Sha256Fast"/>, on whichever
/// backend loaded; each test writes the backend to its output.</summary>
public class Sha256FastTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> ShortVectors => new()
    {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        {
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        },
    };

    private void LogBackend() => output.WriteLine($"SHA-256 backend: {Sha256Fast.Backend} (native: {Sha256Fast.IsNative})");

    [Theory]
    [MemberData(nameof(ShortVectors))]
    public void Hash_matches_the_published_vector(string text, string expected)
    {
        LogBackend();
        var data = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Hex.Of(Sha256Fast.Hash(data)));
        Span<byte> digest = stackalloc byte[32];
        Sha256Fast.Hash(data, digest);
        Assert.Equal(expected, Hex.Of(digest));
        Assert.Equal(expected, Hex.Of(Hashes.Sha256(data)));
    }

    [Theory]
    [MemberData(nameof(ShortVectors))]
    public void Concatenating_overloads_match_the_published_vector_at_every_split(string text, string expected)
    {
        LogBackend();
        var data = Encoding.ASCII.GetBytes(text);
        var digest = new byte[32];
        for (var i = 0; i <= data.Length; i++)
        {
            Sha256Fast.Hash(data.AsSpan(0, i), data.AsSpan(i), digest);
            Assert.Equal(expected, Hex.Of(digest));
            for (var j = i; j <= data.Length; j++)
            {
                Sha256Fast.Hash(data.AsSpan(0, i), data.AsSpan(i, j - i), data.AsSpan(j), digest);
                Assert.Equal(expected, Hex.Of(digest));
            }
            if (data.Length > 0 && i >= 1)
            {
                Sha256Fast.Hash(data[0], data.AsSpan(1, i - 1), data.AsSpan(i), digest);
                Assert.Equal(expected, Hex.Of(digest));
            }
        }
    }

    [Fact]
    public void Hash_of_a_million_a_matches_the_published_vector()
    {
        LogBackend();
        var data = new byte[1_000_000];
        data.AsSpan().Fill((byte)'a');
        const string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        Assert.Equal(expected, Hex.Of(Sha256Fast.Hash(data)));
        var digest = new byte[32];
        Sha256Fast.Hash((byte)'a', data.AsSpan(1, 499_999), data.AsSpan(500_000), digest);
        Assert.Equal(expected, Hex.Of(digest));
        Sha256Fast.HashManaged(data.AsSpan(0, 1), data.AsSpan(1, 499_999), data.AsSpan(500_000), digest);
        Assert.Equal(expected, Hex.Of(digest));
    }

    [Fact]
    public void Hash_agrees_with_the_framework_at_every_length_around_block_and_gather_boundaries()
    {
        LogBackend();
        var data = new byte[600];
        new Random(256).NextBytes(data);
        var digest = new byte[32];
        var concatenated = new byte[32];
        for (var length = 0; length <= data.Length; length++)
        {
            var message = data.AsSpan(0, length);
            var expected = SHA256.HashData(message);
            Sha256Fast.Hash(message, digest);
            Assert.Equal(expected, digest);
            if (length == 0)
                continue;
            Sha256Fast.Hash(message[0], message[1..(length / 2 + 1)], message[(length / 2 + 1)..], concatenated);
            Assert.Equal(expected, concatenated);
        }
    }

    [Fact]
    public void Output_may_be_longer_than_32_bytes_and_only_its_first_32_are_written()
    {
        var output = new byte[40];
        output.AsSpan().Fill(0xee);
        Sha256Fast.Hash("abc"u8, output);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex.Of(output.AsSpan(0, 32)));
        Assert.All(output[32..], b => Assert.Equal(0xee, b));
        Sha256Fast.Hash(1, "ab"u8, "c"u8, output);
        Assert.All(output[32..], b => Assert.Equal(0xee, b));
    }

    [Fact]
    public void A_short_output_is_refused()
    {
        var shortOutput = new byte[31];
        Assert.Throws<ArgumentException>(() => Sha256Fast.Hash("abc"u8, shortOutput));
        Assert.Throws<ArgumentException>(() => Sha256Fast.Hash("a"u8, "bc"u8, shortOutput));
        Assert.Throws<ArgumentException>(() => Sha256Fast.Hash(0x01, "a"u8, "bc"u8, shortOutput));
        Assert.Throws<ArgumentException>(() => Sha256Fast.HashManaged("a"u8, "b"u8, "c"u8, shortOutput));
        Assert.Throws<ArgumentException>(() => Hashes.Sha256("abc"u8, shortOutput));
    }

    [Fact]
    public void Output_may_overlap_the_input()
    {
        var buffer = Encoding.ASCII.GetBytes("abc".PadRight(64, 'x'));
        var expected = SHA256.HashData(buffer);
        Sha256Fast.Hash(buffer, buffer);
        Assert.Equal(expected, buffer[..32]);
    }

    [Fact]
    public void Backend_is_named_and_native_where_libcrypto_is_installed()
    {
        LogBackend();
        Assert.Equal(Sha256Fast.IsNative, Sha256Fast.Backend.StartsWith("openssl (", StringComparison.Ordinal));
        if (!Sha256Fast.IsNative)
            Assert.Equal("managed", Sha256Fast.Backend);
        // .NET on Linux needs libcrypto itself, so there the fast path must have loaded.
        if (OperatingSystem.IsLinux())
            Assert.True(Sha256Fast.IsNative, "libcrypto did not load on Linux");
    }

    [Fact]
    public void Hashing_from_many_threads_at_once_agrees_with_the_framework()
    {
        LogBackend();
        var failures = 0;
        Parallel.For(0, 8, worker =>
        {
            var random = new Random(worker);
            var digest = new byte[32];
            for (var i = 0; i < 2_000; i++)
            {
                var data = new byte[random.Next(0, 200)];
                random.NextBytes(data);
                Sha256Fast.Hash(data, digest);
                if (!digest.AsSpan().SequenceEqual(SHA256.HashData(data)))
                    Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }
}
