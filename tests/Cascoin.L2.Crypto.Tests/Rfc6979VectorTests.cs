using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Utilities;
using Xunit.Abstractions;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>
/// The secp256k1 / SHA-256 RFC 6979 vectors Bitcoin libraries share (bitcointalk topic 285142,
/// Trezor, CoreBitcoin): the message is SHA-256 hashed once, k is the first nonce, (r, s) the
/// low-S signature.
/// </summary>
public class Rfc6979VectorTests(ITestOutputHelper output)
{
    private const string Order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    public sealed record Vector(string PrivateKey, string Message, string K, string R, string S);

    private static readonly Vector[] Vectors =
    [
        new("0000000000000000000000000000000000000000000000000000000000000001",
            "Satoshi Nakamoto",
            "8f8a276c19f4149656b280621e358cce24f5f52542772691ee69063b74f15d15",
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8",
            "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"),
        new("0000000000000000000000000000000000000000000000000000000000000001",
            "All those moments will be lost in time, like tears in rain. Time to die...",
            "38aa22d72376b4dbc472e06c3ba403ee0a394da63fc58d88686c611aba98d6b3",
            "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b",
            "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"),
        new("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
            "Satoshi Nakamoto",
            "33a19b60e25fb6f4435af53a3d42d493644827367e6453928554f43e49aa6f90",
            "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0",
            "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"),
        new("f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181",
            "Alan Turing",
            "525a82b70e67874398067543fd84c83d30c175fdc45fdeee082fe13b1d7cfdf1",
            "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c",
            "58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"),
        new("e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2",
            "There is a computer disease that anybody who works with computers knows about. It's a very serious disease and it interferes completely with the work. The trouble with computers is that you 'play' with them!",
            "1f4b84c23a86a221d233f2521be018d9318639d5b8bbd6374a8a59232d16ad3d",
            "b552edd27580141f3b2a5463048cb7cd3e047b97c9f98076c32dbdf85a68718b",
            "279fa72dd19bfae05577e06c7c0c1900c371fcd5893f7e1d56a37d30174671f6"),
        new("cca9fbcc1b41e5a95d369eaa6ddcff73b61a4efaa279cfc6567e8daa39cbaf50",
            "sample",
            "2df40ca70e639d89528a6b670d9d48d9165fdc0febc0974056bdce192b8e16a3",
            "af340daf02cc15c8d5d08d7735dfe6b98a474ed373bdb5fbecf7571be52b3842",
            "5009fb27f37034a9b24b707b7c6b79ca23ddef9e25f7282e8a797efe53a8f124"),
    ];

    public static TheoryData<string, int> BackendAndVector => TestBackends.WithVectors(Vectors.Length);

    public static TheoryData<int> VectorIndexes
    {
        get
        {
            var data = new TheoryData<int>();
            for (var i = 0; i < Vectors.Length; i++)
                data.Add(i);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BackendAndVector))]
    public void Signature_matches_published_r_and_low_s(string backendName, int index)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var vector = Vectors[index];
        var key = Hex.Bytes(vector.PrivateKey);
        var hash = Hashes.Sha256(Encoding.ASCII.GetBytes(vector.Message));

        var signature = new byte[65];
        backend.SignRecoverable(hash, key, signature);

        Assert.InRange(signature[0], 31, 34);
        Assert.Equal(vector.R, Hex.Of(signature.AsSpan(1, 32)));
        Assert.Equal(vector.S, Hex.Of(signature.AsSpan(33, 32)));

        var publicKey = new byte[33];
        backend.GetPublicKey(key, publicKey);
        Assert.True(backend.Verify(hash, signature.AsSpan(1), publicKey));
        var recovered = new byte[33];
        Assert.True(backend.TryRecover(hash, signature, recovered));
        Assert.Equal(publicKey, recovered);
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Managed_nonce_stream_starts_with_the_published_k(int index)
    {
        var vector = Vectors[index];
        var hash = Hashes.Sha256(Encoding.ASCII.GetBytes(vector.Message));
        var nonce = new byte[32];
        Rfc6979Nonce.Candidate(Hex.Bytes(vector.PrivateKey), hash, 0, nonce);
        Assert.Equal(vector.K, Hex.Of(nonce));

        var calculator = new HMacDsaKCalculator(new Sha256Digest());
        calculator.Init(new BigInteger(Order, 16), new BigInteger(1, Hex.Bytes(vector.PrivateKey)), hash);
        Assert.Equal(vector.K, Hex.Of(BigIntegers.AsUnsignedByteArray(32, calculator.NextK())));
    }

    [Fact]
    public void High_s_twin_of_a_published_signature_is_rejected_by_every_backend()
    {
        // Key 1, "Satoshi Nakamoto": the signature before low-S normalisation has
        // s = n - 2442ce9d... = dbbd3162..., as published next to the normalised one.
        var hash = Hashes.Sha256("Satoshi Nakamoto"u8);
        var generator = Hex.Bytes("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        var low = Hex.Bytes("934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                            + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
        var high = Hex.Bytes("934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                             + "dbbd3162d46e9f9bef7feb87c16dc13b4f6568a87f4e83f728e2443ba586675c");
        var n = new BigInteger(Order, 16);
        Assert.Equal(n, new BigInteger(1, low.AsSpan(32)).Add(new BigInteger(1, high.AsSpan(32))));

        foreach (var backend in TestBackends.Installed(output))
        {
            Assert.True(backend.Verify(hash, low, generator), backend.Name);
            Assert.False(backend.Verify(hash, high, generator), backend.Name);

            var signature = new byte[65];
            backend.SignRecoverable(hash, Hex.Bytes("0000000000000000000000000000000000000000000000000000000000000001"), signature);
            // The same R with −s needs the other recovery id; recovery refuses the high-S form anyway.
            var twin = (byte[])signature.Clone();
            high.AsSpan(32).CopyTo(twin.AsSpan(33));
            twin[0] = (byte)(31 + ((signature[0] - 31) ^ 1));
            Assert.False(backend.TryRecover(hash, twin, new byte[33]), backend.Name);
        }
    }
}
