using Xunit.Abstractions;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>
/// The two backends must be interchangeable byte for byte: consensus may run on either.
/// The seed is logged; set CASCOIN_TEST_SEED to replay a run.
/// </summary>
public class BackendAgreementTests(ITestOutputHelper output)
{
    private const int Rounds = 1000;

    private static int Seed()
    {
        var text = Environment.GetEnvironmentVariable("CASCOIN_TEST_SEED");
        return int.TryParse(text, out var seed) ? seed : Random.Shared.Next();
    }

    [Fact]
    public void Backends_agree_on_keys_signatures_recovery_and_verification()
    {
        var seed = Seed();
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var managed = Secp256k1Backends.BouncyCastle;
        var native = Secp256k1Backends.Native;
        if (native is null)
            output.WriteLine(TestBackends.NotInstalled);

        var key = new byte[32];
        var hash = new byte[32];
        var otherHash = new byte[32];
        var checkedRounds = 0;
        for (var round = 0; round < Rounds; round++)
        {
            random.NextBytes(key);
            random.NextBytes(hash);
            if (!managed.IsValidPrivateKey(key))
                continue;
            Assert.Equal(managed.IsValidPrivateKey(key), native?.IsValidPrivateKey(key) ?? true);

            var managedKey = new byte[33];
            var managedSignature = new byte[65];
            managed.GetPublicKey(key, managedKey);
            managed.SignRecoverable(hash, key, managedSignature);
            CheckOwnSignature(managed, hash, managedSignature, managedKey);

            hash.CopyTo(otherHash, 0);
            otherHash[random.Next(32)] ^= (byte)(1 << random.Next(8));
            var tampered = (byte[])managedSignature.Clone();
            tampered[1 + random.Next(64)] ^= (byte)(1 << random.Next(8));

            CheckRejects(managed, otherHash, hash, managedSignature, tampered, managedKey);
            if (native is not null)
            {
                var nativeKey = new byte[33];
                var nativeSignature = new byte[65];
                native.GetPublicKey(key, nativeKey);
                native.SignRecoverable(hash, key, nativeSignature);
                Assert.Equal(Hex.Of(managedKey), Hex.Of(nativeKey));
                Assert.Equal(Hex.Of(managedSignature), Hex.Of(nativeSignature));

                // Each recovers and verifies the other's signature.
                CheckOwnSignature(native, hash, managedSignature, managedKey);
                CheckOwnSignature(managed, hash, nativeSignature, nativeKey);
                CheckRejects(native, otherHash, hash, managedSignature, tampered, managedKey);
                AssertSameRecovery(managed, native, hash, tampered);
            }
            checkedRounds++;
        }
        output.WriteLine($"{checkedRounds} keys checked on {(native is null ? "bouncycastle" : "bouncycastle and libsecp256k1")}");
        Assert.True(checkedRounds >= Rounds - 1);
    }

    private static void CheckOwnSignature(ISecp256k1Backend backend, byte[] hash, byte[] signature, byte[] publicKey)
    {
        Assert.InRange(signature[0], 31, 34);
        Assert.True(Secp256k1Format.IsLowS(signature.AsSpan(33)), "s must be low");
        var recovered = new byte[33];
        Assert.True(backend.TryRecover(hash, signature, recovered), backend.Name);
        Assert.Equal(Hex.Of(publicKey), Hex.Of(recovered));
        Assert.True(backend.Verify(hash, signature.AsSpan(1), publicKey), backend.Name);
    }

    private static void CheckRejects(ISecp256k1Backend backend, byte[] otherHash, byte[] hash, byte[] signature, byte[] tampered, byte[] publicKey)
    {
        var recovered = new byte[33];
        Assert.False(backend.Verify(otherHash, signature.AsSpan(1), publicKey), backend.Name);
        Assert.False(backend.Verify(hash, tampered.AsSpan(1), publicKey), backend.Name);
        // Recovery from a wrong message or a damaged signature may give some key, never the signer's.
        if (backend.TryRecover(otherHash, signature, recovered))
            Assert.NotEqual(Hex.Of(publicKey), Hex.Of(recovered));
        if (backend.TryRecover(hash, tampered, recovered))
            Assert.NotEqual(Hex.Of(publicKey), Hex.Of(recovered));
    }

    private static void AssertSameRecovery(BouncyCastleSecp256k1 a, LibSecp256k1 b, byte[] hash, byte[] signature)
    {
        var fromA = new byte[33];
        var fromB = new byte[33];
        Assert.Equal(a.TryRecover(hash, signature, fromA), b.TryRecover(hash, signature, fromB));
        Assert.Equal(Hex.Of(fromA), Hex.Of(fromB));
    }
}
