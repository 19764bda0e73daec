namespace Cascoin.L2.Chain.Transactions;

/// <summary>Gas a transaction costs before any execution: a base charge plus its calldata (EIP-2028 prices).</summary>
public static class IntrinsicGas
{
    public const ulong Base = 21_000;
    public const ulong ZeroByte = 4;
    public const ulong NonZeroByte = 16;

    public static ulong Of(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var data = transaction.Data;
        var zeros = (ulong)data.Count((byte)0);
        var nonZero = (ulong)data.Length - zeros;
        return Base + zeros * ZeroByte + nonZero * NonZeroByte;
    }
}
