using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Accounts;

/// <summary>How a block's (or a step's) changed accounts and records become tree writes: one rule for the node and for a fraud proof's verifier.</summary>
public static class StateChanges
{
    /// <summary>
    /// The tree writes of <paramref name="accounts"/> (an empty account is removed: it holds nothing a
    /// proof could need) and <paramref name="records"/> (bytes, or null to delete), one per key.
    /// </summary>
    public static Dictionary<Hash256, byte[]?> ToTree(IReadOnlyDictionary<Address, AccountState> accounts, IReadOnlyDictionary<Hash256, byte[]?>? records)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var writes = new Dictionary<Hash256, byte[]?>(accounts.Count + (records?.Count ?? 0));
        foreach (var (key, value) in records ?? new Dictionary<Hash256, byte[]?>())
            writes[key] = value;
        foreach (var (address, account) in accounts)
            writes[StateKeys.ForAccount(address)] = account.IsEmpty ? null : account.ToBytes();
        return writes;
    }
}
