using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Blocks;

/// <summary>Who signed a hash with a 65-byte recoverable signature: the one recovery that certificates, envelopes and DKG messages share.</summary>
public static class SignatureSigners
{
    /// <summary>The address whose key made <paramref name="signature"/> over <paramref name="hash"/>, or null when it does not recover.</summary>
    public static Address? Recover(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> hash) =>
        RecoverableSignature.TryParse(signature, out var parsed) && parsed.TryRecover(hash, out var key) ? Address.FromPublicKey(key.AsSpan()) : null;

    /// <summary>The signers of <paramref name="hash"/>, in order; null when one signature does not recover.</summary>
    public static IReadOnlyList<Address>? RecoverAll(IReadOnlyList<byte[]> signatures, ReadOnlySpan<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        var signers = new List<Address>(signatures.Count);
        foreach (var signature in signatures)
        {
            if (Recover(signature, hash) is not { } signer)
                return null;
            signers.Add(signer);
        }
        return signers;
    }
}
