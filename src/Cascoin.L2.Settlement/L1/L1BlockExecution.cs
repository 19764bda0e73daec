using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The L1 state transition of one block: transactions in order (a transaction that cannot pay its
/// fee or has the wrong nonce cannot be in the block; one whose contract call fails still pays its
/// fee and uses its nonce, and changes nothing else), then the per-block duties: the reward of
/// the block <see cref="SettlementParameters.CoinbaseMaturity"/> back matures, and each system
/// contract's end-of-block duty runs for each chain (<see cref="SystemContracts.All"/>: forced-inclusion
/// deadlines, stake releases, the emergency clock). Pure over the parent state.
/// </summary>
public sealed class L1BlockExecution
{
    private readonly SettlementParameters _parameters;
    private readonly NetworkParameters _network;
    private readonly IL1History _history;
    private readonly List<L1Receipt> _receipts = [];
    private bool _finished;

    public L1BlockExecution(SettlementParameters parameters, NetworkParameters network, ulong height, Address miner, L1StateView state, IL1History history)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(history);
        _parameters = parameters;
        _network = network;
        _history = history;
        Height = height;
        Miner = miner;
        State = state;
    }

    public ulong Height { get; }

    public Address Miner { get; }

    public L1StateView State { get; }

    public IReadOnlyList<L1Receipt> Receipts => _receipts;

    /// <summary>Applies <paramref name="transaction"/>; returns why it cannot be in this block, or null (a receipt was added).</summary>
    public L1Refusal? TryApply(L1Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_finished)
            throw new InvalidOperationException("the block is already finished");
        if (transaction.RecoverSender(_network) is not { } sender)
            return new L1Refusal(L1RefuseReason.BadSignature, "the signature does not recover");
        var account = State.GetAccount(sender);
        if (transaction.Nonce != account.Nonce)
            return transaction.Nonce < account.Nonce
                ? new L1Refusal(L1RefuseReason.NonceTooLow, $"account nonce is {account.Nonce}, transaction has {transaction.Nonce}")
                : new L1Refusal(L1RefuseReason.NonceTooHigh, $"account nonce is {account.Nonce}, transaction has {transaction.Nonce}");
        if (_parameters.FeeFor(transaction.Kind, transaction.Payload.Length) is var minimum && transaction.Fee < minimum)
            return new L1Refusal(L1RefuseReason.FeeTooLow, minimum != _parameters.MinimumFee
                ? $"the minimum fee of this {transaction.Kind.ToString().ToLowerInvariant()} is {minimum} CAS ({_parameters.MinimumFee} CAS and {_parameters.BatchByteFee} CAS per byte of its {transaction.Payload.Length})"
                : $"the minimum fee is {minimum} CAS");
        if (account.Balance < transaction.Fee)
            return new L1Refusal(L1RefuseReason.InsufficientFunds, $"balance {account.Balance} CAS is below the fee {transaction.Fee}");
        State.SetAccount(sender, account with { Balance = account.Balance - transaction.Fee, Nonce = account.Nonce + 1 });
        State.Credit(Miner, transaction.Fee);

        var checkpoint = State.Checkpoint();
        var context = new ContractContext(State, _parameters, Height, sender, transaction.Id) { History = _history, Network = _network };
        L1Refusal? error;
        string? delivered = null;
        try
        {
            error = Dispatch(context, L1Call.Decode(transaction.Kind, transaction.Payload), out delivered);
        }
        catch (DecodeException ex)
        {
            error = L1Refusal.Malformed("malformed payload", ex);
        }
        if (error is not null)
            State.Rollback(checkpoint);
        _receipts.Add(new L1Receipt(transaction.Id, error, delivered));
        return null;
    }

    /// <summary>A plain transfer moves CAS; every other call goes to the system contract that answers its kind.</summary>
    private L1Refusal? Dispatch(ContractContext context, L1Call call, out string? delivered)
    {
        delivered = null;
        if (call is TransferCall transfer)
        {
            if (SystemAddresses.IsSystem(transfer.To))
                return new L1Refusal(L1RefuseReason.NotAllowed, "system contracts take value only through their calls");
            if (transfer.Amount <= Amount.Zero || !context.TryDebitSender(transfer.Amount))
                return new L1Refusal(L1RefuseReason.InsufficientBalance, "insufficient balance (or a non-positive amount)");
            State.Credit(transfer.To, transfer.Amount);
            return null;
        }
        return SystemContracts.For(call.Kind) is { } contract ? contract.Apply(context, call, out delivered) : new L1Refusal(L1RefuseReason.Unsupported, $"unsupported call {call.Kind}");
    }

    /// <summary>The per-block duties; call once after the last transaction.</summary>
    public void Finish()
    {
        if (_finished)
            throw new InvalidOperationException("the block is already finished");
        _finished = true;
        if (Height > 0)
            State.Set(SettlementKeys.PendingReward(Height), Miner.ToArray());
        if (Height > _parameters.CoinbaseMaturity)
        {
            var matured = SettlementKeys.PendingReward(Height - _parameters.CoinbaseMaturity);
            if (State.Get(matured) is { Length: Address.Size } minerBytes)
            {
                State.Credit(new Address(minerBytes), _parameters.BlockReward);
                State.Set(matured, null);
            }
        }
        var context = new ContractContext(State, _parameters, Height, Address.Zero, Hash256.Zero) { History = _history, Network = _network };
        foreach (var chainId in State.GetChainIds())
        {
            // Each duty sees the record as the one before left it.
            foreach (var contract in SystemContracts.All)
                contract.EndOfBlock(context, State.GetChain(chainId)!);
        }
    }
}
