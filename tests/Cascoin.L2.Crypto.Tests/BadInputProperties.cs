using FsCheck.Xunit;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>
/// "Random bytes never crash, only reject": arbitrary input to every parsing entry point of both
/// backends returns an answer (and the same answer from both) instead of throwing. Each property
/// feeds the raw bytes and also the same bytes fitted to the expected length with a plausible
/// prefix, so curve arithmetic is reached, not only the length checks.
/// </summary>
public class BadInputProperties
{
    private const int Tests = 300;

    private static byte[] Fit(byte[] raw, int length, byte? first = null)
    {
        var fitted = new byte[length];
        raw.AsSpan(0, Math.Min(raw.Length, length)).CopyTo(fitted);
        if (first is { } prefix)
            fitted[0] = prefix;
        return fitted;
    }

    /// <summary>Runs on every installed backend and checks they agree.</summary>
    private static void Agree<T>(Func<ISecp256k1Backend, T> call)
    {
        var answers = TestBackends.Installed().Select(call).ToList();
        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
    }

    [Property(MaxTest = Tests)]
    public void TryRecover_never_throws(byte[] hash, byte[] signature, byte header)
    {
        Agree(b => Recover(b, hash, signature));
        var fitted = Fit(signature, 65, (byte)(31 + (header & 3)));
        Agree(b => Recover(b, Fit(hash, 32), fitted));
        Agree(b => Recover(b, Fit(hash, 32), Fit(signature, 65, header)));
    }

    private static string Recover(ISecp256k1Backend backend, byte[] hash, byte[] signature)
    {
        var output = new byte[33];
        return backend.TryRecover(hash, signature, output) ? Hex.Of(output) : "none";
    }

    [Property(MaxTest = Tests)]
    public void Verify_never_throws(byte[] hash, byte[] signature, byte[] publicKey, bool odd)
    {
        Agree(b => b.Verify(hash, signature, publicKey));
        Agree(b => b.Verify(Fit(hash, 32), Fit(signature, 64), Fit(publicKey, 33, (byte)(odd ? 3 : 2))));
        Agree(b => b.Verify(Fit(hash, 32), Fit(signature, 64), Fit(publicKey, 65, 4)));
    }

    [Property(MaxTest = Tests)]
    public void Verify_with_a_real_key_and_random_signature_never_throws(byte[] hash, byte[] signature)
    {
        var generator = Hex.Bytes("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        Agree(b => b.Verify(Fit(hash, 32), Fit(signature, 64), generator));
    }

    [Property(MaxTest = Tests)]
    public void TryNormalizePublicKey_never_throws(byte[] publicKey, byte prefix)
    {
        Agree(b => Normalize(b, publicKey));
        Agree(b => Normalize(b, Fit(publicKey, 33, (byte)(2 + (prefix & 1)))));
        Agree(b => Normalize(b, Fit(publicKey, 33, prefix)));
        Agree(b => Normalize(b, Fit(publicKey, 65, (byte)(4 + (prefix & 3)))));
    }

    private static string Normalize(ISecp256k1Backend backend, byte[] publicKey)
    {
        var output = new byte[33];
        return backend.TryNormalizePublicKey(publicKey, output) ? Hex.Of(output) : "none";
    }

    [Property(MaxTest = Tests)]
    public void PrivateKey_FromBytes_never_throws(byte[] bytes)
    {
        foreach (var input in new[] { bytes, Fit(bytes, 32) })
        {
            Agree(b => b.IsValidPrivateKey(input));
            Agree(b =>
            {
                using var key = PrivateKey.FromBytes(input, b);
                return key?.PublicKey.ToString() ?? "none";
            });
        }
    }

    [Property(MaxTest = Tests)]
    public void Parsers_of_the_key_types_never_throw(byte[] bytes, byte header)
    {
        _ = PublicKey.TryParse(bytes, out _);
        _ = RecoverableSignature.TryParse(bytes, out _);
        var fitted = Fit(bytes, 65, (byte)(31 + (header & 3)));
        if (RecoverableSignature.TryParse(fitted, out var signature))
        {
            Assert.Equal(fitted, signature.ToArray());
            _ = signature.TryRecover(new byte[32], out _);
        }
    }
}
