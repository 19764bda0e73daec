using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Transactions;

/// <summary>The checks that need no state: shared by mempool admission and block execution so they can never disagree.</summary>
public static class TransactionRules
{
    public static TxRejection? CheckStateless(Transaction transaction, ChainParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(parameters);
        if (transaction.Size > parameters.MaxTransactionBytes)
            return new TxRejection(TxRejectReason.TooLarge, $"transaction is {transaction.Size} bytes, the limit is {parameters.MaxTransactionBytes}");
        switch (transaction.Type)
        {
            case TransactionType.Transfer:
            case TransactionType.Withdrawal:
            case TransactionType.L2ToL1Message:
                break;
            case TransactionType.ContractDeploy:
            case TransactionType.ContractCall:
                return new TxRejection(TxRejectReason.UnsupportedType, "contract deploy and call are not supported yet: this L2 has no VM");
            default:
                return new TxRejection(TxRejectReason.UnsupportedType, $"{transaction.Type} transactions are created from L1 events, not submitted");
        }
        if (transaction.ChainId != parameters.ChainId)
            return new TxRejection(TxRejectReason.WrongChainId, $"transaction is for chain {transaction.ChainId}, this is chain {parameters.ChainId}");
        if (transaction.Type == TransactionType.Withdrawal && transaction.Value > parameters.MaxWithdrawalPerTransaction)
            return new TxRejection(TxRejectReason.WithdrawalTooLarge, $"a withdrawal is at most {parameters.MaxWithdrawalPerTransaction} CAS; the bridge would never pay {transaction.Value} CAS");
        if (transaction.Sender is null)
            return new TxRejection(TxRejectReason.BadSignature, "the signature does not recover a public key for this transaction");
        var intrinsic = IntrinsicGas.Of(transaction);
        if (transaction.GasLimit < intrinsic)
            return new TxRejection(TxRejectReason.GasLimitTooLow, $"gas limit {transaction.GasLimit} is below the intrinsic gas {intrinsic}");
        if (transaction.GasLimit > parameters.BlockGasLimit)
            return new TxRejection(TxRejectReason.GasLimitTooHigh, $"gas limit {transaction.GasLimit} is above the block gas limit {parameters.BlockGasLimit}");
        if (transaction.MaxPriorityFeePerGas > transaction.MaxFeePerGas)
            return new TxRejection(TxRejectReason.FeeTooLow, $"max priority fee per gas {transaction.MaxPriorityFeePerGas} is above max fee per gas {transaction.MaxFeePerGas}");
        if (transaction.MaxFeePerGas < parameters.MinGasPrice)
            return new TxRejection(TxRejectReason.FeeTooLow, $"max fee per gas {transaction.MaxFeePerGas} is below the minimum gas price {parameters.MinGasPrice}");
        if (UpfrontCost(transaction) is null)
            return new TxRejection(TxRejectReason.InsufficientFunds, "value + gas limit × max fee exceeds the money supply");
        return null;
    }

    /// <summary>What the sender must hold: value + gas limit × max fee; null when that exceeds the money supply.</summary>
    public static Amount? UpfrontCost(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var cost = (UInt128)transaction.GasLimit * transaction.MaxFeePerGas + (UInt128)(ulong)transaction.Value.Sat;
        return cost > (UInt128)(ulong)Amount.MaxMoneySat ? null : Amount.FromSat((long)(ulong)cost);
    }
}
