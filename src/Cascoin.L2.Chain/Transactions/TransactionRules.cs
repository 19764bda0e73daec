using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Transactions;

/// <summary>The checks that need no state: shared by mempool admission and block execution so they can never disagree.</summary>
public static class TransactionRules
{
    /// <param name="carried">The transaction rides in an envelope or was forced in through L1: the chain's encryption policy does not apply to it.</param>
    public static TxRejection? CheckStateless(Transaction transaction, ChainParameters parameters, bool carried = false)
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
                if (!carried && parameters.Encryption == EncryptionPolicy.Required)
                    return new TxRejection(TxRejectReason.UnsupportedType,
                        $"chain {parameters.ChainId} takes user transactions only in envelopes (encryption required): send it with l2_sendencryptedtransaction");
                break;
            case TransactionType.Envelope:
                if (carried || parameters.Encryption == EncryptionPolicy.Off)
                    return new TxRejection(TxRejectReason.UnsupportedType, carried ? "an envelope cannot ride in another" : $"chain {parameters.ChainId} has no encrypted mempool");
                break;
            case TransactionType.ContractDeploy:
            case TransactionType.ContractCall:
                return new TxRejection(TxRejectReason.UnsupportedType, "contract deploy and call are not supported yet: this L2 has no VM");
            case TransactionType.Decryption:
                return new TxRejection(TxRejectReason.UnsupportedType, "decryptions are made by the block's leader, not submitted");
            default:
                return new TxRejection(TxRejectReason.UnsupportedType, $"{transaction.Type} transactions are created from L1 events, not submitted");
        }
        if (transaction.ChainId != parameters.ChainId)
            return new TxRejection(TxRejectReason.WrongChainId, $"transaction is for chain {transaction.ChainId}, this is chain {parameters.ChainId}");
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
        if (transaction.Type == TransactionType.Envelope && EnvelopeError(transaction, intrinsic) is { } envelopeError)
            return envelopeError;
        if (transaction.Type == TransactionType.Withdrawal && transaction.Value > parameters.MaxWithdrawalPerTransaction)
            return new TxRejection(TxRejectReason.OverLimit, $"withdrawal of {transaction.Value} CAS is above the limit of {parameters.MaxWithdrawalPerTransaction} CAS per transaction");
        if (UpfrontCost(transaction) is null)
            return new TxRejection(TxRejectReason.InsufficientFunds, "value + gas limit × max fee exceeds the money supply");
        return null;
    }

    private static TxRejection? EnvelopeError(Transaction envelope, ulong intrinsic)
    {
        if (envelope.To != Address.Zero || envelope.Value != Amount.Zero)
            return new TxRejection(TxRejectReason.Malformed, "an envelope carries no recipient and no value: its contents do");
        if (Envelope.Parse(envelope) is not { } parsed || parsed.Epoch == 0)
            return new TxRejection(TxRejectReason.Malformed, "an envelope's data is a key epoch (from 1) and a ciphertext");
        if (envelope.GasLimit < intrinsic + Envelope.MinContentsGas)
            return new TxRejection(TxRejectReason.GasLimitTooLow, $"gas limit {envelope.GasLimit} leaves less than {Envelope.MinContentsGas} for the contents after the envelope's intrinsic gas {intrinsic}");
        if (!Envelope.IsWellFormed(envelope))
            return new TxRejection(TxRejectReason.Malformed, "the ciphertext is not well formed for this envelope: its proof of randomness does not check under the sender's label");
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
