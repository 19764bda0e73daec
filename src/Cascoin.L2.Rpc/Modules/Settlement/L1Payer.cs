using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Rpc.Modules.Settlement;

/// <summary>Signs and submits L1 transactions with wallet keys: the payer is a given address or the wallet address with the largest L1 balance.</summary>
internal sealed class L1Payer(L1Chain l1, KeyWallet wallet, NetworkParameters network)
{
    public Address Richest(Amount needed)
    {
        var state = l1.StateAtTip();
        var best = wallet.Addresses.Select(a => (Address: a, Balance: state.GetAccount(a).Balance)).OrderByDescending(x => x.Balance).FirstOrDefault();
        if (best.Balance < needed)
            throw new RpcException(RpcErrorCode.WalletInsufficientFunds, $"Insufficient funds: no wallet address holds {needed} CAS on L1 (mine with generate, mature rewards need 100 blocks)");
        return best.Address;
    }

    public PrivateKey KeyOf(Address address) =>
        wallet.GetKey(address) ?? throw new RpcException(RpcErrorCode.WalletError, $"Private key for address {address.ToBase58(network)} is not known");

    /// <summary>
    /// Signs <paramref name="call"/> with <paramref name="from"/>'s key at its next nonce, queues it for the next L1 block and returns the txid.
    /// A call that would fail if mined now (a second payment, a proof that does not verify, a period not over) is refused
    /// with the contract's reason, like bitcoind's mempool acceptance: nothing is queued and no fee is spent.
    /// </summary>
    public string Submit(Address from, L1Call call) =>
        Submit(L1Transaction.Sign(call.Kind, l1.PendingNonce(from), l1.Parameters.MinimumFee, call.ToBytes(), KeyOf(from), network));

    /// <summary>Queues a signed transaction (see <see cref="Submit(Address, L1Call)"/>) and returns its txid.</summary>
    public string Submit(L1Transaction transaction)
    {
        if (l1.Submit(transaction, refuseFailingCall: true) is { } error)
            throw new RpcException(error.StartsWith("insufficient", StringComparison.Ordinal) ? RpcErrorCode.WalletInsufficientFunds : RpcErrorCode.VerifyRejected, error);
        return transaction.Id.ToString();
    }
}
