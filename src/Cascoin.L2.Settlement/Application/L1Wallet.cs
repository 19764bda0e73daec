using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Application;

/// <summary>The wallet's keys on the settlement chain: which address pays, and signing and sending its L1 transactions.</summary>
public sealed class L1Wallet(L1Chain l1, KeyWallet wallet, NetworkParameters network)
{
    public L1Chain Chain => l1;

    /// <summary>The wallet address with the largest L1 balance, if it holds at least <paramref name="needed"/>.</summary>
    public Outcome<Address> Richest(Amount needed)
    {
        var state = l1.StateAtTip();
        var best = wallet.Addresses.Select(a => (Address: a, Balance: state.GetAccount(a).Balance)).OrderByDescending(x => x.Balance).FirstOrDefault();
        if (best.Balance < needed)
            return new SettlementError(SettlementErrorKind.InsufficientFunds,
                $"Insufficient funds: no wallet address holds {needed} CAS on L1 (mine with generate, mature rewards need 100 blocks)");
        return best.Address;
    }

    /// <summary>The address that pays a call's fee: <paramref name="preferred"/> when the wallet holds its key and it can pay, else the richest.</summary>
    public Outcome<Address> FeePayer(Address preferred) =>
        wallet.Addresses.Contains(preferred) && l1.StateAtTip().GetAccount(preferred).Balance >= l1.Parameters.MinimumFee
            ? preferred
            : Richest(l1.Parameters.MinimumFee);

    /// <summary>The wallet's key for <paramref name="address"/>.</summary>
    public Outcome<PrivateKey> KeyOf(Address address) => wallet.GetKey(address) is { } key
        ? key
        : new SettlementError(SettlementErrorKind.UnknownKey, $"Private key for address {address.ToBase58(network)} is not known");

    /// <summary>
    /// Signs <paramref name="call"/> with <paramref name="from"/>'s key at its next nonce, queues it for the next L1 block and returns the txid.
    /// A call that would fail if mined now (a second payment, a proof that does not verify, a period not over) is refused
    /// with the contract's reason, like bitcoind's mempool acceptance: nothing is queued and no fee is spent.
    /// </summary>
    public Outcome<Hash256> Send(Address from, L1Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var payload = call.ToBytes();
        return KeyOf(from).Then(key => Send(L1Transaction.Sign(call.Kind, l1.PendingNonce(from), l1.Parameters.FeeFor(call.Kind, payload.Length), payload, key, network)));
    }

    /// <summary>Sends <paramref name="call"/> paid by the richest wallet address (it needs only the fee).</summary>
    public Outcome<Hash256> SendFromRichest(L1Call call) => Richest(l1.Parameters.MinimumFee).Then(from => Send(from, call));

    /// <summary>Queues a signed transaction (see <see cref="Send(Address, L1Call)"/>) and returns its txid.</summary>
    public Outcome<Hash256> Send(L1Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return l1.Submit(transaction, refuseFailingCall: true) is { } refusal ? SettlementError.Refused(refusal) : transaction.Id;
    }
}
