using Xunit.Abstractions;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>
/// The edge cases of libsecp256k1's recovery module tests (test_ecdsa_recovery_edge_cases), in
/// our 65-byte format, plus header and range rules of the format itself.
/// </summary>
public class RecoveryEdgeCaseTests(ITestOutputHelper output)
{
    /// <summary>The 32 raw bytes libsecp256k1 uses as msg32 (not hashed again).</summary>
    private static readonly byte[] SecretMessage = "This is a very secret message..."u8.ToArray();

    /// <summary>Signed with nonce "This is the nonce we will use..." and secret key 0: only recovery id 1 recovers.</summary>
    private const string KeyZeroSignature = "67cb285f9cd194e840d629397af5569662fde446499959631"
                                            + "79a7dd17bd23532"
                                            + "4b1b7df34ce1f68e694ff6f11ac751dd7dd73e387ee4fc866e1be8ecc7dd9557";

    private static byte[] Recoverable(int header, string rs)
    {
        var signature = new byte[65];
        signature[0] = (byte)header;
        Hex.Bytes(rs).CopyTo(signature, 1);
        return signature;
    }

    private static string Scalar(int value) => value.ToString("x64");

    [Theory]
    [MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void Key_zero_signature_recovers_only_with_recovery_id_1(string backendName)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        Assert.Equal(32, SecretMessage.Length);
        var recovered = new byte[33];
        // recid 0 names R itself: s·R − e·G is the point at infinity. recids 2, 3 need r + n < p.
        Assert.False(backend.TryRecover(SecretMessage, Recoverable(31, KeyZeroSignature), recovered));
        Assert.True(backend.TryRecover(SecretMessage, Recoverable(32, KeyZeroSignature), recovered));
        Assert.True(backend.Verify(SecretMessage, Hex.Bytes(KeyZeroSignature), recovered));
        Assert.False(backend.TryRecover(SecretMessage, Recoverable(33, KeyZeroSignature), recovered));
        Assert.False(backend.TryRecover(SecretMessage, Recoverable(34, KeyZeroSignature), recovered));
    }

    [Theory]
    [MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void Signature_4_4_recovers_with_every_recovery_id_and_verifies(string backendName)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var rs = Scalar(4) + Scalar(4);
        var keys = new HashSet<string>();
        for (var recoveryId = 0; recoveryId < 4; recoveryId++)
        {
            var recovered = new byte[33];
            Assert.True(backend.TryRecover(SecretMessage, Recoverable(31 + recoveryId, rs), recovered), $"recid {recoveryId}");
            Assert.True(backend.Verify(SecretMessage, Hex.Bytes(rs), recovered), $"recid {recoveryId}");
            keys.Add(Hex.Of(recovered));
        }
        Assert.Equal(4, keys.Count);
    }

    [Theory]
    [MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void Signature_1_1_recovers_and_zero_r_or_s_does_not(string backendName)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var recovered = new byte[33];
        Assert.True(backend.TryRecover(SecretMessage, Recoverable(31, Scalar(1) + Scalar(1)), recovered));
        Assert.True(backend.Verify(SecretMessage, Hex.Bytes(Scalar(1) + Scalar(1)), recovered));

        Assert.False(backend.TryRecover(SecretMessage, Recoverable(31, Scalar(0) + Scalar(1)), recovered));
        Assert.False(backend.TryRecover(SecretMessage, Recoverable(31, Scalar(1) + Scalar(0)), recovered));
        Assert.False(backend.Verify(SecretMessage, Hex.Bytes(Scalar(0) + Scalar(1)), recovered));
        Assert.False(backend.Verify(SecretMessage, Hex.Bytes(Scalar(1) + Scalar(0)), recovered));
    }

    [Fact]
    public void Both_backends_recover_the_same_keys_from_the_edge_cases()
    {
        if (Secp256k1Backends.Native is not { } native)
        {
            output.WriteLine(TestBackends.NotInstalled);
            return;
        }
        var managed = Secp256k1Backends.BouncyCastle;
        string[] signatures = [KeyZeroSignature, Scalar(4) + Scalar(4), Scalar(1) + Scalar(1)];
        foreach (var rs in signatures)
        {
            for (var header = 31; header <= 34; header++)
            {
                var a = new byte[33];
                var b = new byte[33];
                var signature = Recoverable(header, rs);
                Assert.Equal(managed.TryRecover(SecretMessage, signature, a), native.TryRecover(SecretMessage, signature, b));
                Assert.Equal(a, b);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestBackends.Names), MemberType = typeof(TestBackends))]
    public void Headers_outside_31_to_34_and_out_of_range_scalars_are_refused(string backendName)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        using var key = PrivateKey.FromBytes(Hex.Bytes(Scalar(7)), backend)!;
        var hash = Hashes.Sha256("header rules"u8);
        var good = key.SignRecoverable(hash, backend).ToArray();
        var recovered = new byte[33];
        Assert.True(backend.TryRecover(hash, good, recovered));
        Assert.Equal(key.PublicKey.ToArray(), recovered);

        foreach (var header in new[] { 0, 27, 28, 29, 30, 35, 36, 255 })
        {
            var bad = (byte[])good.Clone();
            bad[0] = (byte)header;
            Assert.False(backend.TryRecover(hash, bad, recovered), $"header {header}");
        }

        const string order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        var rIsN = (byte[])good.Clone();
        Hex.Bytes(order).CopyTo(rIsN, 1);
        Assert.False(backend.TryRecover(hash, rIsN, recovered));
        Assert.False(backend.Verify(hash, rIsN.AsSpan(1), key.PublicKey.AsSpan()));
        var sIsN = (byte[])good.Clone();
        Hex.Bytes(order).CopyTo(sIsN, 33);
        Assert.False(backend.TryRecover(hash, sIsN, recovered));
        Assert.False(backend.Verify(hash, sIsN.AsSpan(1), key.PublicKey.AsSpan()));

        Assert.False(backend.TryRecover(hash.AsSpan(1), good, recovered));
        Assert.False(backend.TryRecover(hash, good.AsSpan(1), recovered));
        Assert.False(backend.TryRecover([], [], recovered));
    }
}
