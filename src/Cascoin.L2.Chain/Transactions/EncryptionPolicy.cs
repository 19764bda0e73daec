namespace Cascoin.L2.Chain.Transactions;

/// <summary>
/// Whether a chain's sequencers keep an encrypted mempool (doc/encrypted-mempool.md), fixed at
/// deployment: <see cref="Off"/> runs no key generation; <see cref="Optional"/> runs it each epoch and
/// takes envelopes beside plain transactions; <see cref="Required"/> takes user transactions only
/// inside envelopes.
/// </summary>
public enum EncryptionPolicy : byte
{
    Off = 0,
    Optional = 1,
    Required = 2,
}

public static class EncryptionPolicies
{
    /// <summary>The name RPC shows and takes: off, optional, required.</summary>
    public static string Name(this EncryptionPolicy policy) => policy.ToString().ToLowerInvariant();

    /// <summary>The policy named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static EncryptionPolicy? Parse(string name) =>
        Enum.TryParse<EncryptionPolicy>(name, ignoreCase: true, out var policy) && Enum.IsDefined(policy) && !char.IsDigit(name.FirstOrDefault()) ? policy : null;
}
