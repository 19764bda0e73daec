using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Application;

/// <summary>The wallet's keys on this node's L2 chain: which address sends, and signing its bridge transactions into the mempool.</summary>
public sealed class L2Wallet(L2Blockchain chain, TxPool pool, KeyWallet wallet, NetworkParameters network)
{
    public L2Blockchain Chain => chain;

    /// <summary>The wallet address with the largest L2 balance, if any has one.</summary>
    public Outcome<Address> Richest()
    {
        var best = wallet.Addresses.Select(a => (Address: a, Balance: chain.GetAccount(a).Balance)).OrderByDescending(x => x.Balance).FirstOrDefault();
        return best.Balance > Amount.Zero ? best.Address : new SettlementError(SettlementErrorKind.InsufficientFunds, "no wallet address has an L2 balance");
    }

    /// <summary>
    /// Signs a transaction of <paramref name="type"/> from <paramref name="from"/> at its next pending nonce, with
    /// the fee cap a wallet uses (twice the next base fee, tip 1) and its intrinsic gas, and adds it to the mempool.
    /// </summary>
    public Outcome<Hash256> Send(Address from, TransactionType type, Address to, Amount value, byte[] data)
    {
        if (wallet.GetKey(from) is not { } key)
            return new SettlementError(SettlementErrorKind.UnknownKey, $"Private key for address {from.ToBase58(network)} is not known");
        var nonce = pool.PendingNonce(from, chain.GetAccount(from));
        var maxFee = checked(2 * chain.NextBaseFee + 1);
        var probe = Transaction.CreateUnsigned(type, chain.Parameters.ChainId, nonce, to, value, maxFee, 1, 0, data);
        var unsigned = Transaction.CreateUnsigned(type, chain.Parameters.ChainId, nonce, to, value, maxFee, 1, IntrinsicGas.Of(probe), data);
        var transaction = Transaction.Sign(unsigned, key);
        return pool.Add(transaction, chain.GetAccount, chain.NextBaseFee) is { } rejection ? SettlementError.Rejected(rejection) : transaction.Id;
    }

    /// <summary>
    /// A transfer from <paramref name="from"/> sealed in an envelope to <paramref name="epochKey"/>: the
    /// inner transfer and the envelope share the sender's next pending nonce; the envelope's fee cap is a
    /// wallet's (twice the next base fee, tip 1) and its gas limit covers both. Returns the envelope's id.
    /// </summary>
    public Outcome<Hash256> SendSealed(Address from, Address to, Amount value, Contracts.EpochKeyRecord epochKey)
    {
        ArgumentNullException.ThrowIfNull(epochKey);
        if (wallet.GetKey(from) is not { } key)
            return new SettlementError(SettlementErrorKind.UnknownKey, $"Private key for address {from.ToBase58(network)} is not known");
        var nonce = pool.PendingNonce(from, chain.GetAccount(from));
        var maxFee = checked(2 * chain.NextBaseFee + 1);
        // Unsigned: the envelope's signature covers it, and unsigned it can never be replayed in the clear.
        var inner = Transaction.CreateUnsigned(TransactionType.Transfer, chain.Parameters.ChainId, nonce, to, value, maxFee, 1, IntrinsicGas.Base);
        var envelope = Envelope.Seal(inner, epochKey.Epoch, epochKey.PublicKey, maxFee, 1, key);
        return pool.Add(envelope, chain.GetAccount, chain.NextBaseFee) is { } rejection ? SettlementError.Rejected(rejection) : envelope.Id;
    }
}
