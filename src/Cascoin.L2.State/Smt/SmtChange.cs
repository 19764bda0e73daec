using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>One key's new value in a batch; a null value deletes the key.</summary>
public readonly record struct SmtChange(Hash256 Key, byte[]? Value)
{
    public bool IsDelete => Value is null;
}
