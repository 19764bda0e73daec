using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Utilities;
using Xunit.Abstractions;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>The managed nonce stream against BouncyCastle's HMacDsaKCalculator and libsecp256k1's exported nonce function.</summary>
public class Rfc6979NonceTests(ITestOutputHelper output)
{
    private static readonly BigInteger N = new("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

    [Fact]
    public void First_candidate_equals_the_first_k_of_HMacDsaKCalculator()
    {
        var random = new Random(6979);
        var key = new byte[32];
        var hash = new byte[32];
        var nonce = new byte[32];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(key);
            random.NextBytes(hash);
            if (i % 10 == 0)
                hash.AsSpan().Fill(0xFF); // a hash ≥ n: both reduce it mod n
            if (!Secp256k1Format.IsValidScalar(key))
                continue;
            var reduced = BigIntegers.AsUnsignedByteArray(32, new BigInteger(1, hash).Mod(N));
            Rfc6979Nonce.Candidate(key, reduced, 0, nonce);

            var calculator = new HMacDsaKCalculator(new Sha256Digest());
            calculator.Init(N, new BigInteger(1, key), hash);
            Assert.Equal(Hex.Of(BigIntegers.AsUnsignedByteArray(32, calculator.NextK())), Hex.Of(nonce));
        }
    }

    [Fact]
    public void Every_candidate_equals_libsecp256k1s_nonce_function()
    {
        if (Secp256k1Backends.Native is not { } native)
        {
            output.WriteLine(TestBackends.NotInstalled);
            return;
        }
        var random = new Random(6980);
        var key = new byte[32];
        var hash = new byte[32];
        var managed = new byte[32];
        var expected = new byte[32];
        var compared = 0;
        for (var i = 0; i < 100; i++)
        {
            random.NextBytes(key);
            random.NextBytes(hash);
            if (i % 10 == 0)
                hash.AsSpan().Fill(0xFF);
            var reduced = BigIntegers.AsUnsignedByteArray(32, new BigInteger(1, hash).Mod(N));
            for (uint attempt = 0; attempt < 4; attempt++)
            {
                if (!native.TryRfc6979Nonce(hash, key, attempt, expected))
                {
                    output.WriteLine("this libsecp256k1 does not export secp256k1_nonce_function_rfc6979");
                    return;
                }
                Rfc6979Nonce.Candidate(key, reduced, (int)attempt, managed);
                Assert.Equal(Hex.Of(expected), Hex.Of(managed));
                compared++;
            }
        }
        Assert.Equal(400, compared);
    }
}
