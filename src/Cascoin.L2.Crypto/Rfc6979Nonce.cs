using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Cascoin.L2.Crypto;

/// <summary>
/// The candidate stream of libsecp256k1's <c>nonce_function_rfc6979</c> (no extra data, no
/// algorithm tag): HMAC-SHA256 DRBG seeded with <c>key32 || (msg32 mod n)</c>; candidate
/// <c>attempt</c> is the DRBG's output after <c>attempt</c> RFC 6979 §3.2 h.3 re-keyings.
/// </summary>
/// <remarks>
/// The BouncyCastle backend takes its first nonce from <c>HMacDsaKCalculator</c>, which yields
/// the same first valid candidate. Only when that nonce gives r = 0 or s = 0 (probability about
/// 2^-256) does it need the following candidates, and <c>HMacDsaKCalculator</c> would continue
/// its stream differently from libsecp256k1 there; this type supplies them instead.
/// </remarks>
internal static class Rfc6979Nonce
{
    /// <summary>Writes candidate number <paramref name="attempt"/> (0-based), valid or not.</summary>
    public static void Candidate(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> messageMod32, int attempt, Span<byte> nonce32)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var hmac = new HMac(new Sha256Digest());
        Span<byte> k = stackalloc byte[32];
        Span<byte> v = stackalloc byte[32];
        try
        {
            k.Clear();
            v.Fill(0x01);
            Rekey(hmac, k, v, 0x00, privateKey32, messageMod32);
            Rekey(hmac, k, v, 0x01, privateKey32, messageMod32);
            for (var i = 0; i <= attempt; i++)
            {
                if (i > 0)
                    Rekey(hmac, k, v, 0x00, [], []);
                Mac(hmac, k, v, v);
            }
            v.CopyTo(nonce32);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(k);
            CryptographicOperations.ZeroMemory(v);
        }
    }

    /// <summary>K = HMAC_K(V || tag || key || msg); V = HMAC_K(V).</summary>
    private static void Rekey(HMac hmac, Span<byte> k, Span<byte> v, byte tag, ReadOnlySpan<byte> key, ReadOnlySpan<byte> msg)
    {
        hmac.Init(new KeyParameter(k));
        hmac.BlockUpdate(v);
        hmac.Update(tag);
        hmac.BlockUpdate(key);
        hmac.BlockUpdate(msg);
        hmac.DoFinal(k);
        Mac(hmac, k, v, v);
    }

    private static void Mac(HMac hmac, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
    {
        hmac.Init(new KeyParameter(key));
        hmac.BlockUpdate(data);
        hmac.DoFinal(output);
    }
}
