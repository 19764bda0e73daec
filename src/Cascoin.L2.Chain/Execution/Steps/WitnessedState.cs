using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using Cascoin.L2.State.Smt;

namespace Cascoin.L2.Chain.Execution.Steps;

/// <summary>A read of a key the witness does not hold: the proof is incomplete (its sender's fault), never a guess.</summary>
public sealed class IncompleteWitnessException(Hash256 key) : Exception($"the witness does not hold state key {key}")
{
    public Hash256 Key { get; } = key;
}

/// <summary>
/// The state a step reads, backed by a witness (<see cref="SmtPartialTree"/>) instead of the database:
/// the chain's own execution runs over it, so a one-step proof re-executes exactly what the node does.
/// Every key read is recorded (what a prover must witness).
/// </summary>
internal sealed class WitnessedState(SmtPartialTree tree)
{
    public HashSet<Hash256> Read { get; } = [];

    public SmtPartialTree Tree => tree;

    public AccountState GetAccount(Address address)
    {
        var value = Get(StateKeys.ForAccount(address));
        if (value is null)
            return AccountState.Empty;
        return AccountState.TryFromBytes(value, out var account) ? account : throw new IncompleteWitnessException(StateKeys.ForAccount(address));
    }

    public byte[]? GetRecord(Hash256 key) => Get(key);

    private byte[]? Get(Hash256 key)
    {
        Read.Add(key);
        return tree.TryGet(key, out var value) ? value : throw new IncompleteWitnessException(key);
    }
}
