using System.Reflection;
using Xunit.Abstractions;

namespace Cascoin.L2.Crypto.Tests;

public class KeyTypeTests(ITestOutputHelper output)
{
    private const string Order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    private const string G = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    [Theory]
    [MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void Private_key_range_is_1_to_n_minus_1(string backendName)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var n = Hex.Bytes(Order);
        var nMinus1 = Hex.Bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
        var nPlus1 = Hex.Bytes("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142");
        var one = new byte[32];
        one[31] = 1;

        Assert.False(backend.IsValidPrivateKey(new byte[32]));
        Assert.False(backend.IsValidPrivateKey(n));
        Assert.False(backend.IsValidPrivateKey(nPlus1));
        Assert.False(backend.IsValidPrivateKey(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.False(backend.IsValidPrivateKey(one.AsSpan(1)));
        Assert.False(backend.IsValidPrivateKey(new byte[33]));
        Assert.True(backend.IsValidPrivateKey(one));
        Assert.True(backend.IsValidPrivateKey(nMinus1));

        Assert.Null(PrivateKey.FromBytes(new byte[32], backend));
        Assert.Null(PrivateKey.FromBytes(n, backend));
        Assert.Null(PrivateKey.FromBytes([], backend));
        using var max = PrivateKey.FromBytes(nMinus1, backend);
        Assert.NotNull(max);
        // (n-1)·G = −G: same x as G, odd y.
        Assert.Equal("03" + G[2..], max.PublicKey.ToString());

        Assert.Throws<ArgumentException>(() => backend.GetPublicKey(new byte[32], new byte[33]));
        Assert.Throws<ArgumentException>(() => backend.GetPublicKey(n, new byte[33]));
        Assert.Throws<ArgumentException>(() => backend.SignRecoverable(new byte[32], new byte[32], new byte[65]));
        Assert.Throws<ArgumentException>(() => backend.SignRecoverable(new byte[32], n, new byte[65]));
        Assert.Throws<ArgumentException>(() => backend.SignRecoverable(new byte[31], one, new byte[65]));
        Assert.Throws<ArgumentException>(() => backend.GetPublicKey(one, new byte[32]));
    }

    [Fact]
    public void Private_key_signs_recovers_verifies_and_wipes_itself()
    {
        var key = PrivateKey.Generate();
        var hash = Hashes.Sha256("key types"u8);
        var signature = key.SignRecoverable(hash);

        Assert.InRange(signature.RecoveryId, 0, 3);
        Assert.True(signature.TryRecover(hash, out var recovered));
        Assert.Equal(key.PublicKey, recovered);
        Assert.True(signature.Verify(hash, key.PublicKey));
        Assert.True(key.PublicKey.Verify(hash, signature.Compact));
        Assert.False(signature.Verify(Hashes.Sha256("other"u8), key.PublicKey));
        Assert.DoesNotContain(Hex.Of(key.ToArray()), key.ToString());

        var copy = PrivateKey.FromBytes(key.ToArray());
        Assert.NotNull(copy);
        Assert.Equal(key.PublicKey, copy.PublicKey);
        Assert.Equal(signature, copy.SignRecoverable(hash, Secp256k1Backends.BouncyCastle));
        copy.Dispose();

        var secret = (byte[])typeof(PrivateKey).GetField("_secret", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(key)!;
        Assert.Contains(secret, b => b != 0);
        key.Dispose();
        Assert.All(secret, b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => key.ToArray());
        Assert.Throws<ObjectDisposedException>(() => key.SignRecoverable(hash));
        Assert.Equal(recovered, key.PublicKey);
        key.Dispose();
    }

    [Fact]
    public void Public_key_parses_both_encodings_and_round_trips()
    {
        const string uncompressed = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
                                    + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
        Assert.True(PublicKey.TryParse(Hex.Bytes(G), out var fromCompressed));
        Assert.True(PublicKey.TryParse(Hex.Bytes(uncompressed), out var fromUncompressed));
        Assert.Equal(fromCompressed, fromUncompressed);
        Assert.True(fromCompressed == fromUncompressed);
        Assert.Equal(fromCompressed.GetHashCode(), fromUncompressed.GetHashCode());
        Assert.Equal(G, fromCompressed.ToString());
        Assert.Equal(Hex.Bytes(G), fromCompressed.ToArray());
        var buffer = new byte[40];
        fromCompressed.WriteTo(buffer);
        Assert.Equal(Hex.Bytes(G), buffer[..33]);
        Assert.Throws<ArgumentException>(() => fromCompressed.WriteTo(new byte[32]));

        Assert.False(PublicKey.TryParse(new byte[33], out var rejected));
        Assert.Equal(default, rejected);
        Assert.NotEqual(default, fromCompressed);
        Assert.False(default(RecoverableSignature).Verify(new byte[32], default));
    }

    [Fact]
    public void Recoverable_signature_parsing_is_strict()
    {
        using var key = PrivateKey.FromBytes(Hex.Bytes("f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181"))!;
        var hash = Hashes.Sha256("Alan Turing"u8);
        var wire = key.SignRecoverable(hash).ToArray();
        Assert.Equal("7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c", Hex.Of(wire.AsSpan(1, 32)));

        Assert.True(RecoverableSignature.TryParse(wire, out var parsed));
        Assert.Equal(wire, parsed.ToArray());
        Assert.Equal(wire[0] - 31, parsed.RecoveryId);
        Assert.Equal(Hex.Of(wire), parsed.ToString());
        Assert.True(parsed.TryRecover(hash, out var signer));
        Assert.Equal(key.PublicKey, signer);

        Assert.False(RecoverableSignature.TryParse(wire.AsSpan(0, 64), out _));
        Assert.False(RecoverableSignature.TryParse([.. wire, 0], out _));
        foreach (var header in new byte[] { 27, 30, 35 })
        {
            var bad = (byte[])wire.Clone();
            bad[0] = header;
            Assert.False(RecoverableSignature.TryParse(bad, out _));
        }
        var highS = (byte[])wire.Clone();
        Hex.Bytes("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1").CopyTo(highS, 33);
        Assert.False(RecoverableSignature.TryParse(highS, out _));
        var zeroR = (byte[])wire.Clone();
        Array.Clear(zeroR, 1, 32);
        Assert.False(RecoverableSignature.TryParse(zeroR, out _));
    }

    [Fact]
    public void Best_backend_is_libsecp256k1_when_installed()
    {
        var best = Secp256k1Backends.Best;
        output.WriteLine($"best backend: {best.Name}");
        Assert.Same(best, Secp256k1Backends.Best);
        if (Secp256k1Backends.Native is null)
        {
            output.WriteLine(TestBackends.NotInstalled);
            Assert.Same(Secp256k1Backends.BouncyCastle, best);
        }
        else
        {
            Assert.Same(Secp256k1Backends.Native, best);
            Assert.Equal("libsecp256k1", best.Name);
            Secp256k1Backends.Native.Dispose(); // the shared instance ignores Dispose
            Assert.True(best.IsValidPrivateKey(Hex.Bytes("0000000000000000000000000000000000000000000000000000000000000001")));
        }
        Assert.Equal("bouncycastle", Secp256k1Backends.BouncyCastle.Name);
    }

    [Fact]
    public void An_owned_libsecp256k1_instance_can_be_disposed()
    {
        using var owned = LibSecp256k1.TryLoad();
        if (owned is null)
        {
            output.WriteLine(TestBackends.NotInstalled);
            return;
        }
        var one = Hex.Bytes("0000000000000000000000000000000000000000000000000000000000000001");
        var publicKey = new byte[33];
        owned.GetPublicKey(one, publicKey);
        Assert.Equal(G, Hex.Of(publicKey));
        owned.Dispose();
        Assert.Throws<ObjectDisposedException>(() => owned.IsValidPrivateKey(one));
    }
}
