using Xunit.Abstractions;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>Public keys of the private keys 1, 2 and 3: G, 2G and 3G (SEC 2 and every Bitcoin test suite).</summary>
public class KnownPointTests(ITestOutputHelper output)
{
    private const string G = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private const string GUncompressed = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                                         + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

    public static TheoryData<string, int, string> Cases
    {
        get
        {
            var data = new TheoryData<string, int, string>();
            foreach (var backend in TestBackends.Names)
            {
                data.Add(backend, 1, G);
                data.Add(backend, 2, "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5");
                data.Add(backend, 3, "02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Public_key_of_small_private_key_is_the_known_point(string backendName, int scalar, string expected)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var key = new byte[32];
        key[31] = (byte)scalar;
        var publicKey = new byte[33];
        backend.GetPublicKey(key, publicKey);
        Assert.Equal(expected, Hex.Of(publicKey));

        using var privateKey = PrivateKey.FromBytes(key, backend);
        Assert.NotNull(privateKey);
        Assert.Equal(expected, privateKey.PublicKey.ToString());
    }

    [Theory]
    [MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void Uncompressed_generator_normalises_to_its_compressed_form(string backendName)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var compressed = new byte[33];
        Assert.True(backend.TryNormalizePublicKey(Hex.Bytes(GUncompressed), compressed));
        Assert.Equal(G, Hex.Of(compressed));
        Assert.True(backend.TryNormalizePublicKey(Hex.Bytes(G), compressed));
        Assert.Equal(G, Hex.Of(compressed));
    }

    [Theory]
    [MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void Malformed_public_keys_are_refused(string backendName)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var output33 = new byte[33];
        var uncompressed = Hex.Bytes(GUncompressed);

        // Hybrid encodings (06/07 + x + y) are valid for libsecp256k1 and OpenSSL, not for us.
        var hybrid = (byte[])uncompressed.Clone();
        hybrid[0] = 0x06; // y of G is even
        Assert.False(backend.TryNormalizePublicKey(hybrid, output33));

        var offCurve = (byte[])uncompressed.Clone();
        offCurve[64] ^= 1;
        Assert.False(backend.TryNormalizePublicKey(offCurve, output33));

        // x = p: out of the field.
        var xIsP = Hex.Bytes("02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        Assert.False(backend.TryNormalizePublicKey(xIsP, output33));

        // x = 5: 5³ + 7 = 132 is not a square mod p, so no point has this x.
        var noPoint = new byte[33];
        noPoint[0] = 0x02;
        noPoint[32] = 5;
        Assert.False(backend.TryNormalizePublicKey(noPoint, output33));

        Assert.False(backend.TryNormalizePublicKey([], output33));
        Assert.False(backend.TryNormalizePublicKey(Hex.Bytes(G).AsSpan(0, 32), output33));
        Assert.False(backend.TryNormalizePublicKey(new byte[33], output33));
        var wrongPrefix = Hex.Bytes(G);
        wrongPrefix[0] = 0x04;
        Assert.False(backend.TryNormalizePublicKey(wrongPrefix, output33));
    }
}
